import type { NotifyRequest, Platform, Presets } from '../../shared/platform';

const SESSION_KEY = 'hiMsg.session';
const SERVER_KEY = 'hiMsg.serverUrl';
const BASE_TITLE = 'Hi_Msg';

/** The title badge of the web client: "(N) Hi_Msg", 99+ beyond. */
export function badgeTitle(count: number): string {
  if (count <= 0) return BASE_TITLE;
  return `(${count > 99 ? '99+' : String(count)}) ${BASE_TITLE}`;
}

/** The platform of a plain browser: Notification API, a title badge, localStorage for the session. */
export function createWebPlatform(win: Window = window): Platform {
  const openRoomListeners = new Set<(roomId: string) => void>();
  const storage = win.localStorage;
  return {
    kind: 'web',
    locale: win.navigator.language || 'en',
    setBadgeCount(count) {
      win.document.title = badgeTitle(count);
    },
    notify(req: NotifyRequest) {
      if (!('Notification' in win) || Notification.permission !== 'granted') return;
      const n = new Notification(req.title, { body: req.body, tag: req.kind === 'admin' ? 'admin' : req.roomId });
      n.onclick = () => {
        win.focus();
        if (req.kind === 'admin') win.location.hash = '#/admin';
        else openRoomListeners.forEach((cb) => cb(req.roomId));
        n.close();
      };
    },
    onOpenRoom(cb) {
      openRoomListeners.add(cb);
      return () => openRoomListeners.delete(cb);
    },
    // The tray menu exists only in Electron; the web client switches do-not-disturb on My page.
    onDoNotDisturbChanged: () => () => undefined,
    setActiveRoom: () => undefined,
    setMutedRooms: () => undefined,
    setDoNotDisturb: () => undefined,
    loadSession: () => Promise.resolve(storage.getItem(SESSION_KEY)),
    saveSession(refreshToken) {
      if (refreshToken === null) storage.removeItem(SESSION_KEY);
      else storage.setItem(SESSION_KEY, refreshToken);
      return Promise.resolve(true);
    },
    getPresets: (): Promise<Presets> => Promise.resolve({ locked: [] }),
    getServerUrl() {
      const saved = storage.getItem(SERVER_KEY);
      if (saved) return Promise.resolve(saved);
      const { protocol, origin } = win.location;
      return Promise.resolve(protocol === 'http:' || protocol === 'https:' ? origin : null);
    },
    setServerUrl(url) {
      storage.setItem(SERVER_KEY, url);
      return Promise.resolve();
    },
    openExternal(url) {
      if (/^https?:\/\//i.test(url)) win.open(url, '_blank', 'noopener,noreferrer');
    },
    openAdminWindow() {
      win.location.hash = '#/admin';
    },
    setSignedIn: () => undefined,
  };
}

declare global {
  interface Window {
    hiMsg?: Platform;
  }
}

/** The preload object in Electron, the web fallback in a browser. */
export const platform: Platform = window.hiMsg ?? createWebPlatform();

/** Ask for notification permission from a user gesture (browsers refuse it otherwise). */
export function requestNotificationPermission(): void {
  if (platform.kind === 'web' && 'Notification' in window && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}
