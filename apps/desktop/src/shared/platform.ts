/**
 * Everything the renderer may ask of the operating system. In Electron the preload script
 * exposes an implementation as `window.hiMsg`; in a plain browser the renderer falls back to
 * web APIs (Notification, an "(N)" title badge, localStorage).
 */
export interface NotifyRequest {
  roomId: string;
  title: string;
  body: string;
  /** 'admin' for a pending signup or reset request: clicking opens the admin window. Default 'message'. */
  kind?: 'message' | 'admin';
}

export interface Presets {
  serverUrl?: string;
  updateUrl?: string;
  autoUpdate?: boolean;
  /** Names of the settings IT locked; the UI shows them read-only. */
  locked: ('serverUrl' | 'updateUrl' | 'autoUpdate')[];
  /** Why the preset file was ignored, when it was malformed. */
  warning?: string;
  /** The preset file the values came from, when one was found. */
  source?: string;
}

export interface Platform {
  readonly kind: 'electron' | 'web';
  /** The unread total on the tray icon, taskbar overlay, dock or launcher (or the page title). */
  setBadgeCount(count: number): void;
  /** Raise a native notification; clicking it opens the room (see onOpenRoom). */
  notify(req: NotifyRequest): void;
  /** A notification, tray item or hi-msg:// link asks to open a room. Returns an unsubscribe. */
  onOpenRoom(cb: (roomId: string) => void): () => void;
  /** Do-not-disturb switched from the tray menu. Returns an unsubscribe. */
  onDoNotDisturbChanged(cb: (on: boolean) => void): () => void;
  /** Tell main which room is open and whether its window has focus (suppresses notifications). */
  setActiveRoom(roomId: string | null): void;
  /** Room ids the user muted, so main can decide without asking the renderer. */
  setMutedRooms(roomIds: string[]): void;
  setDoNotDisturb(on: boolean): void;
  /** The refresh token, kept with safeStorage; null when none or the OS offers no secure store. */
  loadSession(): Promise<string | null>;
  /** Returns false when the OS has no secure store (the app then asks for the password next time). */
  saveSession(refreshToken: string | null): Promise<boolean>;
  getPresets(): Promise<Presets>;
  /** The server address chosen at first run or preset by IT. */
  getServerUrl(): Promise<string | null>;
  setServerUrl(url: string): Promise<void>;
  /** Open an http(s) link in the system browser. */
  openExternal(url: string): void;
  /** Admins only: open the admin window. */
  openAdminWindow(): void;
  /** Tell main who is signed in, so the tray shows the admin item for admins only. */
  setSignedIn(info: { role: 'user' | 'admin' } | null): void;
  readonly locale: string;
}
