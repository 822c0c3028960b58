/** A piece of a message's text: plain, or a web address to open in the browser. */
export type TextPart = { text: string; url?: undefined } | { text: string; url: string };

/**
 * http(s) addresses in ASCII, as people paste them; a Korean particle written right after one
 * ("https://wiki.corp/공지에서") is not part of it.
 */
const URL_RE = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?'"]+$/;

/** The text split into plain parts and links, in order; joined back, the parts give the text. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0].replace(TRAILING, '');
    // A closing parenthesis belongs to the address only when it opened one: "(https://a.b/c)".
    while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1).replace(TRAILING, '');
    if (!/^https?:\/\/[^/?#]+/.test(url)) continue;
    const start = match.index;
    if (start > at) parts.push({ text: text.slice(at, start) });
    parts.push({ text: url, url });
    at = start + url.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n += 1;
  return n;
}
