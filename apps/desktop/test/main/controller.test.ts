import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Shell, Controller } from '../../src/main/controller';
import { parseDeepLink, roomFromArgv } from '../../src/main/deeplink';
import { previewText, shouldNotify } from '../../src/main/notify';
import { SessionStore } from '../../src/main/session-store';
import { SettingsStore } from '../../src/main/settings';
import type { Presets } from '../../src/shared/platform';
import { fakeLog, ROOM_A, ROOM_B, spy, type Spy, tempDir } from './helpers';

const base = { roomId: ROOM_A, focusedRoomId: null, windowFocused: false, mutedRoomIds: [] as string[], doNotDisturb: false };

describe('shouldNotify', () => {
  it('notifies for a room that is not open', () => {
    expect(shouldNotify(base)).toBe(true);
    expect(shouldNotify({ ...base, focusedRoomId: ROOM_B, windowFocused: true })).toBe(true);
  });

  it('stays quiet when the room is open in the focused window', () => {
    expect(shouldNotify({ ...base, focusedRoomId: ROOM_A, windowFocused: true })).toBe(false);
  });

  it('notifies when the room is open but the window is in the background', () => {
    expect(shouldNotify({ ...base, focusedRoomId: ROOM_A, windowFocused: false })).toBe(true);
  });

  it('stays quiet for a muted room and under Do not disturb', () => {
    expect(shouldNotify({ ...base, mutedRoomIds: [ROOM_A] })).toBe(false);
    expect(shouldNotify({ ...base, mutedRoomIds: new Set([ROOM_A]) })).toBe(false);
    expect(shouldNotify({ ...base, mutedRoomIds: [ROOM_B] })).toBe(true);
    expect(shouldNotify({ ...base, doNotDisturb: true })).toBe(false);
  });
});

describe('previewText', () => {
  it('flattens lines and cuts long text on whole characters', () => {
    expect(previewText('안녕하세요\n\n  회의는 3시')).toBe('안녕하세요 회의는 3시');
    const long = '가'.repeat(150);
    const p = previewText(long);
    expect(Array.from(p)).toHaveLength(100);
    expect(p.endsWith('…')).toBe(true);
  });
});

describe('hi-msg:// links', () => {
  it('accepts hi-msg://room/<uuid> only', () => {
    expect(parseDeepLink(`hi-msg://room/${ROOM_A}`)).toBe(ROOM_A);
    expect(parseDeepLink(`hi-msg://room/${ROOM_A}/`)).toBe(ROOM_A);
    expect(parseDeepLink(`HI-MSG://room/${ROOM_A.toUpperCase()}`)).toBe(ROOM_A);
    expect(parseDeepLink('hi-msg://room/not-a-uuid')).toBeNull();
    expect(parseDeepLink(`hi-msg://admin/${ROOM_A}`)).toBeNull();
    expect(parseDeepLink(`hi-msg://room/${ROOM_A}?x=1`)).toBeNull();
    expect(parseDeepLink(`hi-msg://room/${ROOM_A}/../../etc`)).toBeNull();
    expect(parseDeepLink(`https://room/${ROOM_A}`)).toBeNull();
    expect(parseDeepLink('javascript:alert(1)')).toBeNull();
  });

  it('finds the link among the arguments of a second launch', () => {
    expect(roomFromArgv(['/opt/Hi_Msg/hi-msg', '--no-sandbox', `hi-msg://room/${ROOM_B}`])).toBe(ROOM_B);
    expect(roomFromArgv(['/opt/Hi_Msg/hi-msg'])).toBeNull();
    expect(roomFromArgv(['hi-msg', 'hi-msg://room/evil'])).toBeNull();
  });
});

function fakeShell(focused = false): { [K in keyof Shell]: Spy } & Shell {
  const spies: { [K in keyof Shell]: Spy } = {
    showMainWindow: spy(),
    isMainWindowFocused: spy(() => focused),
    sendToMain: spy(),
    openAdminWindow: spy(),
    closeAdminWindow: spy(),
    showNotification: spy(),
    applyBadge: spy(),
    updateTray: spy(),
    openExternal: spy(),
    quit: spy(),
  };
  return spies as unknown as { [K in keyof Shell]: Spy } & Shell;
}

function controller(shell: Shell, presets: Presets = { locked: [] }): Controller {
  const dir = tempDir();
  const log = fakeLog();
  const storage = { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(s), decryptString: (b: Buffer) => b.toString() };
  return new Controller(shell, {
    platform: 'win32',
    presets,
    settings: new SettingsStore(join(dir, 'settings.json'), log),
    sessions: new SessionStore(join(dir, 'session.bin'), storage, 'win32', log),
    log,
  });
}

