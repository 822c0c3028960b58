import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { spy, type Spy } from './helpers';

/**
 * A stand-in for the `electron` module under Node: records what main asks of Electron.
 * Use with `vi.mock('electron', () => import('./fake-electron'))`.
 */

export class FakeWebContents extends EventEmitter {
  readonly send = spy();
  readonly reload = spy();
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = spy(() => Promise.resolve());
  readonly setOverlayIcon = spy();
  readonly show = spy(() => (this.visible = true));
  readonly hide = spy(() => (this.visible = false));
  readonly focus = spy(() => (this.focused = true));
  readonly restore = spy();
  readonly maximize = spy();
  visible = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    BrowserWindow.instances.push(this);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 20, width: 800, height: 600 };
  }
  /** Like Electron: 'close' may be prevented; otherwise the window is destroyed and 'closed' follows. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  readonly dock = { setBadge: spy() };
  readonly setBadgeCount = spy(() => true);
  readonly quit = spy();
  readonly setAppUserModelId = spy();
  readonly setAsDefaultProtocolClient = spy();
  readonly isDefaultProtocolClient = spy(() => false);
  readonly requestSingleInstanceLock = spy(() => true);
  isPackaged = false;
  userData = '/nonexistent';
  getPath(name: string): string {
    return name === 'exe' ? '/opt/Hi_Msg/hi-msg' : this.userData;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPreferredSystemLanguages(): string[] {
    return ['ko-KR'];
  }
  getLocale(): string {
    return 'ko';
  }
}
export const app = new FakeApp();

type Handler = (...args: never[]) => unknown;
export const protocol = {
  registerSchemesAsPrivileged: spy(),
  handlers: new Map<string, Handler>(),
  handle(scheme: string, handler: Handler): void {
    protocol.handlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handles: new Map<string, Handler>(),
  ons: new Map<string, Handler>(),
  handle(channel: string, l: Handler): void {
    ipcMain.handles.set(channel, l);
  },
  on(channel: string, l: Handler): void {
    ipcMain.ons.set(channel, l);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: spy(),
    setPermissionCheckHandler: spy(),
    webRequest: { onHeadersReceived: spy() },
  },
};

export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptString: (s: string): Buffer => Buffer.from(s).reverse(),
  decryptString: (b: Buffer): string => Buffer.from(b).reverse().toString(),
};

/** Electron's own autoUpdater (electron-updater emits before-quit-for-update on it). */
export const autoUpdater = new EventEmitter();

export interface FakeImage {
  png: Buffer;
  scaleFactor: number | undefined;
  setTemplateImage: Spy;
}

export const nativeImage = {
  createFromBuffer: vi.fn((png: Buffer, opts?: { scaleFactor?: number }): FakeImage => ({ png, scaleFactor: opts?.scaleFactor, setTemplateImage: spy() })),
};

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  readonly setImage = spy();
  readonly setTitle = spy();
  readonly setToolTip = spy();
  readonly setContextMenu = spy();
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
}

export const Menu = { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] };
export const shell = { openExternal: spy(() => Promise.resolve()) };

/** Forget every window, tray, notification and call between tests. */
export function resetFakeElectron(): void {
  BrowserWindow.instances = [];
  Tray.instances = [];
  Notification.shown = [];
  vi.clearAllMocks();
}

/** The renderer side: what the preload sends, invokes and listens to. */
class FakeIpcRenderer extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(`reply:${channel}`);
  }
}
export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};
