import { parseSystemBody } from '@hi-msg/contracts';
import type { TFunction } from 'i18next';

/** A system message (created, invited, left) in the reader's language; the raw text if it is not the known JSON. */
export function describeSystem(body: string | null, t: TFunction): string {
  const parsed = parseSystemBody(body);
  if (!parsed) return body ?? '';
  const { event, actor, users } = parsed;
  const names = users.map((u) => u.name).join(', ');
  return t(`system.${event}`, { actor: actor.name, users: names });
}