describe('the controller', () => {
  it('shows a notification with sender and preview; clicking it opens the room', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    ctl.rendererLoaded();
    ctl.sendHandlers()['signed-in:set']({ role: 'user' });
    ctl.sendHandlers().notify({ roomId: ROOM_A, title: '김민수', body: '내일 회의 자료\n확인 부탁드립니다' });
    expect(shell.showNotification).toHaveBeenCalledTimes(1);
    const n = shell.showNotification.mock.calls[0]![0] as { title: string; body: string; onClick: () => void };
    expect(n.title).toBe('김민수');
    expect(n.body).toBe('내일 회의 자료 확인 부탁드립니다');
    n.onClick();
    expect(shell.showMainWindow).toHaveBeenCalled();
    expect(shell.sendToMain).toHaveBeenCalledWith('open-room', ROOM_A);
  });

  it('uses the open room, window focus, mutes and Do not disturb it was told about', () => {
    const shell = fakeShell(true);
    const ctl = controller(shell);
    const send = ctl.sendHandlers();
    send['active-room:set'](ROOM_A);
    expect(ctl.notify({ roomId: ROOM_A, title: 'a', body: 'b' })).toBe(false);
    send['muted-rooms:set']([ROOM_B]);
    expect(ctl.notify({ roomId: ROOM_B, title: 'a', body: 'b' })).toBe(false);
    send['muted-rooms:set']([]);
    expect(ctl.notify({ roomId: ROOM_B, title: 'a', body: 'b' })).toBe(true);
    send['dnd:set'](true);
    expect(ctl.notify({ roomId: ROOM_B, title: 'a', body: 'b' })).toBe(false);
    expect(shell.showNotification).toHaveBeenCalledTimes(1);
  });

  it('a room asked for at startup is handed over once the page has loaded and restored the session, not before', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    ctl.openRoom(ROOM_B);
    ctl.rendererLoaded();
    expect(shell.sendToMain).not.toHaveBeenCalled();
    ctl.sendHandlers()['signed-in:set']({ role: 'user' });
    expect(shell.sendToMain).toHaveBeenCalledWith('open-room', ROOM_B);
    expect(shell.sendToMain).toHaveBeenCalledTimes(1);

    // The page reloads (or the user signs out): a click waits for the next sign-in.
    ctl.rendererLoaded();
    ctl.openRoom(ROOM_A);
    ctl.sendHandlers()['signed-in:set'](null);
    expect(shell.sendToMain).toHaveBeenCalledTimes(1);
    ctl.sendHandlers()['signed-in:set']({ role: 'admin' });
    expect(shell.sendToMain).toHaveBeenLastCalledWith('open-room', ROOM_A);
    // Signed in already: at once.
    ctl.openRoom(ROOM_B);
    expect(shell.sendToMain).toHaveBeenLastCalledWith('open-room', ROOM_B);
    expect(shell.sendToMain).toHaveBeenCalledTimes(3);
  });

  it('Do not disturb from the tray reaches the page; from the page it only updates the tray', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    ctl.setDoNotDisturb(true, true);
    expect(shell.sendToMain).toHaveBeenCalledWith('dnd-changed', true);
    expect(shell.updateTray).toHaveBeenLastCalledWith({ doNotDisturb: true, isAdmin: false });
    shell.sendToMain.mockClear();
    ctl.sendHandlers()['dnd:set'](false);
    expect(shell.sendToMain).not.toHaveBeenCalled();
    expect(shell.updateTray).toHaveBeenLastCalledWith({ doNotDisturb: false, isAdmin: false });
  });

  it('opens the admin window for admins only, and closes it when the user is no longer one', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    const send = ctl.sendHandlers();
    send['admin-window:open']();
    expect(shell.openAdminWindow).not.toHaveBeenCalled();
    send['signed-in:set']({ role: 'user' });
    send['admin-window:open']();
    expect(shell.openAdminWindow).not.toHaveBeenCalled();
    send['signed-in:set']({ role: 'admin' });
    expect(shell.updateTray).toHaveBeenLastCalledWith({ doNotDisturb: false, isAdmin: true });
    send['admin-window:open']();
    expect(shell.openAdminWindow).toHaveBeenCalledTimes(1);
    send['signed-in:set'](null);
    expect(shell.closeAdminWindow).toHaveBeenCalled();
    expect(shell.updateTray).toHaveBeenLastCalledWith({ doNotDisturb: false, isAdmin: false });
  });

  it('admin notices reach admins only, and their click opens the admin window', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    expect(ctl.notify({ roomId: 'signup', title: '가입 요청', body: '이영희', kind: 'admin' })).toBe(false);
    ctl.sendHandlers()['signed-in:set']({ role: 'admin' });
    expect(ctl.notify({ roomId: 'signup', title: '가입 요청', body: '이영희', kind: 'admin' })).toBe(true);
    (shell.showNotification.mock.calls[0]![0] as { onClick: () => void }).onClick();
    expect(shell.openAdminWindow).toHaveBeenCalled();
    expect(shell.sendToMain).not.toHaveBeenCalledWith('open-room', 'signup');
  });

  it('a badge count becomes a per-OS plan; signing out clears it', () => {
    const shell = fakeShell();
    const ctl = controller(shell);
    ctl.sendHandlers()['badge:set'](3);
    expect(shell.applyBadge).toHaveBeenLastCalledWith({ tray: { kind: 'icon', text: '3' }, shell: { kind: 'overlay', text: '3' } });
    ctl.sendHandlers()['signed-in:set'](null);
    expect(shell.applyBadge).toHaveBeenLastCalledWith({ tray: { kind: 'icon', text: '' }, shell: { kind: 'overlay', text: '' } });
  });

  it('keeps the server address the user chose over an unlocked preset', async () => {
    const shell = fakeShell();
    const ctl = controller(shell, { serverUrl: 'https://chat.example.com', locked: [] });
    const invoke = ctl.invokeHandlers();
    expect(await invoke['server-url:get']()).toBe('https://chat.example.com');
    await invoke['server-url:set']('http://10.0.0.5:5050/');
    expect(await invoke['server-url:get']()).toBe('http://10.0.0.5:5050');
  });

  it('refuses to change a server address IT locked', async () => {
    const shell = fakeShell();
    const ctl = controller(shell, { serverUrl: 'https://chat.corp.example', locked: ['serverUrl'] });
    const invoke = ctl.invokeHandlers();
    expect(() => invoke['server-url:set']('https://evil.example')).toThrow(/IT department/);
    expect(await invoke['server-url:get']()).toBe('https://chat.corp.example');
  });
});
