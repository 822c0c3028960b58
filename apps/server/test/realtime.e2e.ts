import { randomUUID } from 'node:crypto';
import type { ErrorBody, PresenceChange } from '@hi-msg/contracts';
import type { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { SessionEntity } from '../src/database/entities';
import { FOLLOW_EVERYONE_AFTER, PRESENCE_BATCH_MS, RealtimeGateway } from '../src/realtime/realtime.gateway';
import { createActiveUser, newSession } from './fixtures';
import { type ClientSocket, connectSocket, dialects, nextEvent, startServer, type TestServer } from './harness';
import { api, collect, emitAck, eventually, presenceTold, sendChat, Sockets } from './messaging.helpers';

describe.each(dialects())('realtime gateway on %s', (dialect) => {
  let server: TestServer;
  const sockets = new Sockets();
  const messageCount = async () => Number((await server.db.manager.query('SELECT COUNT(*) AS n FROM messages'))[0].n);
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await server.close();
  });

  it('refuses a handshake without a valid token, naming the code', async () => {
    const user = await createActiveUser(server);
    await expect(connectSocket(server.url, '')).rejects.toThrow('UNAUTHENTICATED');
    await expect(connectSocket(server.url, 'not-a-token')).rejects.toThrow(/UNAUTHENTICATED|TOKEN_EXPIRED/);
    await server.db.manager.update(SessionEntity, { id: user.sessionId }, { revokedAt: new Date() });
    await expect(connectSocket(server.url, user.accessToken)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('takes a fresh token on a live socket, but only the same user’s', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const s = await sockets.connect(server, a.accessToken);
    const fresh = await newSession(server, a.id);
    expect(await emitAck(s, 'authenticate', { token: fresh.accessToken })).toEqual({ ok: true });
    expect(await emitAck(s, 'authenticate', { token: b.accessToken })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await emitAck(s, 'authenticate', { token: 'garbage' })).toMatchObject({ ok: false, error: { code: expect.stringMatching(/UNAUTHENTICATED|TOKEN_EXPIRED/) } });
    expect(await emitAck(s, 'authenticate', { token: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Still the same user, still usable.
    expect(await sendChat(s, { toUserId: b.id, body: '토큰 교체 후' })).toMatchObject({ ok: true, message: { senderId: a.id } });
  });

  it('answers bad input on every event with the envelope code, writes nothing, and the socket stays usable', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const s = await sockets.connect(server, a.accessToken);
    const before = await messageCount();
    const bad: [Parameters<typeof emitAck>[1], unknown][] = [
      ['chat', undefined],
      ['chat', 'just a string'],
      ['chat', { toUserId: b.id, clientId: randomUUID() }],
      ['chat', { toUserId: b.id, clientId: randomUUID(), body: '' }],
      ['chat', { toUserId: b.id, clientId: randomUUID(), body: 'x'.repeat(10_001) }],
      ['chat', { toUserId: b.id, clientId: 'not-uuid', body: 'x' }],
      ['chat', { toUserId: b.id, clientId: randomUUID(), body: 'x', admin: true }],
      ['read', { roomId: 'nope', seq: 1 }],
      ['read', { roomId: randomUUID(), seq: -1 }],
      ['delete_message', {}],
      ['delete_message', { messageId: 42 }],
      ['sync', { rooms: 'all' }],
      ['sync', { rooms: [{ roomId: randomUUID(), afterSeq: -5 }] }],
      ['sync', { rooms: [], limit: 100_000 }],
      ['typing', { roomId: randomUUID() }],
      ['authenticate', { token: 5 }],
      ['watch_presence', { userIds: 'all' }],
      ['watch_presence', { userIds: [] }],
      ['watch_presence', { userIds: ['not-a-uuid'] }],
    ];
    for (const [event, payload] of bad) {
      const res = (await emitAck(s, event, payload)) as { ok: boolean; error?: ErrorBody };
      expect([event, res]).toEqual([event, { ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: expect.anything() } }]);
    }
    // Typing has no ack of its own; its refusal arrives as an `error` event.
    const refusal = nextEvent(s, 'error');
    s.emit('typing', { roomId: 'bad', typing: true });
    expect(await refusal).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await messageCount()).toBe(before);
    expect((await sendChat(s, { toUserId: b.id, body: '여전히 연결됨' })).ok).toBe(true);
  });

  it('a payload over the size cap closes only that socket; the server keeps serving', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const s = await sockets.connect(server, a.accessToken);
    const before = await messageCount();
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    s.emit('chat', { toUserId: b.id, clientId: randomUUID(), body: 'x'.repeat(200_000) }, () => undefined);
    expect(await closed).toBeTruthy();
    expect(await messageCount()).toBe(before);
    const again = await sockets.connect(server, a.accessToken);
    expect((await sendChat(again, { toUserId: b.id, body: '다시 연결' })).ok).toBe(true);
  });

  it('limits each socket’s event rate with RATE_LIMITED, and lets it go on after a pause', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const s = await sockets.connect(server, a.accessToken);
    const results = await Promise.all(Array.from({ length: 45 }, () => emitAck(s, 'read', { roomId, seq: 0 })));
    const limited = results.filter((r) => !r.ok);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } } });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await emitAck(s, 'read', { roomId, seq: 0 })).toEqual({ ok: true, lastReadSeq: 0 });
  });

  it('a chat over the event budget is answered RATE_LIMITED and stores nothing; the recipient hears only the accepted ones', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const [s, sb] = await Promise.all([sockets.connect(server, a.accessToken), sockets.connect(server, b.accessToken)]);
    const heard = collect(sb, 'new_message');
    const before = await messageCount();
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => sendChat(s, { toUserId: b.id, body: `폭주 ${i}` })));
    const accepted = results.flatMap((r) => (r.ok ? [r.message.id] : []));
    const limited = results.filter((r) => !r.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    for (const r of limited) expect(r).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterMs: expect.any(Number) } } });
    expect(await messageCount()).toBe(before + accepted.length);
    await eventually(() => expect(heard.map((m) => m.id).sort()).toEqual([...accepted].sort()));
  });

  it('chat with its payload split over several arguments is refused; chat without an ack is still sent', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const [s, sb] = await Promise.all([sockets.connect(server, a.accessToken), sockets.connect(server, b.accessToken)]);
    const before = await messageCount();
    const split = await (s.timeout(10_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> }).emitWithAck('chat', { toUserId: b.id }, { clientId: randomUUID(), body: 'x' });
    expect(split).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: expect.anything() } });
    expect(await messageCount()).toBe(before);
    const heard = nextEvent(sb, 'new_message');
    (s as unknown as { emit(e: string, p: unknown): void }).emit('chat', { toUserId: b.id, clientId: randomUUID(), body: '답장 필요 없음' });
    expect(await heard).toMatchObject({ senderId: a.id, body: '답장 필요 없음' });
  });

  it('a chat on a socket whose session was revoked, once its check is due, closes the socket with the reason and stores nothing', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const s = await sockets.connect(server, a.accessToken);
    const before = await messageCount();
    await server.db.manager.update(SessionEntity, { id: a.sessionId }, { revokedAt: new Date() });
    // Within the re-check interval the socket still counts as live; past it, its next event checks.
    const later = Date.now() + 16_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      const revoked = nextEvent(s, 'session_revoked');
      const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
      s.emit('chat', { toUserId: b.id, clientId: randomUUID(), body: '늦은 메시지' }, () => undefined);
      expect(await revoked).toEqual({ reason: expect.any(String) });
      expect(await gone).toBe('io server disconnect');
    } finally {
      clock.mockRestore();
    }
    expect(await messageCount()).toBe(before);
  });

  /** A socket and the user_list it got on connecting (listened for before the handshake ends). */
  const listed: ClientSocket[] = [];
  afterEach(() => listed.splice(0).forEach((s) => s.close()));
  const connectWithList = (token: string) =>
    new Promise<{ socket: ClientSocket; users: string[] }>((resolve, reject) => {
      const socket: ClientSocket = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      listed.push(socket);
      socket.once('user_list', (p) => {
        resolve({ socket, users: p.users.map((u) => u.userId) });
      });
      socket.once('connect_error', reject);
    });
  const shareRoom = async (a: { accessToken: string }, b: { id: string }) => expect((await api(server, a.accessToken).get(`/api/messages/${b.id}`)).status).toBe(200);

  it('sends one user_list on connect, then presence only when a contact’s first device comes or last device goes', async () => {
    const [watcher, multi] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    await shareRoom(watcher, multi);
    const w = await connectWithList(watcher.accessToken);
    expect(w.users).toEqual([watcher.id]);
    const about = collect(w.socket, 'presence');
    const mine = () => presenceTold(about, multi.id);

    const d1 = await connectWithList(multi.accessToken);
    expect(d1.users.sort()).toEqual([watcher.id, multi.id].sort());
    await eventually(() => expect(mine()).toEqual([{ userId: multi.id, online: true }]));
    const d2 = await connectWithList((await newSession(server, multi.id)).accessToken);
    expect(d2.users.filter((id) => id === multi.id)).toHaveLength(1);
    d1.socket.close();
    await new Promise((r) => setTimeout(r, PRESENCE_BATCH_MS + 300));
    expect(mine()).toEqual([{ userId: multi.id, online: true }]);
    d2.socket.close();
    await eventually(() => expect(mine()).toEqual([{ userId: multi.id, online: true }, { userId: multi.id, online: false }]));
    const userListsSeen = collect(w.socket, 'user_list');
    await connectWithList(multi.accessToken).then((c) => c.socket.close());
    await new Promise((r) => setTimeout(r, 200));
    expect(userListsSeen).toEqual([]);
  });

  it('presence reaches contacts and watchers only; the snapshot names only online contacts and the user', async () => {
    const [subject, contact, groupmate, watcher, latecomer, stranger] = await Promise.all(Array.from({ length: 6 }, () => createActiveUser(server)));
    await shareRoom(subject, contact);
    const group = await api(server, groupmate.accessToken).post('/api/create-chat-room', { name: '주간 회의', memberIds: [subject.id] });
    expect(group.status).toBe(201);
    const [c, g, w, l, x] = await Promise.all([contact, groupmate, watcher, latecomer, stranger].map((u) => connectWithList(u.accessToken)));
    const events = { contact: collect(c.socket, 'presence'), groupmate: collect(g.socket, 'presence'), watcher: collect(w.socket, 'presence'), latecomer: collect(l.socket, 'presence'), stranger: collect(x.socket, 'presence') };
    // What each heard of the subject (a batch may also name others its socket follows).
    const of = (e: { users: PresenceChange[] }[]) => presenceTold(e, subject.id);
    const heard = () => [of(events.contact), of(events.groupmate), of(events.watcher), of(events.latecomer)];
    // Everyone is online, yet the watcher's snapshot names only itself: it shares no room with any of them.
    expect(w.users).toEqual([watcher.id]);
    expect(await emitAck(w.socket, 'watch_presence', { userIds: [subject.id, stranger.id] })).toEqual({ ok: true, online: [stranger.id] });

    const s = await connectWithList(subject.accessToken);
    expect(s.users.sort()).toEqual([subject.id, contact.id, groupmate.id].sort());
    const came = { userId: subject.id, online: true };
    const went = { userId: subject.id, online: false };
    await eventually(() => expect(heard()).toEqual([[came], [came], [came], []]));
    // Watching once the subject is online: the ack says so, and the going comes later.
    expect(await emitAck(l.socket, 'watch_presence', { userIds: [subject.id, watcher.id, subject.id] })).toEqual({ ok: true, online: [subject.id, watcher.id] });
    s.socket.close();
    await eventually(() => expect(heard()).toEqual([[came, went], [came, went], [came, went], [went]]));
    await new Promise((r) => setTimeout(r, PRESENCE_BATCH_MS + 300));
    // The stranger follows no one: no batch reaches it.
    expect(events.stranger).toEqual([]);
  });

  it('watch_presence refuses a bad list with VALIDATION_FAILED and follows no one from it', async () => {
    const [watcher, subject] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const w = await connectWithList(watcher.accessToken);
    const seen = collect(w.socket, 'presence');
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    for (const payload of [undefined, 'x', {}, { userIds: subject.id }, { userIds: [subject.id, 'nope'] }, { userIds: [subject.id, ...ids(500)] }, { userIds: [subject.id], all: true }, [subject.id]]) {
      expect(await emitAck(w.socket, 'watch_presence', payload)).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: expect.anything() } });
    }
    const s = await connectWithList(subject.accessToken);
    s.socket.close();
    await new Promise((r) => setTimeout(r, PRESENCE_BATCH_MS + 300));
    expect(seen).toEqual([]);
    // The socket stays usable, and 500 at once is allowed.
    expect(await emitAck(w.socket, 'watch_presence', { userIds: [subject.id, ...ids(499)] })).toEqual({ ok: true, online: [] });
  });

  it('a socket that would follow more than FOLLOW_EVERYONE_AFTER people follows everyone, in one Socket.IO room', async () => {
    const [watcher, subject, unasked] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const w = await sockets.connect(server, watcher.accessToken);
    const heard = collect(w, 'presence');
    const rooms = () => (server.app.get(RealtimeGateway) as unknown as { server: Server }).server.sockets.sockets.get(w.id!)!.rooms;
    const strangers = (n: number) => Array.from({ length: n }, () => randomUUID());
    // Up to the limit, one room per person followed.
    expect(await emitAck(w, 'watch_presence', { userIds: [subject.id, ...strangers(FOLLOW_EVERYONE_AFTER - 1)] })).toEqual({ ok: true, online: [] });
    expect(rooms().size).toBe(2 + FOLLOW_EVERYONE_AFTER);
    const so = await sockets.connect(server, subject.accessToken);
    // A batch names everyone who came or went in it (here the watcher too): what matters is whom it names.
    await eventually(() => expect(presenceTold(heard, subject.id)).toEqual([{ userId: subject.id, online: true }]));
    // Someone never asked for is not heard of.
    const su = await sockets.connect(server, unasked.accessToken);
    await new Promise((r) => setTimeout(r, PRESENCE_BATCH_MS + 300));
    expect(presenceTold(heard, unasked.id)).toEqual([]);

    // One more: the socket follows everyone, in one room instead of 201, and the ack still answers for those asked.
    expect(await emitAck(w, 'watch_presence', { userIds: [unasked.id] })).toEqual({ ok: true, online: [unasked.id] });
    expect(rooms().size).toBe(3);
    // Watching more changes nothing more.
    expect(await emitAck(w, 'watch_presence', { userIds: strangers(500) })).toEqual({ ok: true, online: [] });
    expect(rooms().size).toBe(3);
    su.close();
    so.close();
    await eventually(() => expect([presenceTold(heard, unasked.id), presenceTold(heard, subject.id)]).toEqual([[{ userId: unasked.id, online: false }], [true, false].map((online) => ({ userId: subject.id, online }))]));
  });

  it('relays typing to the room’s other members only; a non-member’s typing is refused', async () => {
    const [a, b, outsider] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const sa = await sockets.connect(server, a.accessToken);
    const sb = await sockets.connect(server, b.accessToken);
    const so = await sockets.connect(server, outsider.accessToken);
    const onA = collect(sa, 'typing');
    const onO = collect(so, 'typing');
    const onB = nextEvent(sb, 'typing');
    sa.emit('typing', { roomId, typing: true });
    expect(await onB).toEqual({ roomId, userId: a.id, typing: true });
    const refused = nextEvent(so, 'error');
    so.emit('typing', { roomId, typing: true });
    expect(await refused).toMatchObject({ code: 'ROOM_NOT_MEMBER' });
    await new Promise((r) => setTimeout(r, 200));
    expect(onA).toEqual([]);
    expect(onO).toEqual([]);
  });

  it('a non-member’s socket cannot post, read, delete or sync a room', async () => {
    const [a, b, outsider] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const sa = await sockets.connect(server, a.accessToken);
    const sent = await sendChat(sa, { toUserId: b.id, body: '둘만의 대화' });
    if (!sent.ok) throw new Error(sent.error.code);
    const { roomId, id } = sent.message;
    const so = await sockets.connect(server, outsider.accessToken);
    const before = await messageCount();
    expect(await sendChat(so, { roomId, body: '엿보기' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_MEMBER' } });
    expect(await sendChat(so, { roomId: randomUUID(), body: '없는 방' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await emitAck(so, 'read', { roomId, seq: 1 })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_MEMBER' } });
    expect(await emitAck(so, 'delete_message', { messageId: id })).toMatchObject({ ok: false, error: { code: 'NOT_MESSAGE_SENDER' } });
    expect(await emitAck(so, 'sync', { rooms: [{ roomId, afterSeq: 0 }] })).toEqual({ ok: true, rooms: [], addedRoomIds: [], removedRoomIds: [roomId], serverTime: expect.any(String), deletedHasMore: false });
    expect(await messageCount()).toBe(before);
  });

  it('closes the sockets of a revoked session, telling them why', async () => {
    const user = await createActiveUser(server);
    const s = await sockets.connect(server, user.accessToken);
    const other = await sockets.connect(server, (await newSession(server, user.id)).accessToken);
    const revoked = nextEvent(s, 'session_revoked');
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    await server.db.manager.update(SessionEntity, { id: user.sessionId }, { revokedAt: new Date() });
    await server.app.get(RealtimeGateway).recheckSessions(true);
    expect(await revoked).toEqual({ reason: expect.any(String) });
    expect(await gone).toBe('io server disconnect');
    // The user's other, still-live session keeps its socket.
    expect(other.connected).toBe(true);
  });

  it('a password change closes the account’s other devices at once and keeps the device that changed it', async () => {
    const user = await createActiveUser(server);
    const mine = await sockets.connect(server, user.accessToken);
    const other = await sockets.connect(server, (await newSession(server, user.id)).accessToken);
    const revoked = nextEvent(other, 'session_revoked');
    const gone = new Promise<string>((resolve) => other.once('disconnect', resolve));
    const res = await api(server, user.accessToken).put('/api/users/me/password', { currentPassword: user.password, newPassword: 'Changed-Pass-2026!' });
    expect(res.status).toBe(204);
    expect(await revoked).toEqual({ reason: 'password_changed' });
    expect(await gone).toBe('io server disconnect');
    expect(mine.connected).toBe(true);
    expect((await emitAck(mine, 'sync', { rooms: [] })).ok).toBe(true);
  });
});
