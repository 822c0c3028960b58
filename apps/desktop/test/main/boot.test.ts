import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannels, sendChannels } from '../../src/shared/ipc';
import { app, BrowserWindow, FakeWebContents, ipcMain, protocol, session, Tray } from './fake-electron';
import { ROOM_A, spy, tempDir } from './helpers';

/** The entry point wired to the fake Electron: what a real start would do, in order. */
vi.mock('electron', () => import('./fake-electron'));
vi.mock('electron-log/main', () => ({
  default: { transports: { file: { level: 'info' } }, errorHandler: { startCatching: spy() }, info: spy(), warn: spy(), error: spy() },
}));
const updater = vi.hoisted(() => ({ logger: null as unknown, setFeedURL: vi.fn(), checkForUpdatesAndNotify: vi.fn(() => Promise.resolve(null)) }));
vi.mock('electron-updater', () => ({ autoUpdater: updater }));

beforeAll(async () => {
  app.userData = tempDir();
  Object.assign(process, { resourcesPath: join(tempDir(), 'resources') });
  await import('../../src/main/index');
  await new Promise((r) => setImmediate(r));
});

describe('starting the app', () => {
  it('registers app:// before ready and serves the renderer from it with the CSP', async () => {
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    const handler = protocol.handlers.get('app') as unknown as (req: { url: string }) => Promise<Response>;
    const res = await handler({ url: 'app://hi-msg/../../main/index.js' });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('registers every IPC channel and the permission rules', () => {
    expect([...ipcMain.handles.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect([...ipcMain.ons.keys()].sort()).toEqual(Object.keys(sendChannels).sort());
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
  });

  it('opens a locked-down main window on app://hi-msg and a tray', () => {
    expect(BrowserWindow.instances).toHaveLength(1);
    const main = BrowserWindow.instances[0]!;
    expect(main.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(main.loadURL).toHaveBeenCalledWith('app://hi-msg/index.html');
    expect(Tray.instances).toHaveLength(1);
  });

  it('hardens every web contents created', () => {
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    const nav = { preventDefault: vi.fn() };
    contents.emit('will-navigate', nav, 'https://evil.example');
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://x.example' })).toEqual({ action: 'deny' });
  });

  it('a second launch with a room link focuses the window and opens the room once the page has loaded and signed in', () => {
    const main = BrowserWindow.instances[0]!;
    main.webContents.emit('did-finish-load');
    const signedIn = ipcMain.ons.get('signed-in:set') as unknown as (event: unknown, info: unknown) => void;
    signedIn({ senderFrame: { url: 'app://hi-msg/index.html#/chats' } }, { role: 'user' });
    main.focus.mockClear();
    app.emit('second-instance', {}, ['/opt/Hi_Msg/hi-msg', `hi-msg://room/${ROOM_A}`]);
    expect(main.focus).toHaveBeenCalled();
    expect(main.webContents.send).toHaveBeenCalledWith('open-room', ROOM_A);
    main.webContents.send.mockClear();
    app.emit('second-instance', {}, ['/opt/Hi_Msg/hi-msg', 'hi-msg://room/../../etc/passwd']);
    expect(main.webContents.send).not.toHaveBeenCalled();
  });

  it('does not update a development build', () => {
    expect(updater.setFeedURL).not.toHaveBeenCalled();
  });
});
