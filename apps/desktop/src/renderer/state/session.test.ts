import type { Message, Room } from '@hi-msg/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { timeline } from '../lib/timeline';
import { FakeSocket, fakePlatform } from '../test/fakes';
import { MemoryStorage, id, member, message, room, user } from '../test/fixtures';
import { ChatSession, uploadRefusal, type HiSocket } from './session';

const me = user({ name: '김민지' });
const other = user({ name: '이서준' });
let theRoom: Room;
let storage: MemoryStorage;
let sessions: ChatSession[] = [];

function start(socket: FakeSocket, platform = fakePlatform()) {
  const api = { accessToken: 'acc', call: vi.fn((name: string) => (name === 'rooms' ? Promise.resolve({ rooms: [theRoom], people: [me, other].map((u) => ({ id: u.id, name: u.name, department: u.department, position: u.position })) }) : Promise.reject(new Error(name)))), refresh: vi.fn(() => Promise.resolve(true)) } as unknown as ApiClient;
  const session = new ChatSession({ api, platform, serverUrl: 'http://server', storage, onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket }, me);
  sessions.push(session);
  return { session, platform };
}

function stored(roomId: string, seq: number, senderId: string, clientId: string | null, body: string): Message {
  return message(roomId, seq, senderId, { clientId, body, createdAt: new Date().toISOString() });
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  storage = new MemoryStorage();
  theRoom = room([member(me.id, 3, me.name), member(other.id, 3, other.name)], { lastSeq: 3, lastReadSeq: 3 });
});
afterEach(() => {
  sessions.forEach((s) => s.stop());
  sessions = [];
  vi.restoreAllMocks();
});

describe('the outbox in a session', () => {
  it('a message written offline waits, survives a restart, and is sent once with the same clientId when the connection returns', async () => {
    const offline = new FakeSocket();
    const first = start(offline).session;
    first.send(theRoom.id, '오프라인 메시지');
    await flush();
    expect(offline.chats()).toHaveLength(0);
    const pending = first.store.get().outbox;
    expect(pending).toHaveLength(1);
    first.stop();

    // The app restarts, then the server is reachable again.
    const socket = new FakeSocket();
    let seq = 3;
    socket.answer = (event, payload) => {
      if (event === 'sync') return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
      if (event !== 'chat') return { ok: true };
      const p = payload as { clientId: string; body: string; roomId: string };
      seq += 1;
      return { ok: true, message: stored(p.roomId, seq, me.id, p.clientId, p.body) };
    };
    const { session } = start(socket);
    expect(session.store.get().outbox.map((i) => i.clientId)).toEqual([pending[0]!.clientId]);
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().outbox).toHaveLength(0));
    expect(socket.chats().map((c) => c.clientId)).toEqual([pending[0]!.clientId]);

    // The server also echoes it to my devices: still one message on screen.
    const echo = session.store.get().messages[theRoom.id]![0]!;
    socket.serverSends('chat', echo);
    const st = session.store.get();
    const shown = timeline(st.messages[theRoom.id] ?? [], st.outbox, theRoom.id, me.id);
    expect(shown.filter((e) => e.type === 'message' && e.message.body === '오프라인 메시지')).toHaveLength(1);
    expect(storage.data.has(`hiMsg.outbox.${me.id}`)).toBe(false);
  });

  it('an unanswered send stays pending and goes again with the same clientId after a reconnect', async () => {
    const socket = new FakeSocket();
    socket.answer = (event) => (event === 'sync' ? { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' } : undefined);
    const { session } = start(socket);
    socket.connect();
    await flush();
    session.send(theRoom.id, 'hello');
    await vi.waitFor(() => expect(socket.chats()).toHaveLength(1));
    expect(session.store.get().outbox).toHaveLength(1);

    socket.disconnect();
    socket.answer = (event, payload) => {
      if (event === 'chat') {
        const p = payload as { clientId: string; roomId: string };
        return { ok: true, message: stored(p.roomId, 4, me.id, p.clientId, 'hello') };
      }
      return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
    };
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().outbox).toHaveLength(0));
    const ids = socket.chats().map((c) => c.clientId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });
});

