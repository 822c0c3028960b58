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

describe('the admin screen’s user list', () => {
  it('comes in pages, and a search asks the server again from the first page', async () => {
    const admin = user({ name: '관리자', role: 'admin' });
    const firstPage = [user({ name: '김민지' }), user({ name: '이서준' })];
    const secondPage = [user({ name: '박지훈' })];
    const found = [user({ name: '김하늘' })];
    const asked: Record<string, unknown>[] = [];
    const call = vi.fn((name: string, opts?: { query?: Record<string, unknown> }) => {
      if (name === 'users') {
        asked.push(opts?.query ?? {});
        if (opts?.query?.q) return Promise.resolve({ users: found, nextCursor: null });
        return Promise.resolve(opts?.query?.cursor === 'page-2' ? { users: secondPage, nextCursor: null } : { users: firstPage, nextCursor: 'page-2' });
      }
      if (name === 'pendingUsers') return Promise.resolve({ users: [] });
      if (name === 'resetRequests') return Promise.resolve({ requests: [] });
      if (name === 'auditLog') return Promise.resolve({ entries: [], nextCursor: null });
      return Promise.resolve({ rooms: [] });
    });
    const api = { accessToken: 'acc', call, refresh: vi.fn(() => Promise.resolve(true)) } as unknown as ApiClient;
    const platform = fakePlatform();
    const socket = new FakeSocket();
    const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket, quiet: true }, admin);
    const names = () => screen.getAllByRole('row').slice(1).map((r) => r.querySelector('td')!.textContent);

    render(
      <AppContext.Provider value={{ api, platform, signOut: vi.fn() }}>
        <SessionContext.Provider value={session}>
          <AdminScreen />
        </SessionContext.Provider>
      </AppContext.Provider>,
    );
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
});
