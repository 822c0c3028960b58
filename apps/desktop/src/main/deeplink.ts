import { z } from 'zod';

export const PROTOCOL = 'hi-msg';
const RoomId = z.uuid();

/** The room a `hi-msg://room/<uuid>` link names, or null for anything else. */
export function parseDeepLink(url: string): string | null {
  if (url.length > 200 || !URL.canParse(url)) return null;
  const u = new URL(url);
  if (u.protocol !== `${PROTOCOL}:` || u.host !== 'room' || u.search || u.hash || u.username || u.password) return null;
  const id = u.pathname.replace(/^\/|\/$/g, '');
  return RoomId.safeParse(id).success ? id.toLowerCase() : null;
}

/** The room named by the first hi-msg:// argument of a command line (Windows and Linux pass links this way). */
export function roomFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (arg.toLowerCase().startsWith(`${PROTOCOL}:`)) return parseDeepLink(arg);
  }
  return null;
}