describe('catching up after a reconnect', () => {
  it('asks again while the server told only part of the deletions, from where its answer ended', async () => {
    const socket = new FakeSocket();
    socket.answer = (event) => (event === 'sync' ? { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z', deletedHasMore: false } : { ok: true });
    const { session } = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().roomsLoaded).toBe(true));
    const [first, second] = [stored(theRoom.id, 4, other.id, id(), '하나'), stored(theRoom.id, 5, other.id, id(), '둘')];
    socket.serverSends('new_message', first);
    socket.serverSends('new_message', second);

    socket.disconnect();
    const answers = [
      { tomb: first, serverTime: '2026-11-26T09:06:00.000Z', deletedHasMore: true },
      { tomb: second, serverTime: '2026-11-26T09:10:00.000Z', deletedHasMore: false },
    ];
    socket.answer = (event) => {
      if (event !== 'sync') return { ok: true };
      const a = answers.shift();
      if (!a) return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:11:00.000Z', deletedHasMore: false };
      const deleted = [{ ...a.tomb, body: null, deletedAt: '2026-11-26T09:05:00.000Z' }];
      return { ok: true, rooms: [{ roomId: theRoom.id, messages: [], hasMore: false, deleted, readPositions: [] }], addedRoomIds: [], removedRoomIds: [], serverTime: a.serverTime, deletedHasMore: a.deletedHasMore };
    };
    socket.sent = [];
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().messages[theRoom.id]!.map((m) => m.body)).toEqual([null, null]));
    const since = socket.sent.filter((e) => e.event === 'sync').map((e) => (e.payload as { deletedSince?: string }).deletedSince);
    expect(since).toEqual(['2026-11-26T09:00:00.000Z', '2026-11-26T09:06:00.000Z']);
  });

  it('asks for deletions since the last sync and turns held messages into tombstones', async () => {
    const socket = new FakeSocket();
    socket.answer = (event) => (event === 'sync' ? { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' } : { ok: true });
    const { session } = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().roomsLoaded).toBe(true));
    const kept = stored(theRoom.id, 4, other.id, id(), '남을 메시지');
    const doomed = stored(theRoom.id, 5, other.id, id(), '지워질 메시지');
    socket.serverSends('new_message', kept);
    socket.serverSends('new_message', doomed);

    socket.disconnect();
    const tombstone: Message = { ...doomed, body: null, deletedAt: '2026-11-26T09:05:00.000Z' };
    socket.answer = (event) =>
      event === 'sync'
        ? { ok: true, rooms: [{ roomId: theRoom.id, messages: [], hasMore: false, deleted: [tombstone], readPositions: [] }], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:10:00.000Z' }
        : { ok: true };
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().messages[theRoom.id]!.find((m) => m.id === doomed.id)!.deletedAt).not.toBeNull());
    const syncs = socket.sent.filter((e) => e.event === 'sync').map((e) => e.payload as { rooms: { roomId: string; afterSeq: number }[]; deletedSince?: string });
    expect(syncs.at(-1)).toMatchObject({ rooms: [{ roomId: theRoom.id, afterSeq: 5 }], deletedSince: '2026-11-26T09:00:00.000Z' });
    expect(session.store.get().messages[theRoom.id]!.map((m) => [m.seq, m.body])).toEqual([
      [4, '남을 메시지'],
      [5, null],
    ]);
  });
});

