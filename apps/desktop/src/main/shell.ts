import { app, BrowserWindow, Menu, type NativeImage, nativeImage, Notification, screen, shell as osShell, Tray } from 'electron';
import type { MainEvent, MainEvents } from '../shared/ipc';
import type { BadgePlan } from './badge';
import type { Shell } from './controller';
import { contextMenuTemplate } from './context-menu';
import type { Logger } from './log';
import { type Bitmap, encodePng, overlayBitmap, trayIconBitmap } from './pixels';
import { webPreferencesFor, type WindowKind } from './security';
import { restoreBounds, type SettingsStore } from './settings';
import { type TrayActions, trayLabels, trayMenuTemplate, type TrayState, trayTooltip } from './tray-menu';

export interface ShellOptions {
  platform: NodeJS.Platform;
  preload: string;
  /** The renderer's index page (app://hi-msg/index.html, or the dev server). */
  rendererUrl: string;
  locale: string;
  devTools: boolean;
  settings: SettingsStore;
  log: Logger;
  trayActions: TrayActions;
  onRendererLoaded(): void;
  onRendererGone(): void;
}

/** A bitmap as a NativeImage (drawn at 2×, so it is sharp on high-DPI screens). */
export function toNativeImage(bmp: Bitmap): NativeImage {
  return nativeImage.createFromBuffer(encodePng(bmp), { scaleFactor: 2 });
}

/** The Electron side of the controller: windows, tray, notifications and badges. */
export class ElectronShell implements Shell {
  private main: BrowserWindow | null = null;
  private admin: BrowserWindow | null = null;
  private tray: Tray | null = null;
  private lastBadge: BadgePlan | null = null;
  private trayState: TrayState = { doNotDisturb: false, isAdmin: false };
  // Notifications are kept until closed: a collected Notification loses its click handler.
  private readonly live = new Set<Notification>();
  /** Set on Quit: closing the main window then really closes it instead of hiding to the tray. */
  quitting = false;

  constructor(private readonly opts: ShellOptions) {}

  createTray(): void {
    const t = trayLabels(this.opts.locale);
    this.tray = new Tray(this.trayImage(''));
    this.tray.setToolTip(t('tooltip'));
    this.tray.on('click', () => this.showMainWindow());
    this.updateTray(this.trayState);
  }

  showMainWindow(): void {
    const win = this.main ?? this.createMainWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  isMainWindowFocused(): boolean {
    return !!this.main && !this.main.isDestroyed() && this.main.isVisible() && this.main.isFocused();
  }

  sendToMain<E extends MainEvent>(event: E, payload: MainEvents[E]): void {
    if (this.main && !this.main.isDestroyed()) this.main.webContents.send(event, payload);
  }

  openAdminWindow(): void {
    if (this.admin && !this.admin.isDestroyed()) {
      this.admin.show();
      this.admin.focus();
      return;
    }
    const win = this.createWindow('admin', { width: 1100, height: 760 });
    win.on('closed', () => (this.admin = null));
    this.admin = win;
  }

  closeAdminWindow(): void {
    if (this.admin && !this.admin.isDestroyed()) this.admin.close();
  }

  showNotification(n: { title: string; body: string; onClick: () => void }): void {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body });
    this.live.add(note);
    note.on('click', () => {
      this.live.delete(note);
      n.onClick();
    });
    note.on('close', () => this.live.delete(note));
    note.show();
  }

  applyBadge(plan: BadgePlan): void {
    this.lastBadge = plan;
    if (this.tray) {
      if (plan.tray.kind === 'title') this.tray.setTitle(plan.tray.text ? ` ${plan.tray.text}` : '');
      else this.tray.setImage(this.trayImage(plan.tray.text));
      this.tray.setToolTip(trayTooltip(this.opts.locale, plan.tray.text));
    }
    switch (plan.shell.kind) {
      case 'overlay':
        if (this.main && !this.main.isDestroyed()) {
          this.main.setOverlayIcon(plan.shell.text ? toNativeImage(overlayBitmap(plan.shell.text)) : null, plan.shell.text ? trayTooltip(this.opts.locale, plan.shell.text) : '');
        }
        break;
      case 'dock':
        app.dock?.setBadge(plan.shell.text);
        break;
      case 'count':
        app.setBadgeCount(plan.shell.count);
        break;
    }
  }

  updateTray(state: TrayState): void {
    this.trayState = state;
    if (!this.tray) return;
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, this.opts.trayActions, trayLabels(this.opts.locale))));
  }

  openExternal(url: string): void {
    osShell.openExternal(url).catch((err: unknown) => this.opts.log.warn('could not open link', err));
  }

  quit(): void {
    this.quitting = true;
    app.quit();
  }

  private trayImage(text: string): NativeImage {
    const image = toNativeImage(trayIconBitmap(this.opts.platform === 'darwin' ? '' : text));
    // The macOS menu bar tints template images for light and dark mode.
    if (this.opts.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  private createMainWindow(): BrowserWindow {
    const saved = this.opts.settings.get().window;
    const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
    const win = this.createWindow('main', bounds);
    if (saved?.maximized) win.maximize();
    win.webContents.on('did-finish-load', () => this.opts.onRendererLoaded());
    win.webContents.on('did-start-loading', () => this.opts.onRendererGone());
    win.webContents.on('render-process-gone', (_e, details) => {
      this.opts.log.error('renderer gone', details.reason);
      this.opts.onRendererGone();
      // A crashed page would leave a blank window in the tray: load it again (its outbox survives on disk).
      if (details.reason !== 'clean-exit') setTimeout(() => !win.isDestroyed() && win.webContents.reload(), 1000);
    });
    win.on('close', (event) => {
      this.saveBounds(win);
      if (this.quitting) return;
      // Closing the window keeps the app in the tray; Quit is in the tray menu.
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => (this.main = null));
    // Also saved while moving, so a crash or power cut keeps the last place.
    let saveTimer: NodeJS.Timeout | undefined;
    const saveSoon = (): void => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => this.saveBounds(win), 1000);
    };
    win.on('resized', saveSoon);
    win.on('moved', saveSoon);
    this.main = win;
    if (this.lastBadge) this.applyBadge(this.lastBadge);
    return win;
  }

  private saveBounds(win: BrowserWindow): void {
    if (win.isDestroyed()) return;
    const { x, y, width, height } = win.getNormalBounds();
    this.opts.settings.update({ window: { x, y, width, height, maximized: win.isMaximized() } });
  }

  private createWindow(kind: WindowKind, bounds: { x?: number; y?: number; width: number; height: number }): BrowserWindow {
    const win = new BrowserWindow({
      ...bounds,
      minWidth: 360,
      minHeight: 480,
      show: false,
      title: kind === 'admin' ? 'Hi_Msg Admin' : 'Hi_Msg',
      autoHideMenuBar: true,
      webPreferences: webPreferencesFor(kind, { preload: this.opts.preload, locale: this.opts.locale, devTools: this.opts.devTools }),
    });
    win.once('ready-to-show', () => win.show());
    win.webContents.on('context-menu', (_event, params) => {
      const template = contextMenuTemplate(params, this.opts.locale, (word) => win.webContents.replaceMisspelling(word));
      if (template.length > 0) Menu.buildFromTemplate(template).popup({ window: win });
    });
    const url = kind === 'admin' ? `${this.opts.rendererUrl}#/admin` : this.opts.rendererUrl;
    win.loadURL(url).catch((err: unknown) => this.opts.log.error(`${kind} window failed to load`, err));
    return win;
  }
}
