import { vi, type Mock } from 'vitest';
import type { Platform } from '../../shared/platform';

type Listener = (...args: unknown[]) => void;

/** Just enough of a socket.io client: the test plays the server. */
export class FakeSocket {
  connected = false;
  active = true;
  listeners = new Map<string, Listener[]>();
  sent: { event: string; payload: unknown }[] = [];
  /** How the "server" answers an acked event; undefined means no answer (timeout). */
  answer: (event: string, payload: unknown) => unknown = () => undefined;

  on(event: string, cb: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), cb]);
    return this;
  }
  emit(event: string, payload: unknown, ack?: (res: unknown) => void) {
    this.sent.push({ event, payload });
    const res = this.answer(event, payload);
    if (ack && res !== undefined) ack(res);
    return this;
  }
  timeout() {
    return {
      emitWithAck: (event: string, payload: unknown) => {
        this.sent.push({ event, payload });
        const res = this.answer(event, payload);
        return res === undefined ? Promise.reject(new Error('operation has timed out')) : Promise.resolve(res);
      },
    };
  }
  serverSends(event: string, payload: unknown) {
    for (const cb of this.listeners.get(event) ?? []) cb(payload);
  }
  connect() {
    this.connected = true;
    this.serverSends('connect', undefined);
    return this;
  }
  disconnect() {
    this.connected = false;
    this.serverSends('disconnect', 'io client disconnect');
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    return this;
  }
  chats() {
    return this.sent.filter((s) => s.event === 'chat').map((s) => s.payload as { clientId: string; body?: string; roomId: string });
  }
}

type Spied = 'setBadgeCount' | 'notify' | 'setActiveRoom' | 'setMutedRooms' | 'setDoNotDisturb' | 'openExternal' | 'openAdminWindow' | 'setSignedIn';
/** A platform whose OS calls are spies. */
export type FakePlatform = Omit<Platform, Spied> & { [K in Spied]: Mock<Platform[K]> };

export function fakePlatform(): FakePlatform {
  return {
    kind: 'web' as const,
    locale: 'en-US',
    setBadgeCount: vi.fn<Platform['setBadgeCount']>(),
    notify: vi.fn<Platform['notify']>(),
    onOpenRoom: () => () => undefined,
    onDoNotDisturbChanged: () => () => undefined,
    setActiveRoom: vi.fn<Platform['setActiveRoom']>(),
    setMutedRooms: vi.fn<Platform['setMutedRooms']>(),
    setDoNotDisturb: vi.fn<Platform['setDoNotDisturb']>(),
    loadSession: () => Promise.resolve(null),
    saveSession: () => Promise.resolve(true),
    getPresets: () => Promise.resolve({ locked: [] }),
    getServerUrl: () => Promise.resolve(null),
    setServerUrl: () => Promise.resolve(),
    openExternal: vi.fn<Platform['openExternal']>(),
    openAdminWindow: vi.fn<Platform['openAdminWindow']>(),
    setSignedIn: vi.fn<Platform['setSignedIn']>(),
  };
}