describe('notifications, badge and read positions', () => {
  async function connected() {
    const socket = new FakeSocket();
    socket.answer = () => ({ ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' });
    const ctx = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(ctx.session.store.get().roomsLoaded).toBe(true));
    return { socket, ...ctx };
  }

  it('a new message in a room that is not open raises a notification and counts on the badge', async () => {
    const { socket, session, platform } = await connected();
    socket.serverSends('new_message', stored(theRoom.id, 4, other.id, id(), '회의 자료 보셨나요?'));
    expect(platform.notify).toHaveBeenCalledWith({ roomId: theRoom.id, title: '이서준', body: '회의 자료 보셨나요?' });
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(1);
    socket.serverSends('new_message', stored(theRoom.id, 5, other.id, id(), 'second'));
    expect(platform.setBadgeCount).toHaveBeenLastCalledWith(2);
  });

  it('no notification for a muted room or with do-not-disturb on', async () => {
    theRoom = { ...theRoom, muted: true };
    const { socket, session, platform } = await connected();
    socket.serverSends('new_message', stored(theRoom.id, 4, other.id, id(), 'muted'));
    expect(platform.notify).not.toHaveBeenCalled();
    await session.loadRooms();
    session.store.set({ rooms: { [theRoom.id]: { ...theRoom, muted: false } } });
    session.setDnd(true);
    socket.serverSends('new_message', stored(theRoom.id, 5, other.id, id(), 'dnd'));
    expect(platform.notify).not.toHaveBeenCalled();
    expect(platform.setDoNotDisturb).toHaveBeenLastCalledWith(true);
  });

  it('the open, focused room is marked read instead of notifying', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { socket, session, platform } = await connected();
    session.setActiveRoom(theRoom.id);
    socket.serverSends('new_message', stored(theRoom.id, 4, other.id, id(), 'seen'));
    expect(platform.notify).not.toHaveBeenCalled();
    expect(socket.sent).toContainEqual({ event: 'read', payload: { roomId: theRoom.id, seq: 4 } });
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(0);
  });

  it('a message deleted before I read it no longer counts as unread, once however often its tombstone comes', async () => {
    const { socket, session, platform } = await connected();
    const unread = stored(theRoom.id, 4, other.id, id(), '잘못 보냄');
    socket.serverSends('new_message', unread);
    socket.serverSends('new_message', stored(theRoom.id, 5, other.id, id(), '남은 메시지'));
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(2);
    const tombstone = { ...unread, body: null, deletedAt: new Date().toISOString() };
    socket.serverSends('message_deleted', tombstone);
    socket.serverSends('message_deleted', tombstone);
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(1);
    expect(platform.setBadgeCount).toHaveBeenLastCalledWith(1);
    // Deleting one already read, or one of mine, changes no count.
    socket.serverSends('message_deleted', { ...stored(theRoom.id, 3, other.id, id(), 'old'), deletedAt: new Date().toISOString() });
    socket.serverSends('message_deleted', { ...stored(theRoom.id, 5, me.id, id(), 'mine'), deletedAt: new Date().toISOString() });
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(1);
  });

  it('the open room behind another app is not read until the window comes back to the front', async () => {
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const { socket, session, platform } = await connected();
    session.setActiveRoom(theRoom.id);
    socket.serverSends('new_message', stored(theRoom.id, 4, other.id, id(), '보셨어요?'));
    expect(socket.sent.filter((e) => e.event === 'read')).toEqual([]);
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(1);
    expect(platform.notify).toHaveBeenCalledTimes(1);
    focus.mockReturnValue(true);
    window.dispatchEvent(new Event('focus'));
    expect(socket.sent).toContainEqual({ event: 'read', payload: { roomId: theRoom.id, seq: 4 } });
    expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(0);
  });

  it('a read event moves that member’s position, which clears the number beside my message', async () => {
    const { socket, session } = await connected();
    socket.serverSends('chat', stored(theRoom.id, 4, me.id, id(), 'mine'));
    expect(session.store.get().rooms[theRoom.id]!.members.find((m) => m.userId === other.id)!.lastReadSeq).toBe(3);
    socket.serverSends('read', { roomId: theRoom.id, userId: other.id, lastReadSeq: 4 });
    expect(session.store.get().rooms[theRoom.id]!.members.find((m) => m.userId === other.id)!.lastReadSeq).toBe(4);
  });

  it('a reads event from a large room moves every member it names, in one update, never backwards', async () => {
    const { socket, session } = await connected();
    socket.serverSends('chat', stored(theRoom.id, 4, me.id, id(), 'mine'));
    const updates = vi.fn();
    const off = session.store.subscribe(updates);
    socket.serverSends('reads', { roomId: theRoom.id, reads: [{ userId: other.id, lastReadSeq: 4 }, { userId: me.id, lastReadSeq: 2 }] });
    off();
    expect(updates).toHaveBeenCalledTimes(1);
    const members = session.store.get().rooms[theRoom.id]!.members;
    expect(members.find((m) => m.userId === other.id)!.lastReadSeq).toBe(4);
    // My own position stays where my message put it.
    expect(members.find((m) => m.userId === me.id)!.lastReadSeq).toBe(4);
  });

  it('an admin is told when a signup or reset request starts waiting, unless do-not-disturb is on', async () => {
    const socket = new FakeSocket();
    const platform = fakePlatform();
    const api = { accessToken: 'acc', call: vi.fn(() => Promise.resolve({ rooms: [] })), refresh: vi.fn(() => Promise.resolve(true)) } as unknown as ApiClient;
    const admin = new ChatSession(
      { api, platform, serverUrl: 'http://server', storage, onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket, translateAdminNotice: (kind) => ({ title: 'Admin', body: `new ${kind}` }) },
      user({ role: 'admin' }),
    );
    sessions.push(admin);
    socket.serverSends('admin_pending', { kind: 'signup', count: 1 });
    expect(platform.notify).toHaveBeenCalledWith({ roomId: 'admin', kind: 'admin', title: 'Admin', body: 'new signup' });
    socket.serverSends('admin_pending', { kind: 'signup', count: 0 }); // decided: no notice
    admin.setDnd(true);
    socket.serverSends('admin_pending', { kind: 'reset', count: 1 });
    expect(platform.notify).toHaveBeenCalledTimes(1);
    expect(admin.store.get().adminPending).toBe(1);
  });
});

