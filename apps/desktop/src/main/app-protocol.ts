import { isAbsolute, join, normalize, relative } from 'node:path';

/**
 * The packaged renderer is served from app://hi-msg/ rather than file://, so module scripts load,
 * every response carries the CSP header, and navigation checks have one exact origin to compare.
 */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/** The file under `root` an app:// request names, or null when it names something outside it. */
export function resolveAppFile(root: string, requestUrl: string, host = 'hi-msg'): string | null {
  if (!URL.canParse(requestUrl)) return null;
  const u = new URL(requestUrl);
  if (u.host !== host) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const file = normalize(join(root, path));
  const rel = relative(root, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

/** The Content-Type for a served file. */
export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** Answer one app:// request from the renderer folder, with the CSP header on every response. */
export async function serveAppRequest(
  root: string,
  requestUrl: string,
  csp: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<Response> {
  const headers = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff' };
  const file = resolveAppFile(root, requestUrl);
  if (!file) return new Response('Not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers: { ...headers, 'content-type': contentTypeOf(file) } });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
}
