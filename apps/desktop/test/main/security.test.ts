import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAppFile, serveAppRequest } from '../../src/main/app-protocol';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  handleNavigation,
  handleWindowOpen,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  type LinkPolicy,
  webPreferencesFor,
} from '../../src/main/security';
import { BrowserWindow, FakeWebContents, resetFakeElectron } from './fake-electron';
import { type FakeLog, fakeLog, spy, type Spy, tempDir } from './helpers';

vi.mock('electron', () => import('./fake-electron'));
const { ElectronShell } = await import('../../src/main/shell');
const { SettingsStore } = await import('../../src/main/settings');

const LOCKED_DOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
};

describe('webPreferences', () => {
  it.each(['main', 'admin'] as const)('the %s window is isolated, sandboxed and without Node', (kind) => {
    const prefs = webPreferencesFor(kind, { preload: '/app/dist/preload/index.js', locale: 'ko-KR', devTools: false });
    expect(prefs).toMatchObject(LOCKED_DOWN);
    expect(prefs.preload).toBe('/app/dist/preload/index.js');
    expect(prefs.devTools).toBe(false);
    expect(prefs.additionalArguments).toEqual(['--hi-msg-locale=ko-KR']);
  });
});

function policy(): LinkPolicy & { openExternal: Spy; log: FakeLog } {
  return { appOrigins: [APP_ORIGIN], openExternal: spy(), log: fakeLog() };
}

describe('navigation and window.open', () => {
  it('allows navigation inside the app only', () => {
    const p = policy();
    const inside = { preventDefault: vi.fn() };
    handleNavigation(p, inside, 'app://hi-msg/index.html#/rooms');
    expect(inside.preventDefault).not.toHaveBeenCalled();

    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'hi-msg://room/x']) {
      const e = { preventDefault: vi.fn() };
      handleNavigation(p, e, url);
      expect(e.preventDefault, url).toHaveBeenCalled();
    }
    // Only the web link went to the system browser.
    expect(p.openExternal.mock.calls).toEqual([['https://evil.example/']]);
  });

  it('the dev server is inside the app only when it is one of the app origins', () => {
    expect(isAppUrl('http://localhost:5173/index.html', [APP_ORIGIN, 'http://localhost:5173'])).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html', [APP_ORIGIN])).toBe(false);
    expect(isAppUrl('http://localhost:5174/', [APP_ORIGIN, 'http://localhost:5173'])).toBe(false);
  });

  it('denies every window.open; http(s) links open in the system browser, nothing else does', () => {
    const p = policy();
    expect(handleWindowOpen(p, { url: 'https://docs.example.com/a?b=1' })).toEqual({ action: 'deny' });
    expect(handleWindowOpen(p, { url: 'http://intranet/wiki' })).toEqual({ action: 'deny' });
    expect(handleWindowOpen(p, { url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(handleWindowOpen(p, { url: 'smb://server/share' })).toEqual({ action: 'deny' });
    expect(handleWindowOpen(p, { url: 'app://hi-msg/index.html' })).toEqual({ action: 'deny' });
    expect(p.openExternal.mock.calls).toEqual([['https://docs.example.com/a?b=1'], ['http://intranet/wiki']]);
    expect(p.log.warn).toHaveBeenCalledTimes(3);
  });

  it('every web contents gets the handlers, and webviews are refused', () => {
    const p = policy();
    const contents = new FakeWebContents();
    hardenWebContents(contents, p);
    const nav = { preventDefault: vi.fn() };
    contents.emit('will-navigate', nav, 'https://phish.example/login');
    expect(nav.preventDefault).toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect, 'file:///etc/passwd');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://x.example' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('grants notifications and refuses everything else', () => {
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, permission: string) => boolean) | undefined;
    hardenSession({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) }, fakeLog());
    const answers: Record<string, boolean> = {};
    for (const perm of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midi']) {
      request!(null, perm, (ok) => (answers[perm] = ok));
    }
    expect(answers).toEqual({ notifications: true, media: false, geolocation: false, 'clipboard-read': false, openExternal: false, fullscreen: false, midi: false });
    expect(check!(null, 'notifications')).toBe(true);
    expect(check!(null, 'media')).toBe(false);
  });
});