describe('the admin window', () => {
  it('stays quiet: the main window owns the badge and the notifications', async () => {
    const socket = new FakeSocket();
    const platform = fakePlatform();
    const api = { accessToken: 'acc', call: vi.fn(() => Promise.resolve({ rooms: [theRoom] })), refresh: vi.fn(() => Promise.resolve(true)) } as unknown as ApiClient;
    const quiet = new ChatSession({ api, platform, serverUrl: 'http://server', storage, onSignedOut: vi.fn(), onOpenRoom: vi.fn(), connect: () => socket as unknown as HiSocket, quiet: true }, user({ role: 'admin' }));
    sessions.push(quiet);
    await quiet.loadRooms();
    socket.serverSends('new_message', stored(theRoom.id, 4, other.id, id(), 'hello'));
    socket.serverSends('admin_pending', { kind: 'signup', count: 1 });
    expect(quiet.store.get().rooms[theRoom.id]!.unreadCount).toBe(1);
    expect(platform.notify).not.toHaveBeenCalled();
    expect(platform.setBadgeCount).not.toHaveBeenCalled();
  });
});

describe('files refused before uploading', () => {
  it('over 10 MB, or a type outside the 14, is refused without sending a byte', () => {
    expect(uploadRefusal({ name: '보고서.PDF', size: 1000 })).toBeNull();
    expect(uploadRefusal({ name: 'photo.jpeg', size: 10 * 1024 * 1024 })).toBeNull();
    expect(uploadRefusal({ name: 'photo.jpeg', size: 10 * 1024 * 1024 + 1 })).toBe('FILE_TOO_LARGE');
    expect(uploadRefusal({ name: 'setup.exe', size: 10 })).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(uploadRefusal({ name: 'README', size: 10 })).toBe('FILE_TYPE_NOT_ALLOWED');
  });
});

