import type { User } from '@hi-msg/contracts';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { AppContext, SessionContext } from '../app-context';
import { initI18n } from '../i18n';
import { ChatSession, type HiSocket } from '../state/session';
import { FakeSocket, fakePlatform } from '../test/fakes';
import { MemoryStorage, user } from '../test/fixtures';
import { MainScreen } from './MainScreen';

beforeAll(() => initI18n('en-US'));
afterEach(cleanup);

describe('the People screen', () => {
  it('asks for the presence of the people it lists, shows the answer and follows the changes', async () => {
    const me = user({ name: '김민지' });
    const people: User[] = [user({ name: '박서연', department: '인사팀' }), user({ name: '이도윤', department: '개발팀' }), user({ name: '최하준', department: '영업팀' })];
    const [online, offline, later] = people as [User, User, User];
    const socket = new FakeSocket();
    socket.answer = (event, payload) => {
      if (event === 'sync') return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
      if (event === 'watch_presence') return { ok: true, online: (payload as { userIds: string[] }).userIds.filter((id) => id === online.id) };
      return undefined;
    };
    const api = {
      accessToken: 'acc',
      call: vi.fn((name: string) => Promise.resolve(name === 'users' ? { users: [me, ...people], nextCursor: null } : { rooms: [] })),
      refresh: vi.fn(() => Promise.resolve(true)),
    } as unknown as ApiClient;
    const platform = fakePlatform();
    const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket }, me);
    act(() => void socket.connect());

    render(
      <AppContext.Provider value={{ api, platform, signOut: vi.fn() }}>
        <SessionContext.Provider value={session}>
          <MainScreen route={['people']} />
        </SessionContext.Provider>
      </AppContext.Provider>,
    );
    const dotOf = async (u: User) => (await screen.findByRole('button', { name: `Chat with ${u.name}` })).querySelector('.dot')!;
    await vi.waitFor(async () => expect((await dotOf(online)).getAttribute('aria-label')).toBe('Online'));
    expect((await dotOf(offline)).getAttribute('aria-label')).toBe('Offline');
    // None of them shares a room with me: all three were asked for, in one list, and I was not.
    const asked = socket.sent.filter((s) => s.event === 'watch_presence').map((s) => (s.payload as { userIds: string[] }).userIds);
    expect(asked).toHaveLength(1);
    expect([...asked[0]!].sort()).toEqual(people.map((u) => u.id).sort());

    act(() => socket.serverSends('presence', { users: [{ userId: later.id, online: true }] }));
    expect((await dotOf(later)).getAttribute('aria-label')).toBe('Online');
    session.stop();
  });
});
