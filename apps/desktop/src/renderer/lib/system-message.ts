import { SystemMessageBodySchema } from '@hi-msg/contracts';
import type { TFunction } from 'i18next';

/** A system message (created, invited, left) in the reader's language; the raw text if it is not the known JSON. */
export function describeSystem(body: string | null, t: TFunction): string {
  let parsed;
  try {
    parsed = SystemMessageBodySchema.safeParse(JSON.parse(body ?? ''));
  } catch {
    return body ?? '';
  }
  if (!parsed.success) return body ?? '';
  const { event, actor, users } = parsed.data;
  const names = users.map((u) => u.name).join(', ');
  return t(`system.${event}`, { actor: actor.name, users: names });
}