describe('presence', () => {
  const watches = (socket: FakeSocket) => socket.sent.filter((s) => s.event === 'watch_presence').map((s) => (s.payload as { userIds: string[] }).userIds);

  function presenceServer(onlineNow: Set<string>) {
    const socket = new FakeSocket();
    socket.answer = (event, payload) => {
      if (event === 'sync') return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
      if (event === 'watch_presence') return { ok: true, online: (payload as { userIds: string[] }).userIds.filter((u) => onlineNow.has(u)) };
      return undefined;
    };
    return socket;
  }

  it('follows room members and the people asked for, once per connection, and merges the snapshot, the acks and the changes', async () => {
    const [shown, away, newcomer] = [user(), user(), user()];
    const socket = presenceServer(new Set([shown.id, newcomer.id]));
    const { session } = start(socket);
    session.watchPresence([shown.id, away.id, me.id]);
    expect(watches(socket)).toEqual([]);

    socket.connect();
    socket.serverSends('user_list', { users: [{ userId: me.id }, { userId: other.id }] });
    // The people asked for at once; the room's member once the room list is in.
    await vi.waitFor(() => expect(watches(socket)).toEqual([[shown.id, away.id], [other.id]]));
    await vi.waitFor(() => expect(session.store.get().online).toEqual({ [me.id]: true, [other.id]: false, [shown.id]: true, [away.id]: false }));

    // One event may tell of several people at once.
    socket.serverSends('presence', { users: [{ userId: away.id, online: true }, { userId: shown.id, online: false }] });
    expect(session.store.get().online[shown.id]).toBe(false);
    expect(session.store.get().online[away.id]).toBe(true);
    // A room with someone new: followed; the same members again are not asked twice.
    socket.serverSends('room_created', { room: room([member(me.id, 0), member(newcomer.id, 0)]) });
    socket.serverSends('room_updated', { room: { ...theRoom, members: [...theRoom.members] } });
    session.watchPresence([shown.id]);
    await vi.waitFor(() => expect(session.store.get().online[newcomer.id]).toBe(true));
    expect(watches(socket)).toEqual([[shown.id, away.id], [other.id], [newcomer.id]]);

    // A new connection knows nothing until told again, and asks for everyone again.
    socket.disconnect();
    expect(session.store.get().online).toEqual({});
    socket.sent = [];
    socket.connect();
    await vi.waitFor(() => expect(watches(socket)).toEqual([[shown.id, away.id, other.id, newcomer.id]]));
    await vi.waitFor(() => expect(session.store.get().online).toEqual({ [shown.id]: true, [away.id]: false, [other.id]: false, [newcomer.id]: true }));
  });

  it('asks in lists the server accepts, and asks again for a list it refused', async () => {
    const socket = presenceServer(new Set());
    const { session } = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(watches(socket)).toEqual([[other.id]]));
    socket.sent = [];
    const many = Array.from({ length: 1200 }, () => id());
    session.watchPresence(many);
    expect(watches(socket).map((l) => l.length)).toEqual([500, 500, 200]);
    expect(watches(socket).flat()).toEqual(many);

    socket.sent = [];
    const refusedOnce = user();
    const answer = socket.answer;
    socket.answer = (event, payload) => (event === 'watch_presence' ? { ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } } : answer(event, payload));
    session.watchPresence([refusedOnce.id]);
    await flush();
    socket.answer = answer;
    session.watchPresence([]);
    expect(watches(socket)).toEqual([[refusedOnce.id], [refusedOnce.id]]);
    await vi.waitFor(() => expect(session.store.get().online[refusedOnce.id]).toBe(false));
  });
});