describe('content security policy', () => {
  it('with a server IT locked, the page reaches that server over http(s) and ws(s), nothing else', () => {
    const csp = contentSecurityPolicy('https://chat.example.com:8443', { serverLocked: true });
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://chat.example.com:8443 wss://chat.example.com:8443;");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy('http://10.1.2.3:5050', { serverLocked: true })).toContain("connect-src 'self' http://10.1.2.3:5050 ws://10.1.2.3:5050;");
  });

  it('when users may pick their server, the page may connect to any http(s)/ws(s) server but still runs only its own scripts', () => {
    for (const csp of [contentSecurityPolicy('https://chat.example.com', { serverLocked: false }), contentSecurityPolicy(null, { serverLocked: false })]) {
      expect(csp).toMatch(/connect-src 'self'( https:\/\/chat\.example\.com wss:\/\/chat\.example\.com)? http: https: ws: wss:;/);
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('the dev server may run its inline preamble and hot reload; a packaged app never gets that', () => {
    const dev = contentSecurityPolicy('https://chat.example.com', { serverLocked: true, devOrigin: 'http://localhost:5173' });
    expect(dev).toContain("script-src 'self' 'unsafe-inline';");
    expect(dev).toContain('ws://localhost:5173');
  });
});

describe('the app:// protocol', () => {
  const root = join(tempDir(), 'renderer');

  it('serves files under the renderer folder only', () => {
    expect(resolveAppFile(root, 'app://hi-msg/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://hi-msg/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile(root, 'app://hi-msg/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    // The URL parser folds dot segments, even encoded ones, before the path is read: still inside.
    expect(resolveAppFile(root, 'app://hi-msg/%2e%2e/%2e%2e/main/index.js')).toBe(join(root, 'main', 'index.js'));
    expect(resolveAppFile(root, 'app://hi-msg/..%2fpackage.json')).toBeNull();
    expect(resolveAppFile(root, 'app://hi-msg/%00')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });

  it('every response carries the CSP', async () => {
    const ok = await serveAppRequest(root, 'app://hi-msg/index.html', "default-src 'none'", () => Promise.resolve(new TextEncoder().encode('<html>')));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    const missing = await serveAppRequest(root, 'app://hi-msg/nope.js', "default-src 'none'", () => Promise.reject(new Error('ENOENT')));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});

describe('windows', () => {
  beforeEach(() => resetFakeElectron());

  function makeShell(): InstanceType<typeof ElectronShell> {
    const log = fakeLog();
    return new ElectronShell({
      platform: 'win32',
      preload: '/app/dist/preload/index.js',
      rendererUrl: 'app://hi-msg/index.html',
      locale: 'ko-KR',
      devTools: false,
      settings: new SettingsStore(join(tempDir(), 'settings.json'), log),
      log,
      trayActions: { open: vi.fn(), setDoNotDisturb: vi.fn(), openAdmin: vi.fn(), quit: vi.fn() },
      onRendererLoaded: vi.fn(),
      onRendererGone: vi.fn(),
    });
  }

  it('the main and admin windows are created locked down; the admin window loads #/admin', () => {
    const shell = makeShell();
    shell.showMainWindow();
    shell.openAdminWindow();
    const [main, admin] = BrowserWindow.instances;
    expect(main!.options.webPreferences).toMatchObject(LOCKED_DOWN);
    expect(admin!.options.webPreferences).toMatchObject(LOCKED_DOWN);
    expect(main!.loadURL).toHaveBeenCalledWith('app://hi-msg/index.html');
    expect(admin!.loadURL).toHaveBeenCalledWith('app://hi-msg/index.html#/admin');
    // A second request focuses the open admin window instead of making another.
    shell.openAdminWindow();
    expect(BrowserWindow.instances).toHaveLength(2);
    expect(admin!.focus).toHaveBeenCalled();
  });

  it('closing the main window hides it to the tray; after Quit it really closes', () => {
    const shell = makeShell();
    shell.showMainWindow();
    const main = BrowserWindow.instances[0]!;
    main.close();
    expect(main.hide).toHaveBeenCalled();
    expect(main.isDestroyed()).toBe(false);
    shell.quitting = true;
    main.close();
    expect(main.isDestroyed()).toBe(true);
  });

  it('remembers the size and position and reopens there', () => {
    const log = fakeLog();
    const file = join(tempDir(), 'settings.json');
    const settings = new SettingsStore(file, log);
    const opts = {
      platform: 'linux' as const,
      preload: '/p.js',
      rendererUrl: 'app://hi-msg/index.html',
      locale: 'en',
      devTools: false,
      settings,
      log,
      trayActions: { open: vi.fn(), setDoNotDisturb: vi.fn(), openAdmin: vi.fn(), quit: vi.fn() },
      onRendererLoaded: vi.fn(),
      onRendererGone: vi.fn(),
    };
    const first = new ElectronShell(opts);
    first.showMainWindow();
    BrowserWindow.instances[0]!.close(); // hides, and saves the bounds
    // A new start reads the file again.
    const second = new ElectronShell({ ...opts, settings: new SettingsStore(file, log) });
    second.showMainWindow();
    expect(BrowserWindow.instances[1]!.options).toMatchObject({ x: 10, y: 20, width: 800, height: 600 });
  });
});

describe('a crashed page', () => {
  beforeEach(() => resetFakeElectron());

  it('is loaded again, so the window never stays blank', () => {
    vi.useFakeTimers();
    try {
      const log = fakeLog();
      const shell = new ElectronShell({
        platform: 'linux',
        preload: '/p.js',
        rendererUrl: 'app://hi-msg/index.html',
        locale: 'en',
        devTools: false,
        settings: new SettingsStore(join(tempDir(), 'settings.json'), log),
        log,
        trayActions: { open: vi.fn(), setDoNotDisturb: vi.fn(), openAdmin: vi.fn(), quit: vi.fn() },
        onRendererLoaded: vi.fn(),
        onRendererGone: vi.fn(),
      });
      shell.showMainWindow();
      const main = BrowserWindow.instances[0]!;
      main.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
      vi.advanceTimersByTime(1500);
      expect(main.webContents.reload).toHaveBeenCalledTimes(1);
      expect(log.error).toHaveBeenCalledWith('renderer gone', 'crashed');
    } finally {
      vi.useRealTimers();
    }
  });
});
