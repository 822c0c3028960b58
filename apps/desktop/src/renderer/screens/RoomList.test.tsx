import type { Person, RoomListResponse, User } from '@hi-msg/contracts';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { AppContext, SessionContext } from '../app-context';
import { initI18n } from '../i18n';
import { ChatSession, type HiSocket } from '../state/session';
import { FakeSocket, fakePlatform } from '../test/fakes';
import { MemoryStorage, id, message, user } from '../test/fixtures';
import { MainScreen } from './MainScreen';

beforeAll(() => initI18n('en-US'));
afterEach(cleanup);

const person = (u: User): Person => ({ id: u.id, name: u.name, department: u.department, position: u.position });

/** A signed-in main screen on the chat list, the server played by a fake socket and a fake API answering the room list. */
function signedIn(me: User, list: RoomListResponse, directory: User[]) {
  const socket = new FakeSocket();
  socket.answer = (event) => {
    if (event === 'sync') return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
    if (event === 'watch_presence') return { ok: true, online: [] };
    return undefined;
  };
  const api = {
    accessToken: 'acc',
    call: vi.fn((name: string) => Promise.resolve(name === 'users' ? { users: directory, nextCursor: null } : name === 'rooms' ? list : Promise.reject(new Error(name)))),
    refresh: vi.fn(() => Promise.resolve(true)),
  } as unknown as ApiClient;
  const onSignedOut = vi.fn();
  const session = new ChatSession({ api, platform: fakePlatform(), serverUrl: 'http://server', storage: new MemoryStorage(), onSignedOut, onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket }, me);
  act(() => void socket.connect());
  render(
    <AppContext.Provider value={{ api, platform: fakePlatform(), signOut: vi.fn() }}>
      <SessionContext.Provider value={session}>
        <MainScreen route={['chats']} />
      </SessionContext.Provider>
    </AppContext.Provider>,
  );
  return { socket, session, onSignedOut };
}

describe('the room list', () => {
  const me = user({ name: '김민지' });
  const partner = user({ name: '이서준' });
  const colleague = user({ name: '박하은' });
  const directId = id();
  const groupId = id();
  const at = '2026-11-26T09:00:00.000Z';
  const list = (): RoomListResponse => ({
    rooms: [
      {
        id: directId,
        kind: 'direct',
        name: null,
        createdBy: me.id,
        members: [
          { userId: me.id, lastReadSeq: 2 },
          { userId: partner.id, lastReadSeq: 2 },
        ],
        lastSeq: 2,
        lastReadSeq: 2,
        unreadCount: 0,
        muted: false,
        lastMessage: message(directId, 2, partner.id, { body: '내일 뵙겠습니다', createdAt: at }),
        lastMessageAt: at,
      },
      {
        id: groupId,
        kind: 'group',
        name: null,
        createdBy: colleague.id,
        members: [
          { userId: me.id, lastReadSeq: 1 },
          { userId: partner.id, lastReadSeq: 3 },
          { userId: colleague.id, lastReadSeq: 3 },
        ],
        lastSeq: 3,
        lastReadSeq: 1,
        unreadCount: 2,
        muted: false,
        lastMessage: message(groupId, 3, colleague.id, { body: '회의록 공유합니다', createdAt: '2026-11-26T08:00:00.000Z' }),
        lastMessageAt: '2026-11-26T08:00:00.000Z',
      },
    ],
    // Each profile once for the whole list.
    people: [person(me), person(partner), person(colleague)],
    totalUnread: 0,
    nextCursor: null,
  });
  const item = (roomId: string) => document.querySelector<HTMLElement>(`[data-room-id="${roomId}"]`)!;

  it('draws rooms from compact members and the profiles sent once', async () => {
    const { session } = signedIn(me, list(), [me, partner, colleague]);
    await vi.waitFor(() => expect(item(directId)).toBeTruthy());
    expect(within(item(directId)).getByText('이서준')).toBeTruthy();
    expect(within(item(groupId)).getByText('김민지, 이서준, 박하은')).toBeTruthy();
    expect(item(groupId).querySelector('.count')!.textContent).toBe('3');
    expect(session.store.get().rooms[groupId]!.members.find((m) => m.userId === partner.id)).toMatchObject({ name: '이서준', lastReadSeq: 3 });
    session.stop();
  });

  it('when a colleague’s account is deleted: they leave the directory, the online map and member lists, and their 1:1 room stays under a departed name', async () => {
    const { socket, session, onSignedOut } = signedIn(me, list(), [me, partner, colleague]);
    await vi.waitFor(() => expect(within(item(directId)).getByText('이서준')).toBeTruthy());
    await vi.waitFor(() => expect(session.store.get().users[partner.id]).toBeDefined());
    act(() => socket.serverSends('presence', { users: [{ userId: partner.id, online: true }] }));
    expect(session.store.get().online[partner.id]).toBe(true);

    act(() => socket.serverSends('user_deleted', { userId: partner.id }));

    expect(within(item(directId)).getByText('Departed employee')).toBeTruthy();
    expect(within(item(directId)).getByText('내일 뵙겠습니다')).toBeTruthy();
    expect(within(item(groupId)).getByText('김민지, 박하은')).toBeTruthy();
    expect(item(groupId).querySelector('.count')!.textContent).toBe('2');
    expect(screen.queryByText(/이서준/)).toBeNull();
    const st = session.store.get();
    expect(st.users[partner.id]).toBeUndefined();
    expect(partner.id in st.online).toBe(false);
    expect(Object.keys(st.rooms).sort()).toEqual([directId, groupId].sort());
    expect(onSignedOut).not.toHaveBeenCalled();
    session.stop();
  });

  it('shows a member with no profile in the list (an account already deleted) under the departed name, in Korean too', async () => {
    const gone = list();
    gone.people = gone.people.filter((p) => p.id !== partner.id);
    const { session } = signedIn(me, gone, [me, colleague]);
    await vi.waitFor(() => expect(within(item(directId)).getByText('Departed employee')).toBeTruthy());
    await act(() => i18next.changeLanguage('ko'));
    expect(within(item(directId)).getByText('퇴사한 직원')).toBeTruthy();
    await act(() => i18next.changeLanguage('en'));
    session.stop();
  });

  it('signs me out, saying why, when my own account is deleted', async () => {
    const { socket, session, onSignedOut } = signedIn(me, list(), [me, partner, colleague]);
    await vi.waitFor(() => expect(item(directId)).toBeTruthy());
    act(() => socket.serverSends('user_deleted', { userId: me.id }));
    expect(onSignedOut).toHaveBeenCalledWith('account_deleted');
    onSignedOut.mockClear();
    act(() => socket.serverSends('session_revoked', { reason: 'account_deleted' }));
    expect(onSignedOut).toHaveBeenCalledWith('account_deleted');
    session.stop();
  });
});