describe('a message that skips a seq', () => {
  it('brings what was skipped at once, counting it as unread, one request at a time', async () => {
    const socket = new FakeSocket();
    const missed = [stored(theRoom.id, 4, other.id, id(), '놓친 메시지'), stored(theRoom.id, 6, other.id, id(), '또 놓친 메시지')];
    socket.answer = (event, payload) => {
      if (event !== 'sync') return { ok: true };
      const asked = (payload as { rooms: { roomId: string; afterSeq: number }[] }).rooms;
      const rooms = asked.map((r) => ({ roomId: r.roomId, messages: missed.filter((m) => m.seq > r.afterSeq), hasMore: false, deleted: [], readPositions: [] }));
      return { ok: true, rooms, addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z', deletedHasMore: false };
    };
    const { session, platform } = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().rooms[theRoom.id]).toBeDefined());
    socket.sent = [];
    socket.serverSends('new_message', stored(theRoom.id, 5, other.id, id(), '다섯'));
    socket.serverSends('new_message', stored(theRoom.id, 7, other.id, id(), '일곱'));
    await vi.waitFor(() => expect(session.store.get().messages[theRoom.id]!.map((m) => m.seq)).toEqual([4, 5, 6, 7]));
    // One request at a time: the second gap, found while the first was asked for, is asked for next.
    expect(socket.sent.filter((e) => e.event === 'sync').map((e) => e.payload)).toEqual([
      { rooms: [{ roomId: theRoom.id, afterSeq: 3 }], limit: 200 },
      { rooms: [{ roomId: theRoom.id, afterSeq: 5 }], limit: 200 },
    ]);
    await vi.waitFor(() => expect(session.store.get().rooms[theRoom.id]!.unreadCount).toBe(4));
    await vi.waitFor(() => expect(platform.setBadgeCount).toHaveBeenLastCalledWith(4));
  });
});

