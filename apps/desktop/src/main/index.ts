// The Electron main process: wiring only. The rules live in plain modules (controller, security,
// presets, badge, …) that test/main runs under Node with a fake `electron`.
// Development: `pnpm --filter @hi-msg/desktop build`, then `HI_MSG_DEV_URL=http://localhost:5173 electron .`
// with `vite` serving the renderer (or without HI_MSG_DEV_URL to load the built renderer).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { app, ipcMain, autoUpdater as nativeUpdater, shell as osShell, protocol, safeStorage, session } from 'electron';
import log from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import { serveAppRequest } from './app-protocol';
import { Controller } from './controller';
import { parseDeepLink, PROTOCOL, roomFromArgv } from './deeplink';
import { registerIpc } from './ipc';
import { POLICY_KEY, presetCandidates, presetsFromRegQuery, readPresets } from './presets';
import { APP_ORIGIN, APP_SCHEME, contentSecurityPolicy, hardenSession, hardenWebContents, type LinkPolicy } from './security';
import { SessionStore } from './session-store';
import { SettingsStore } from './settings';
import { ElectronShell } from './shell';
import { startAutoUpdate, updatePlan } from './updater';

const APP_ID = 'com.himsg.desktop';

log.transports.file.level = 'info';
log.errorHandler.startCatching({ showDialog: false });

// Development loads the Vite dev server; a packaged app never does, whatever the environment says.
const devUrl = !app.isPackaged ? process.env.HI_MSG_DEV_URL : undefined;
const appOrigins = devUrl ? [APP_ORIGIN, new URL(devUrl).origin] : [APP_ORIGIN];
const rendererRoot = join(__dirname, '..', 'renderer');

// standard + secure: a real origin for 'self' and storage; corsEnabled: Vite's crossorigin module scripts load from it.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Another instance is running: it receives our argv (and any hi-msg:// link) through 'second-instance'.
  app.quit();
} else {
  start();
}

function start(): void {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  // Group policy (Windows registry) wins over a preset file.
  const presets =
    (process.platform === 'win32' ? presetsFromRegQuery(regQuery(POLICY_KEY)) : null) ??
    readPresets(
      presetCandidates({
        platform: process.platform,
        exeDir: dirname(app.getPath('exe')),
        resourcesDir: process.resourcesPath,
        programData: process.env.ProgramData,
        join,
      }),
    );
  if (presets.warning) log.warn(presets.warning);
  else if (presets.source) log.info('IT presets from', presets.source, 'locked:', presets.locked);

  const settings = new SettingsStore(join(app.getPath('userData'), 'settings.json'), log);
  let pendingRoom = roomFromArgv(process.argv);
  let controller: Controller | null = null;
  const openRoom = (roomId: string | null): void => {
    if (!roomId) return;
    if (controller) controller.openRoom(roomId);
    else pendingRoom = roomId;
  };

  // macOS delivers links as events, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const room = parseDeepLink(url);
    if (room) openRoom(room);
    else log.warn('ignored link', url);
  });

  const policy: LinkPolicy = {
    appOrigins,
    openExternal: (url) => void osShell.openExternal(url).catch((err: unknown) => log.warn('could not open link', err)),
    log,
  };
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, policy));

  app.whenReady().then(() => {
    const locale = app.getPreferredSystemLanguages()[0] ?? app.getLocale();
    const sessions = new SessionStore(join(app.getPath('userData'), 'session.bin'), safeStorage, process.platform, log);
    const shell: ElectronShell = new ElectronShell({
      platform: process.platform,
      preload: join(__dirname, '..', 'preload', 'index.js'),
      rendererUrl: devUrl ?? `${APP_ORIGIN}/index.html`,
      locale,
      devTools: !app.isPackaged,
      settings,
      log,
      trayActions: {
        open: () => shell.showMainWindow(),
        setDoNotDisturb: (on) => ctl.setDoNotDisturb(on, true),
        openAdmin: () => void ctl.openAdminWindow(),
        quit: () => shell.quit(),
      },
      onRendererLoaded: () => ctl.rendererLoaded(),
      onRendererGone: () => ctl.rendererGone(),
    });
    const ctl = new Controller(shell, { platform: process.platform, presets, settings, sessions, log });
    controller = ctl;

    const csp = (): string => contentSecurityPolicy(ctl.serverUrl, { serverLocked: presets.locked.includes('serverUrl'), devOrigin: devUrl });
    hardenSession(session.defaultSession, log);
    protocol.handle(APP_SCHEME, (req) => serveAppRequest(rendererRoot, req.url, csp(), (p) => readFile(p)));
    if (devUrl) {
      session.defaultSession.webRequest.onHeadersReceived({ urls: [`${new URL(devUrl).origin}/*`] }, (details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp()] } });
      });
    }
    registerIpc(ipcMain, ctl.invokeHandlers(), ctl.sendHandlers(), appOrigins, log);

    app.on('second-instance', (_event, argv) => {
      const room = roomFromArgv(argv);
      if (room) ctl.openRoom(room);
      else shell.showMainWindow();
    });
    app.on('activate', () => shell.showMainWindow());
    app.on('before-quit', () => (shell.quitting = true));
    if (app.isPackaged && !app.isDefaultProtocolClient(PROTOCOL)) app.setAsDefaultProtocolClient(PROTOCOL);

    shell.createTray();
    shell.showMainWindow();
    if (pendingRoom) ctl.openRoom(pendingRoom);
    pendingRoom = null;
    // Installing an update quits the app (emitted on Electron's own autoUpdater): windows then close for real.
    nativeUpdater.on('before-quit-for-update', () => (shell.quitting = true));
    startAutoUpdate(updatePlan({ isPackaged: app.isPackaged, presets, serverUrl: ctl.serverUrl }), autoUpdater, log);
  }, (err: unknown) => log.error('start failed', err));

  // The app lives in the tray: closing every window does not quit it.
  app.on('window-all-closed', () => undefined);
}

/** `reg query` output for a key, or null when it does not exist. */
function regQuery(key: string): string | null {
  try {
    return execFileSync('reg.exe', ['query', key], { encoding: 'utf8', timeout: 5000, windowsHide: true });
  } catch {
    return null;
  }
}
