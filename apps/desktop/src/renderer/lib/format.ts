/** "오후 3:04" / "3:04 PM" */
export function formatTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
}

/** Time for today, otherwise the date, as in a room list. */
export function formatListTime(iso: string, locale: string, now = new Date()): string {
  const d = new Date(iso);
  if (d.toDateString() === now.toDateString()) return formatTime(iso, locale);
  return d.toLocaleDateString(locale, { month: 'short', day: 'numeric' });
}

/** A day separator: "2026년 11월 26일 목요일" / "Thursday, November 26, 2026". */
export function formatDay(dayKey: string, locale: string): string {
  const [y, m, d] = dayKey.split('-').map(Number);
  return new Date(y!, m! - 1, d).toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A v4 uuid; getRandomValues works on plain-http intranet pages where randomUUID does not. */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