describe('a refused handshake', () => {
  afterEach(() => vi.useRealTimers());

  it('renews the token and tries again, backing off while the server cannot renew it, and stops with the session', async () => {
    vi.useFakeTimers();
    const socket = new FakeSocket();
    socket.active = false;
    const { session } = start(socket);
    const api = (session as unknown as { deps: { api: { refresh: ReturnType<typeof vi.fn>; refreshToken: string | null } } }).deps.api;
    api.refreshToken = 'ref';
    api.refresh = vi.fn(() => Promise.resolve(false));
    const connect = vi.spyOn(socket, 'connect').mockImplementation(() => socket);

    socket.serverSends('connect_error', new Error('TOKEN_EXPIRED'));
    await vi.advanceTimersByTimeAsync(1499);
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledTimes(1);

    // Refused again: twice as long before the next try.
    socket.serverSends('connect_error', new Error('TOKEN_EXPIRED'));
    await vi.advanceTimersByTimeAsync(2999);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    expect(connect).toHaveBeenCalledTimes(2);

    // The renewal refused: the session is over and nothing more is tried.
    api.refresh = vi.fn(() => {
      api.refreshToken = null;
      return Promise.resolve(false);
    });
    socket.serverSends('connect_error', new Error('TOKEN_EXPIRED'));
    await vi.advanceTimersByTimeAsync(6000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledTimes(2);

    // A retry pending when the session stops never runs.
    api.refreshToken = 'ref';
    socket.serverSends('connect_error', new Error('TOKEN_EXPIRED'));
    session.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });
});

describe('room changes', () => {
  it('a rename and members coming and going change the held room; a newcomer is followed; a room not held waits for the list', async () => {
    const [joiner, stranger] = [user({ name: '박지훈' }), user()];
    const socket = new FakeSocket();
    socket.answer = (event, payload) => {
      if (event === 'sync') return { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' };
      if (event === 'watch_presence') return { ok: true, online: (payload as { userIds: string[] }).userIds };
      return undefined;
    };
    const { session } = start(socket);
    socket.connect();
    await vi.waitFor(() => expect(session.store.get().rooms[theRoom.id]).toBeDefined());
    const held = session.store.get().rooms[theRoom.id]!;

    socket.serverSends('room_changed', { roomId: theRoom.id, name: '새 이름', joined: [member(joiner.id, 2, joiner.name)] });
    expect(session.store.get().rooms[theRoom.id]).toEqual({ ...held, name: '새 이름', members: [...held.members, member(joiner.id, 2, joiner.name)] });
    await vi.waitFor(() => expect(session.store.get().online[joiner.id]).toBe(true));

    socket.serverSends('room_changed', { roomId: theRoom.id, left: [other.id] });
    expect(session.store.get().rooms[theRoom.id]!.members.map((m) => m.userId)).toEqual([me.id, joiner.id]);
    const unknownRoom = id();
    socket.serverSends('room_changed', { roomId: unknownRoom, name: '모르는 방', joined: [member(stranger.id, 0)] });
    expect(session.store.get().rooms[unknownRoom]).toBeUndefined();
  });
});

describe('the room list', () => {
  const person = (u: { id: string; name: string; department: string; position: string }) => ({ id: u.id, name: u.name, department: u.department, position: u.position });
  const listed = (r: Room) => ({ ...r, members: r.members.map((m) => ({ userId: m.userId, lastReadSeq: m.lastReadSeq })) });

  it('comes in pages: the first is shown before the rest arrive, rooms gone are dropped, rooms that arrived meanwhile stay', async () => {
    const rooms = Array.from({ length: 3 }, (_, i) => room([member(me.id, 0), member(other.id, 0)], { unreadCount: i + 1, lastSeq: i + 1 }));
    const gone = room([member(me.id, 0)], { kind: 'group', name: '없어진 방' });
    const arrived = room([member(me.id, 0)], { kind: 'group', name: '새 방' });
    const socket = new FakeSocket();
    socket.answer = (event) => (event === 'sync' ? { ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [], serverTime: '2026-11-26T09:00:00.000Z' } : undefined);
    const { session, platform } = start(socket);
    let releaseSecond!: () => void;
    const secondAsked = new Promise<void>((resolve) => (releaseSecond = resolve));
    const calls: unknown[] = [];
    (session as unknown as { deps: { api: ApiClient } }).deps.api.call = vi.fn(async (name: string, opts?: { query?: { cursor?: string; limit?: number } }) => {
      calls.push(opts?.query);
      if (name !== 'rooms') throw new Error(name);
      if (!opts?.query?.cursor) return { rooms: rooms.slice(0, 2).map(listed), people: [person(me), person(other)], totalUnread: 6, nextCursor: 'page-2' };
      await secondAsked;
      return { rooms: [listed(rooms[2]!)], people: [person(me), person(other)], totalUnread: 6, nextCursor: null };
    }) as unknown as ApiClient['call'];
    // Held already: a room the pages will not list, and the one the second page brings.
    const busy = room([member(me.id, 0), member(other.id, 0)], { lastSeq: 7 });
    session.store.set({ rooms: { [gone.id]: gone, [busy.id]: busy, [rooms[2]!.id]: rooms[2]! } });

    const loading = session.loadRooms();
    await vi.waitFor(() => expect(Object.keys(session.store.get().rooms)).toEqual(expect.arrayContaining([rooms[0]!.id, rooms[1]!.id])));
    expect(session.store.get().rooms[rooms[0]!.id]!.members[1]).toMatchObject({ userId: other.id, name: other.name });
    expect(session.store.get().rooms[rooms[2]!.id]).toBe(rooms[2]); // as held until the second page comes
    socket.serverSends('room_created', { room: arrived });
    // Messages while the second page is on its way: one moves a room ahead of the pages read
    // (it is not listed, yet not gone), one comes after what the second page says of its room.
    socket.serverSends('new_message', stored(busy.id, 8, other.id, id(), '목록이 오는 사이에'));
    socket.serverSends('new_message', stored(rooms[2]!.id, 4, other.id, id(), '방금 온 메시지'));
    releaseSecond();
    await loading;

    expect(calls).toEqual([{ limit: 50 }, { limit: 50, cursor: 'page-2' }]);
    expect(Object.keys(session.store.get().rooms).sort()).toEqual([...rooms.map((r) => r.id), arrived.id, busy.id].sort());
    expect(session.store.get().rooms[rooms[2]!.id]).toMatchObject({ lastSeq: 4, unreadCount: 4, lastMessage: expect.objectContaining({ body: '방금 온 메시지' }) });
    await vi.waitFor(() => expect(platform.setBadgeCount).toHaveBeenLastCalledWith(1 + 2 + 4 + 1));
  });
});
