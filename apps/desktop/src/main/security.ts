import type { Event, HandlerDetails, WebPreferences } from 'electron';
import { LOCALE_ARG } from '../shared/launch-args';
import type { Logger } from './log';

/** The origin the packaged renderer is served from (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://hi-msg';

export type WindowKind = 'main' | 'admin';

export interface WebPreferenceOptions {
  preload: string;
  locale: string;
  /** DevTools only in development builds. */
  devTools: boolean;
}

/** The locked-down webPreferences every window of the app gets. */
export function webPreferencesFor(kind: WindowKind, opts: WebPreferenceOptions): WebPreferences {
  return {
    preload: opts.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // Dropping a file outside the drop zone must not navigate the window to file://.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: kind === 'main',
    devTools: opts.devTools,
    additionalArguments: [LOCALE_ARG + opts.locale],
  };
}

/** True for an http(s) URL, the only kind handed to the system browser. */
export function isWebUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:';
}

/** True when `url` belongs to the app itself (the packaged app:// origin or the dev server). */
export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  // `origin` is "null" for non-special schemes, so compare protocol and host.
  return appOrigins.some((o) => {
    const a = new URL(o);
    return u.protocol === a.protocol && u.host === a.host;
  });
}

export interface LinkPolicy {
  appOrigins: readonly string[];
  openExternal(url: string): void;
  log: Logger;
}

/** will-navigate / will-redirect: stay inside the app; web links go to the system browser; anything else is dropped. */
export function handleNavigation(policy: LinkPolicy, event: Pick<Event, 'preventDefault'>, url: string): void {
  if (isAppUrl(url, policy.appOrigins)) return;
  event.preventDefault();
  if (isWebUrl(url)) policy.openExternal(url);
  else policy.log.warn('navigation blocked', url);
}

/** setWindowOpenHandler: never a new Electron window; web links go to the system browser. */
export function handleWindowOpen(policy: LinkPolicy, details: Pick<HandlerDetails, 'url'>): { action: 'deny' } {
  if (isWebUrl(details.url)) policy.openExternal(details.url);
  else policy.log.warn('window.open blocked', details.url);
  return { action: 'deny' };
}

/** Permission requests: only notifications are granted. */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'notifications';
}

/** The http(s) and ws(s) origins of a server address, for connect-src. */
export function serverOrigins(serverUrl: string | null): string[] {
  if (!serverUrl || !URL.canParse(serverUrl)) return [];
  const u = new URL(serverUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return [];
  return [u.origin, `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`];
}

/**
 * The Content-Security-Policy of every app page: its own scripts only, no plugins, frames or forms.
 * When IT locked the server address, the page may connect to that server only. Otherwise the user
 * may pick a server on the login screen and sign in to it at once, so any http(s)/ws(s) origin is
 * allowed (a CSP cannot change without reloading the page, which would drop the typed password).
 */
export function contentSecurityPolicy(serverUrl: string | null, opts: { serverLocked: boolean; devOrigin?: string }): string {
  const server = serverOrigins(serverUrl);
  const devOrigin = opts.devOrigin;
  const dev = devOrigin ? serverOrigins(devOrigin) : [];
  const http = server.slice(0, 1);
  const anyServer = opts.serverLocked && server.length > 0 ? [] : ['http:', 'https:', 'ws:', 'wss:'];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    // The Vite dev server injects an inline React refresh preamble; production never needs inline script.
    'script-src': ["'self'", ...(devOrigin ? ["'unsafe-inline'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...http],
    'media-src': ["'self'", 'blob:', ...http],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...server, ...anyServer, ...dev],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** The part of WebContents the hardening touches. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => { action: 'deny' }): void;
}

/** Apply the navigation, window.open and webview rules to a web contents (every one the app creates). */
export function hardenWebContents(contents: WebContentsLike, policy: LinkPolicy): void {
  contents.on('will-navigate', (event, url) => handleNavigation(policy, event, url));
  contents.on('will-redirect', (event, url) => handleNavigation(policy, event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => handleWindowOpen(policy, details));
}

/** The part of Session the hardening touches. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
}

/** Deny every permission request and check except notifications. */
export function hardenSession(ses: SessionLike, log: Logger): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    const ok = isPermissionAllowed(permission);
    if (!ok) log.warn('permission denied', permission);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
}
