import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { AppContext, SessionContext } from '../app-context';
import { initI18n } from '../i18n';
import { ChatSession, type HiSocket } from '../state/session';
import { FakeSocket, fakePlatform } from '../test/fakes';
import { MemoryStorage, user } from '../test/fixtures';
import { AdminScreen } from './AdminScreen';

beforeAll(() => initI18n('en-US'));
afterEach(cleanup);

/** The admin screen for `admin`, its API answering with `answer` where it has one, empty lists otherwise. */
function renderAdmin(admin: ReturnType<typeof user>, answer: (name: string, opts?: { query?: Record<string, unknown>; params?: { id?: string } }) => unknown) {
  const empty: Record<string, unknown> = { users: { users: [], nextCursor: null }, pendingUsers: { users: [] }, resetRequests: { requests: [] }, auditLog: { entries: [], nextCursor: null }, adminRooms: { rooms: [], nextCursor: null } };
  const call = vi.fn((name: string, opts?: { query?: Record<string, unknown>; params?: { id?: string } }) => Promise.resolve(answer(name, opts) ?? empty[name] ?? { rooms: [] }));
  const api = { accessToken: 'acc', call, refresh: vi.fn(() => Promise.resolve(true)) } as unknown as ApiClient;
  const platform = fakePlatform();
  const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => new FakeSocket() as unknown as HiSocket, quiet: true }, admin);
  render(
    <AppContext.Provider value={{ api, platform, signOut: vi.fn() }}>
      <SessionContext.Provider value={session}>
        <AdminScreen />
      </SessionContext.Provider>
    </AppContext.Provider>,
  );
  return { call, session };
}

describe('the admin screen’s user list', () => {
  it('comes in pages, and a search asks the server again from the first page', async () => {
    const admin = user({ name: '관리자', role: 'admin' });
    const firstPage = [user({ name: '김민지' }), user({ name: '이서준' })];
    const secondPage = [user({ name: '박지훈' })];
    const found = [user({ name: '김하늘' })];
    const asked: Record<string, unknown>[] = [];
    const { session } = renderAdmin(admin, (name, opts) => {
      if (name !== 'users') return undefined;
      asked.push(opts?.query ?? {});
      if (opts?.query?.q) return { users: found, nextCursor: null };
      return opts?.query?.cursor === 'page-2' ? { users: secondPage, nextCursor: null } : { users: firstPage, nextCursor: 'page-2' };
    });
    const names = () => screen.getAllByRole('row').slice(1).map((r) => r.querySelector('td')!.textContent);
    act(() => screen.getByRole('tab', { name: 'Users' }).click());
    await vi.waitFor(() => expect(names()).toEqual(['김민지', '이서준']));
    act(() => screen.getByRole('button', { name: 'Show more' }).click());
    await vi.waitFor(() => expect(names()).toEqual(['김민지', '이서준', '박지훈']));
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(asked).toEqual([{ limit: 50 }, { limit: 50, cursor: 'page-2' }]);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search by name or employee ID' }), { target: { value: ' 김하 ' } });
    await vi.waitFor(() => expect(names()).toEqual(['김하늘']));
    expect(asked.at(-1)).toEqual({ limit: 50, q: '김하' });
    session.stop();
  });

  it('lists chat rooms the admin is not in, and deletes one after confirming', async () => {
    const admin = user({ name: '관리자', role: 'admin' });
    const room = { id: '00000000-0000-4000-8000-0000000000c1', kind: 'group', name: '영업 2팀', memberCount: 7, memberNames: ['김민지', '박지훈', '이서준', '정하늘', '최유진'], lastSeq: 12, lastMessageAt: '2026-12-07T09:00:00.000Z', createdAt: '2026-12-01T09:00:00.000Z' };
    const direct = { ...room, id: '00000000-0000-4000-8000-0000000000c2', kind: 'direct', name: null, memberCount: 2, memberNames: ['김민지', '박지훈'] };
    let listed = [room, direct];
    const { call, session } = renderAdmin(admin, (name, opts) => {
      if (name === 'adminRooms') return { rooms: listed, nextCursor: null };
      if (name !== 'deleteRoom') return undefined;
      listed = listed.filter((r) => r.id !== opts?.params?.id);
      return {};
    });
    act(() => screen.getByRole('tab', { name: 'Chat rooms' }).click());
    await screen.findByText('영업 2팀');
    expect(screen.getByText('김민지, 박지훈, 이서준, 정하늘, 최유진 +2')).toBeTruthy();
    expect(screen.getByText('1:1 chat')).toBeTruthy();
    act(() => screen.getByRole('button', { name: 'Delete the room 영업 2팀' }).click());
    act(() => screen.getAllByRole('button', { name: 'Delete' }).at(-1)!.click());
    await vi.waitFor(() => expect(screen.queryByText('영업 2팀')).toBeNull());
    expect(call).toHaveBeenCalledWith('deleteRoom', { params: { id: room.id } });
    session.stop();
  });
});
