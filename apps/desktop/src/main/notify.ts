export interface NotifyContext {
  roomId: string;
  /** The room open in the main window, if any. */
  focusedRoomId: string | null;
  /** Whether the main window has the keyboard focus. */
  windowFocused: boolean;
  mutedRoomIds: ReadonlySet<string> | readonly string[];
  doNotDisturb: boolean;
}

/** A new message notifies unless Do not disturb is on, its room is muted, or it is open in the focused window. */
export function shouldNotify(ctx: NotifyContext): boolean {
  if (ctx.doNotDisturb) return false;
  const muted = ctx.mutedRoomIds instanceof Set ? ctx.mutedRoomIds.has(ctx.roomId) : (ctx.mutedRoomIds as readonly string[]).includes(ctx.roomId);
  if (muted) return false;
  return !(ctx.windowFocused && ctx.focusedRoomId === ctx.roomId);
}

const PREVIEW_CHARS = 100;

/** A short single-line preview of a message body (whole characters, so Korean text is never cut mid-syllable). */
export function previewText(body: string, max = PREVIEW_CHARS): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}
