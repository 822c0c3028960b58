/** Longest stored file name, in bytes of UTF-8 (the column holds 255 characters). */
export const MAX_NAME_BYTES = 255;

/**
 * C0/C1 controls (NUL included), and the bidi embeddings, overrides, isolates and marks that
 * can make `gpj.exe` look like `exe.jpg` in a chat bubble.
 */
function isUnsafeChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cut a string to at most maxBytes of UTF-8 without splitting a character. */
function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (used + n > maxBytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * The user's file name made safe to keep and show: NFC, last path part only, no control or
 * bidi characters, at most 255 bytes with the extension kept. It is data only; it never
 * becomes part of a disk path.
 */
export function sanitizeFileName(raw: string): string {
  const lastPart = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const name = [...lastPart]
    .filter((ch) => !isUnsafeChar(ch))
    .join('')
    .trim();
  if (name === '' || name === '.' || name === '..') return 'file';
  if (utf8Length(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const base = ext ? name.slice(0, dot) : name;
  return truncateUtf8(base, MAX_NAME_BYTES - utf8Length(ext)) + ext;
}

/** Lower-case extension without the dot, or '' when the name has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** RFC 5987 value: percent-encode everything outside attr-char. */
function encodeRfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Content-Disposition per RFC 6266: an ASCII fallback for old clients plus filename* in UTF-8,
 * so Korean names arrive intact.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
