import type { MainEvent, MainEvents } from '../shared/ipc';
import type { NotifyRequest, Presets } from '../shared/platform';
import { type BadgePlan, badgePlan } from './badge';
import type { InvokeHandlers, SendHandlers } from './ipc';
import type { Logger } from './log';
import { previewText, shouldNotify } from './notify';
import { effectiveServerUrl } from './presets';
import type { SessionStore } from './session-store';
import type { SettingsStore } from './settings';
import type { TrayState } from './tray-menu';

/** What the controller asks of Electron; shell.ts implements it, tests fake it. */
export interface Shell {
  /** Create the main window if needed, then show and focus it. */
  showMainWindow(): void;
  isMainWindowFocused(): boolean;
  sendToMain<E extends MainEvent>(event: E, payload: MainEvents[E]): void;
  openAdminWindow(): void;
  closeAdminWindow(): void;
  showNotification(n: { title: string; body: string; onClick: () => void }): void;
  applyBadge(plan: BadgePlan): void;
  updateTray(state: TrayState): void;
  openExternal(url: string): void;
  quit(): void;
}

/** The main process's state and rules: which room is open, Do not disturb, badges, who may open the admin window. */
export class Controller {
  private doNotDisturb = false;
  private activeRoomId: string | null = null;
  private muted = new Set<string>();
  private role: 'user' | 'admin' | null = null;
  /** The page has loaded, and someone signed in on it: only then does it listen for rooms to open. */
  private pageLoaded = false;
  private pageSignedIn = false;
  private pendingRoom: string | null = null;

  constructor(
    private readonly shell: Shell,
    private readonly deps: {
      platform: NodeJS.Platform;
      presets: Presets;
      settings: SettingsStore;
      sessions: SessionStore;
      log: Logger;
    },
  ) {}

  get serverUrl(): string | null {
    return effectiveServerUrl(this.deps.presets, this.deps.settings.get().serverUrl ?? null);
  }

  get isAdmin(): boolean {
    return this.role === 'admin';
  }

  trayState(): TrayState {
    return { doNotDisturb: this.doNotDisturb, isAdmin: this.isAdmin };
  }

  /** The page (re)loaded: it listens for rooms to open once its session is restored or signed in. */
  rendererLoaded(): void {
    this.pageLoaded = true;
    this.pageSignedIn = false;
  }

  rendererGone(): void {
    this.pageLoaded = false;
    this.pageSignedIn = false;
  }

  /** A notification click, tray or hi-msg:// link asks for a room; it waits for a page that can open it (after sign-in, at startup). */
  openRoom(roomId: string): void {
    this.shell.showMainWindow();
    this.pendingRoom = roomId;
    this.handOverRoom();
  }

  private handOverRoom(): void {
    if (!this.pendingRoom || !this.pageLoaded || !this.pageSignedIn) return;
    this.shell.sendToMain('open-room', this.pendingRoom);
    this.pendingRoom = null;
  }

  setDoNotDisturb(on: boolean, fromTray: boolean): void {
    this.doNotDisturb = on;
    this.shell.updateTray(this.trayState());
    if (fromTray) this.shell.sendToMain('dnd-changed', on);
  }

  openAdminWindow(): boolean {
    if (!this.isAdmin) {
      this.deps.log.warn('admin window refused: the signed-in user is not an admin');
      return false;
    }
    this.shell.openAdminWindow();
    return true;
  }

  notify(req: NotifyRequest): boolean {
    const isAdminNotice = req.kind === 'admin';
    if (isAdminNotice && !this.isAdmin) return false;
    const ok = isAdminNotice
      ? !this.doNotDisturb
      : shouldNotify({
          roomId: req.roomId,
          focusedRoomId: this.activeRoomId,
          windowFocused: this.shell.isMainWindowFocused(),
          mutedRoomIds: this.muted,
          doNotDisturb: this.doNotDisturb,
        });
    if (!ok) return false;
    this.shell.showNotification({
      title: previewText(req.title, 60),
      body: previewText(req.body),
      onClick: () => (isAdminNotice ? this.openAdminWindow() : this.openRoom(req.roomId)),
    });
    return true;
  }

  /** The handlers behind every IPC channel (arguments already validated by the registry). */
  invokeHandlers(): InvokeHandlers {
    return {
      'session:load': () => this.deps.sessions.load(),
      'session:save': (token) => this.deps.sessions.save(token),
      'presets:get': () => this.deps.presets,
      'server-url:get': () => this.serverUrl,
      'server-url:set': (url) => this.setServerUrl(url),
    };
  }

  sendHandlers(): SendHandlers {
    return {
      'badge:set': (count) => this.shell.applyBadge(badgePlan(this.deps.platform, count)),
      notify: (req) => void this.notify(req),
      'active-room:set': (roomId) => {
        this.activeRoomId = roomId;
      },
      'muted-rooms:set': (ids) => {
        this.muted = new Set(ids);
      },
      'dnd:set': (on) => this.setDoNotDisturb(on, false),
      'external:open': (url) => this.shell.openExternal(url),
      'admin-window:open': () => void this.openAdminWindow(),
      'signed-in:set': (info) => {
        this.role = info?.role ?? null;
        if (!this.isAdmin) this.shell.closeAdminWindow();
        // Signing out clears the badge; the next user's counts arrive after sign-in.
        if (!info) this.shell.applyBadge(badgePlan(this.deps.platform, 0));
        this.shell.updateTray(this.trayState());
        this.pageSignedIn = info !== null;
        this.handOverRoom();
      },
    };
  }

  private setServerUrl(url: string): void {
    if (this.deps.presets.locked.includes('serverUrl')) {
      throw new Error('The server address is set by your IT department and cannot be changed.');
    }
    this.deps.settings.update({ serverUrl: url.replace(/\/+$/, '') });
  }
}
