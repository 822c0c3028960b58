import { beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannels, sendChannels } from '../../src/shared/ipc';
import type { Platform } from '../../src/shared/platform';
import { contextBridge, ipcRenderer } from './fake-electron';
import { ROOM_A } from './helpers';

vi.mock('electron', () => import('./fake-electron'));

let hiMsg: Platform;

beforeAll(async () => {
  process.argv.push('--hi-msg-locale=ko-KR');
  await import('../../src/preload/index');
  hiMsg = contextBridge.exposed.get('hiMsg') as Platform;
});

const PLATFORM_KEYS = [
  'kind', 'locale', 'setBadgeCount', 'notify', 'onOpenRoom', 'onDoNotDisturbChanged', 'setActiveRoom', 'setMutedRooms', 'setDoNotDisturb',
  'loadSession', 'saveSession', 'getPresets', 'getServerUrl', 'setServerUrl', 'openExternal', 'openAdminWindow', 'setSignedIn',
];

describe('the preload', () => {
  it('exposes one object, window.hiMsg, implementing the platform interface', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['hiMsg']);
    expect(Object.keys(hiMsg).sort()).toEqual([...PLATFORM_KEYS].sort());
    expect(hiMsg.kind).toBe('electron');
    expect(hiMsg.locale).toBe('ko-KR');
  });

  it('forwards every call on a channel main validates, and every channel is used', async () => {
    hiMsg.setBadgeCount(3);
    hiMsg.notify({ roomId: ROOM_A, title: 't', body: 'b' });
    hiMsg.setActiveRoom(ROOM_A);
    hiMsg.setMutedRooms([ROOM_A]);
    hiMsg.setDoNotDisturb(true);
    hiMsg.openExternal('https://example.com');
    hiMsg.openAdminWindow();
    hiMsg.setSignedIn({ role: 'admin' });
    expect(await hiMsg.loadSession()).toBe('reply:session:load');
    await hiMsg.saveSession('tok');
    await hiMsg.getPresets();
    await hiMsg.getServerUrl();
    await hiMsg.setServerUrl('https://chat.example.com');
    expect(ipcRenderer.sent.map((s) => s.channel).sort()).toEqual(Object.keys(sendChannels).sort());
    expect(ipcRenderer.invoked.map((s) => s.channel).sort()).toEqual(Object.keys(invokeChannels).sort());
    expect(ipcRenderer.sent[0]).toEqual({ channel: 'badge:set', args: [3] });
    expect(ipcRenderer.invoked.find((i) => i.channel === 'session:save')!.args).toEqual(['tok']);
  });

  it('on* hands the page only the payload and returns an unsubscribe', () => {
    const rooms: unknown[] = [];
    const off = hiMsg.onOpenRoom((id) => rooms.push(id));
    ipcRenderer.emit('open-room', { sender: 'secret' }, ROOM_A);
    expect(rooms).toEqual([ROOM_A]);
    off();
    ipcRenderer.emit('open-room', {}, ROOM_A);
    expect(rooms).toEqual([ROOM_A]);
    expect(ipcRenderer.listenerCount('open-room')).toBe(0);

    const dnd: boolean[] = [];
    const offDnd = hiMsg.onDoNotDisturbChanged((on) => dnd.push(on));
    ipcRenderer.emit('dnd-changed', {}, true);
    offDnd();
    expect(dnd).toEqual([true]);
    expect(ipcRenderer.listenerCount('dnd-changed')).toBe(0);
  });
});
