import { randomUUID } from 'node:crypto';
import { type Message, READS_GATHERED_ABOVE, type Room, RoomListResponseSchema, type SystemMessageBody } from '@hi-msg/contracts';
import { UserEntity } from '../src/database/entities';
import { createActiveUser, type TestUser } from './fixtures';
import { dialects, startServer, type TestServer } from './harness';
import { api, collect, eventually, sendChat, Sockets } from './messaging.helpers';
import { watchSqliteStatements } from './sqlite-statements.helpers';

describe.each(dialects())('rooms on %s', (dialect) => {
  let server: TestServer;
  const sockets = new Sockets();
  const count = async (sql: string, params: unknown[]) => Number((await server.db.manager.query(sql, params))[0].n);
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await server.close();
  });

  it('lists my rooms by last activity with members, unread counts and the last message', async () => {
    const me = await createActiveUser(server, { name: '나본인' });
    const a = await createActiveUser(server, { name: '가나다' });
    const b = await createActiveUser(server, { name: '라마바' });
    const withA = await api(server, a.accessToken).post('/api/messages', { toUserId: me.id, clientId: randomUUID(), body: 'A의 메시지' });
    expect(withA.status).toBe(201);
    const group = await api(server, b.accessToken).post('/api/create-chat-room', { name: '디자인팀', memberIds: [me.id, a.id] });
    const meeting = await api(server, b.accessToken).post('/api/messages', { roomId: group.body.room.id, clientId: randomUUID(), body: '회의는 3시' });
    await api(server, b.accessToken).post('/api/messages', { roomId: group.body.room.id, clientId: randomUUID(), body: '자료 공유합니다' });

    const res = await api(server, me.accessToken).get('/api/chat-rooms');
    expect(res.status).toBe(200);
    const list = RoomListResponseSchema.parse(res.body);
    const rooms = list.rooms;
    expect(rooms.map((r) => r.id)).toEqual([group.body.room.id, withA.body.message.roomId]);
    expect(rooms[0]).toMatchObject({ kind: 'group', name: '디자인팀', lastSeq: 3, lastReadSeq: 1, unreadCount: 2, muted: false, lastMessage: { seq: 3, body: '자료 공유합니다' } });
    // Members are ids and read positions; each profile comes once, in `people`.
    expect(rooms[0]!.members).toEqual(expect.arrayContaining([{ userId: me.id, lastReadSeq: 1 }, { userId: b.id, lastReadSeq: 3 }, { userId: a.id, lastReadSeq: 1 }]));
    expect(rooms[0]!.members).toHaveLength(3);
    expect(list.people.map((p) => p.id).sort()).toEqual([me.id, a.id, b.id].sort());
    expect(list.people.find((p) => p.id === a.id)).toEqual({ id: a.id, name: '가나다', department: expect.any(String), position: expect.any(String) });
    expect(rooms[1]).toMatchObject({ kind: 'direct', name: null, lastSeq: 1, lastReadSeq: 0, unreadCount: 1, lastMessage: { body: 'A의 메시지', senderId: a.id } });
    // The list's view of a room is the one the room itself gives, but for the members' profiles.
    const detail = (await api(server, me.accessToken).get(`/api/chat-rooms/${group.body.room.id}`)).body.room as Room;
    expect({ ...rooms[0], members: [] }).toEqual({ ...detail, members: [] });

    // A deleted message I had not read is no longer unread news.
    expect((await api(server, b.accessToken).delete(`/api/messages/${meeting.body.message.id}`)).status).toBe(200);
    const afterDelete = RoomListResponseSchema.parse((await api(server, me.accessToken).get('/api/chat-rooms')).body).rooms[0]!;
    expect(afterDelete).toMatchObject({ id: group.body.room.id, unreadCount: 1, lastMessage: { seq: 3, body: '자료 공유합니다' } });

    // New activity moves a room to the top.
    await api(server, a.accessToken).post('/api/messages', { toUserId: me.id, clientId: randomUUID(), body: '다시 A' });
    const again = (await api(server, me.accessToken).get('/api/chat-rooms')).body.rooms as Room[];
    expect(again.map((r) => r.id)).toEqual([withA.body.message.roomId, group.body.room.id]);
  });

  it('reads the room list in the same number of queries for 3 rooms as for 30', async () => {
    const me = await createActiveUser(server);
    const others = await Promise.all(Array.from({ length: 3 }, () => createActiveUser(server)));
    const proto = Object.getPrototypeOf(server.db.dataSource.createQueryRunner()) as { query: (...args: unknown[]) => Promise<unknown> };
    const queriesFor = async (expectedRooms: number) => {
      // SQLite's reads go to better-sqlite3 directly; MySQL's through the query runner.
      const sqls: string[] = [];
      const spy = dialect === 'sqlite' ? undefined : jest.spyOn(proto, 'query');
      const unwatch = dialect === 'sqlite' ? watchSqliteStatements(server, (sql) => sqls.push(sql)) : () => undefined;
      try {
        const res = await api(server, me.accessToken).get('/api/chat-rooms');
        expect(res.body.rooms).toHaveLength(expectedRooms);
        // The page's rooms are named in an IN list: the same statement but for its length.
        return (spy ? spy.mock.calls.map((c) => String(c[0])) : sqls).map((q) => q.replace(/IN \((\?, )*\?\)/g, 'IN (…)'));
      } finally {
        spy?.mockRestore();
        unwatch();
      }
    };
    const makeRooms = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const room = (await api(server, me.accessToken).post('/api/create-chat-room', { name: `방 ${i}`, memberIds: others.map((o) => o.id) })).body.room as Room;
        await api(server, others[i % 3]!.accessToken).post('/api/messages', { roomId: room.id, clientId: randomUUID(), body: `메시지 ${i}` });
      }
    };
    await makeRooms(3);
    const few = await queriesFor(3);
    await makeRooms(27);
    const many = await queriesFor(30);
    // The same statements, word for word but for the page's id list, whatever the number of rooms.
    expect(many).toEqual(few);
    expect(many.filter((q) => /room_members me\b/.test(q))).toHaveLength(2);
    // Messages are read only by (room_id, seq = last_seq) for the last one and by (room_id,
    // deleted_at) for the deleted ones still unread: never a room's live history.
    for (const q of many) {
      const reads = (q.match(/\bmessages\b/g) ?? []).length;
      const keyed = (q.match(/JOIN messages m ON m\.room_id = r\.id AND m\.seq = r\.last_seq/g) ?? []).length + (q.match(/FROM messages d\s+WHERE (d\.room_id = me\.room_id AND d\.deleted_at IS NOT NULL|d\.deleted_in_room = me\.room_id)/g) ?? []).length;
      expect([q, reads]).toEqual([q, keyed]);
    }
  });

  it('pages the room list by latest activity with a cursor, each room once, and counts unread over all of them', async () => {
    const me = await createActiveUser(server, { name: '페이지' });
    const other = await createActiveUser(server);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const room = (await api(server, other.accessToken).post('/api/create-chat-room', { name: `페이지방 ${i}`, memberIds: [me.id] })).body.room as Room;
      for (let k = 0; k <= i % 3; k += 1) await api(server, other.accessToken).post('/api/messages', { roomId: room.id, clientId: randomUUID(), body: `안녕 ${i}-${k}` });
      ids.unshift(room.id);
    }
    const whole = RoomListResponseSchema.parse((await api(server, me.accessToken).get('/api/chat-rooms')).body);
    expect(whole.rooms.map((r) => r.id)).toEqual(ids);
    expect(whole.nextCursor).toBeNull();
    const unread = whole.rooms.reduce((n, r) => n + r.unreadCount, 0);
    expect(unread).toBeGreaterThanOrEqual(13);
    expect(whole.totalUnread).toBe(unread);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(server, me.accessToken).get(`/api/chat-rooms?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = RoomListResponseSchema.parse(res.body);
      expect(page.rooms.length).toBeLessThanOrEqual(3);
      expect(page.totalUnread).toBe(unread);
      // Each page carries the profiles its rooms need.
      expect(page.people.map((p) => p.id).sort()).toEqual([me.id, other.id].sort());
      seen.push(...page.rooms.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    // A room that moves to the top while paging is not repeated further down.
    const first = RoomListResponseSchema.parse((await api(server, me.accessToken).get('/api/chat-rooms?limit=3')).body);
    await api(server, other.accessToken).post('/api/messages', { roomId: ids[5], clientId: randomUUID(), body: '다시 위로' });
    const second = RoomListResponseSchema.parse((await api(server, me.accessToken).get(`/api/chat-rooms?limit=3&cursor=${first.nextCursor}`)).body);
    expect(second.rooms.map((r) => r.id)).toEqual([ids[3], ids[4], ids[6]]);
    expect(second.totalUnread).toBe(unread + 1);

    for (const bad of ['?limit=0', '?limit=201', '?limit=abc', '?cursor=bm90LWEtY3Vyc29y', '?cursor=%7B', '?limit=2&sort=name']) {
      const res = await api(server, me.accessToken).get(`/api/chat-rooms${bad}`);
      expect([bad, res.status, res.body.error?.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });

  it('counts the unread total in the database as each room counts it, and pages rooms of the same moment by id', async () => {
    const me = await createActiveUser(server, { name: '합계' });
    const other = await createActiveUser(server, { name: '보내는이' });
    const say = (roomId: string, body: string) => api(server, other.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), body });
    // A group with a deleted message among the unread ones.
    const withDeleted = (await api(server, other.accessToken).post('/api/create-chat-room', { name: '삭제 포함', memberIds: [me.id] })).body.room as Room;
    const sent: Message[] = [];
    for (const body of ['하나', '둘', '셋', '넷']) sent.push((await say(withDeleted.id, body)).body.message as Message);
    expect((await api(server, other.accessToken).delete(`/api/messages/${sent[1]!.id}`)).status).toBe(200);
    // A group I was invited to after it had history: only what came after counts.
    const invitedTo = (await api(server, other.accessToken).post('/api/create-chat-room', { name: '나중 초대', memberIds: [(await createActiveUser(server)).id] })).body.room as Room;
    for (const body of ['전', '전2', '전3']) await say(invitedTo.id, body);
    expect((await api(server, other.accessToken).post(`/api/chat-rooms/${invitedTo.id}/invite`, { userIds: [me.id] })).status).toBe(200);
    for (const body of ['후', '후2']) await say(invitedTo.id, body);
    // A 1:1 where I wrote last and have read everything.
    const direct = (await api(server, other.accessToken).post('/api/messages', { toUserId: me.id, clientId: randomUUID(), body: '안녕' })).body.message as Message;
    await api(server, me.accessToken).post('/api/messages', { roomId: direct.roomId, clientId: randomUUID(), body: '네 안녕하세요' });

    const whole = RoomListResponseSchema.parse((await api(server, me.accessToken).get('/api/chat-rooms')).body);
    const unread = Object.fromEntries(whole.rooms.map((r) => [r.id, r.unreadCount]));
    expect(unread).toEqual({ [withDeleted.id]: 4 - 1, [invitedTo.id]: 2, [direct.roomId]: 0 });
    expect(whole.totalUnread).toBe(5);

    // The three rooms at the same moment: ordered by id, each once across pages of one.
    const rooms = [withDeleted.id, invitedTo.id, direct.roomId];
    await server.db.manager.query(`UPDATE rooms SET last_message_at = ? WHERE id IN (?, ?, ?)`, [server.db.dialect === 'mysql' ? new Date('2026-11-26T09:00:00.000Z') : '2026-11-26 09:00:00.000', ...rooms]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = RoomListResponseSchema.parse((await api(server, me.accessToken).get(`/api/chat-rooms?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body);
      expect(page.totalUnread).toBe(5);
      seen.push(...page.rooms.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 5);
    expect(seen).toEqual([...rooms].sort());
  });

  it('creates a group only of active users, with a system message, and tells every member', async () => {
    const owner = await createActiveUser(server, { name: '방장' });
    const member = await createActiveUser(server, { name: '멤버' });
    const pending = await createActiveUser(server);
    await server.db.manager.update(UserEntity, { id: pending.id }, { status: 'pending' });
    const before = await count('SELECT COUNT(*) AS n FROM rooms', []);
    const refused = await api(server, owner.accessToken).post('/api/create-chat-room', { name: '안 됨', memberIds: [member.id, pending.id] });
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({ code: 'USER_NOT_FOUND', details: { userIds: [pending.id] } });
    for (const bad of [{ name: '', memberIds: [member.id] }, { name: '이름', memberIds: [] }, { name: '이름', memberIds: ['not-a-uuid'] }, { name: 'x'.repeat(101), memberIds: [member.id] }, { name: '이름', memberIds: [member.id], extra: 1 }]) {
      const res = await api(server, owner.accessToken).post('/api/create-chat-room', bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await count('SELECT COUNT(*) AS n FROM rooms', [])).toBe(before);

    const memberSocket = await sockets.connect(server, member.accessToken);
    const created = collect(memberSocket, 'room_created');
    const messages = collect(memberSocket, 'group_message');
    const res = await api(server, owner.accessToken).post('/api/create-chat-room', { name: '  신규 프로젝트  ', memberIds: [member.id, member.id] });
    expect(res.status).toBe(201);
    expect(res.body.room).toMatchObject({ name: '신규 프로젝트', createdBy: owner.id, lastSeq: 1 });
    expect(res.body.room.members).toHaveLength(2);
    await eventually(() => expect(created).toEqual([{ room: expect.objectContaining({ id: res.body.room.id, unreadCount: 0 }) }]));
    await eventually(() => expect(messages).toHaveLength(1));
    const body = JSON.parse(messages[0]!.body!) as SystemMessageBody;
    expect(messages[0]).toMatchObject({ kind: 'system', seq: 1, senderId: null });
    expect(body).toEqual({ event: 'created', actor: { id: owner.id, name: '방장' }, users: [{ id: member.id, name: '멤버' }], roomName: '신규 프로젝트' });
  });

  it('invited members see the room from their invitation on, with nothing unread; leaving ends it for them', async () => {
    const [owner, first, late] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server, { name: '늦게온사람' })]);
    const room = (await api(server, owner.accessToken).post('/api/create-chat-room', { name: '초대 테스트', memberIds: [first.id] })).body.room as Room;
    for (let i = 0; i < 3; i += 1) await api(server, owner.accessToken).post('/api/messages', { roomId: room.id, clientId: randomUUID(), body: `초대 전 ${i}` });

    const lateSocket = await sockets.connect(server, late.accessToken);
    const firstSocket = await sockets.connect(server, first.accessToken);
    const lateCreated = collect(lateSocket, 'room_created');
    const firstChanged = collect(firstSocket, 'room_changed');
    const invited = await api(server, first.accessToken).post(`/api/chat-rooms/${room.id}/invite`, { userIds: [late.id, owner.id] });
    expect(invited.status).toBe(200);
    expect(invited.body.room.members).toHaveLength(3);
    expect(invited.body.room).toMatchObject({ lastSeq: 5, lastReadSeq: 5, unreadCount: 0 });
    await eventually(() => expect(lateCreated).toEqual([{ room: expect.objectContaining({ id: room.id, unreadCount: 0, lastSeq: 5 }) }]));
    // Those already in hear who came in, not the whole room again.
    const lateMember = (invited.body.room as Room).members.find((m) => m.userId === late.id);
    expect(lateMember).toMatchObject({ name: '늦게온사람', lastReadSeq: 5 });
    await eventually(() => expect(firstChanged).toEqual([{ roomId: room.id, joined: [lateMember] }]));

    const lateView = await api(server, late.accessToken).get(`/api/chat-rooms/${room.id}`);
    expect(lateView.body.messages.map((m: Message) => m.seq)).toEqual([5]);
    expect(JSON.parse(lateView.body.messages[0].body)).toMatchObject({ event: 'invited', actor: { id: first.id }, users: [{ id: late.id, name: '늦게온사람' }] });
    const older = await api(server, late.accessToken).get(`/api/chat-rooms/${room.id}/messages?before=5`);
    expect(older.body).toEqual({ messages: [], hasMore: false });
    const lateRoom = ((await api(server, late.accessToken).get('/api/chat-rooms')).body.rooms as Room[])[0]!;
    expect(lateRoom).toMatchObject({ id: room.id, unreadCount: 0, lastMessage: expect.objectContaining({ seq: 5 }) });

    // Inviting only people already in changes nothing.
    expect((await api(server, owner.accessToken).post(`/api/chat-rooms/${room.id}/invite`, { userIds: [late.id] })).body.room.lastSeq).toBe(5);

    const lateGone = collect(lateSocket, 'room_deleted');
    const lateChanged = collect(lateSocket, 'room_changed');
    const left = await api(server, late.accessToken).post(`/api/chat-rooms/${room.id}/leave`);
    expect(left.status).toBe(204);
    await eventually(() => expect(lateGone).toEqual([{ roomId: room.id }]));
    await eventually(() => expect(firstChanged.at(-1)).toEqual({ roomId: room.id, left: [late.id] }));
    expect(lateChanged).toEqual([]);
    expect((await api(server, late.accessToken).get('/api/chat-rooms')).body.rooms).toEqual([]);
    expect((await api(server, late.accessToken).get(`/api/chat-rooms/${room.id}`)).body.error.code).toBe('ROOM_NOT_MEMBER');
    const afterLeave = await api(server, owner.accessToken).get(`/api/chat-rooms/${room.id}`);
    expect(afterLeave.body.room.members).toHaveLength(2);
    // The owner was up to date: the invitation and the departure are no unread news.
    expect(afterLeave.body.room).toMatchObject({ lastSeq: 6, lastReadSeq: 6, unreadCount: 0 });
    expect(JSON.parse(afterLeave.body.messages.at(-1).body)).toMatchObject({ event: 'left', actor: { id: late.id } });
  });

  it('a 1:1 room is one per pair, even when opened by both at once; it cannot take a third member or be left', async () => {
    const [a, b, c] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const opened = await Promise.all([
      ...Array.from({ length: 5 }, () => api(server, a.accessToken).get(`/api/messages/${b.id}`)),
      ...Array.from({ length: 5 }, () => api(server, b.accessToken).get(`/api/messages/${a.id}`)),
      ...Array.from({ length: 5 }, () => api(server, a.accessToken).post('/api/messages', { toUserId: b.id, clientId: randomUUID(), body: '동시에' })),
    ]);
    const roomIds = new Set(opened.map((r) => (r.body.room?.id ?? r.body.message?.roomId) as string));
    expect(roomIds.size).toBe(1);
    const [roomId] = [...roomIds];
    expect(await count('SELECT COUNT(*) AS n FROM rooms WHERE kind = ? AND direct_key LIKE ?', ['direct', `%${a.id}%`])).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM room_members WHERE room_id = ?', [roomId])).toBe(2);

    expect((await api(server, a.accessToken).post(`/api/chat-rooms/${roomId}/invite`, { userIds: [c.id] })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api(server, a.accessToken).post(`/api/chat-rooms/${roomId}/leave`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api(server, a.accessToken).get(`/api/messages/${a.id}`)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api(server, a.accessToken).get(`/api/messages/${randomUUID()}`)).body.error.code).toBe('USER_NOT_FOUND');
    expect((await api(server, a.accessToken).get('/api/messages/not-a-uuid')).status).toBe(400);
  });

  it('pages history by seq: before pages back, after pages forward, never overlapping', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const s = await sockets.connect(server, a.accessToken);
    const first = await sendChat(s, { toUserId: b.id, body: 'm1' });
    if (!first.ok) throw new Error(first.error.code);
    const roomId = first.message.roomId;
    for (let i = 2; i <= 25; i += 1) expect((await sendChat(s, { roomId, body: `m${i}` })).ok).toBe(true);
    const get = async (q: string) => (await api(server, b.accessToken).get(`/api/chat-rooms/${roomId}/messages${q}`)).body as { messages: Message[]; hasMore: boolean };
    const seqs = (p: { messages: Message[] }) => p.messages.map((m) => m.seq);

    const latest = await get('?limit=10');
    expect(seqs(latest)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(latest.hasMore).toBe(true);
    const back = await get('?limit=10&before=16');
    expect(seqs(back)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const oldest = await get('?limit=10&before=6');
    expect(seqs(oldest)).toEqual([1, 2, 3, 4, 5]);
    expect(oldest.hasMore).toBe(false);
    const forward = await get('?after=20&limit=3');
    expect(seqs(forward)).toEqual([21, 22, 23]);
    expect(forward.hasMore).toBe(true);
    expect(seqs(await get('?after=23'))).toEqual([24, 25]);
    const detail = await api(server, b.accessToken).get(`/api/chat-rooms/${roomId}`);
    expect(detail.body.messages).toHaveLength(25);
    expect(detail.body.hasMore).toBe(false);
    for (const bad of ['?limit=0', '?limit=101', '?before=abc', '?after=-1', '?offset=10']) {
      const res = await api(server, b.accessToken).get(`/api/chat-rooms/${roomId}/messages${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('any member renames a group and every member hears of it; a 1:1 room has no name to change', async () => {
    const [a, b, outsider] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const room = (await api(server, a.accessToken).post('/api/create-chat-room', { name: '옛 이름', memberIds: [b.id] })).body.room as Room;
    const sa = await sockets.connect(server, a.accessToken);
    const onA = collect(sa, 'room_changed');
    const res = await api(server, b.accessToken).put(`/api/chat-rooms/${room.id}/name`, { name: '  새 이름  ' });
    expect(res.status).toBe(200);
    expect(res.body.room).toMatchObject({ id: room.id, name: '새 이름' });
    await eventually(() => expect(onA).toEqual([{ roomId: room.id, name: '새 이름' }]));
    expect((await api(server, outsider.accessToken).put(`/api/chat-rooms/${room.id}/name`, { name: '탈취' })).body.error.code).toBe('ROOM_NOT_MEMBER');
    expect((await api(server, a.accessToken).put(`/api/chat-rooms/${room.id}/name`, { name: '   ' })).status).toBe(400);
    const direct = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    expect((await api(server, a.accessToken).put(`/api/chat-rooms/${direct}/name`, { name: '이름' })).body.error.code).toBe('VALIDATION_FAILED');
    const stored = await server.db.manager.query('SELECT name FROM rooms WHERE id = ?', [room.id]);
    expect(stored[0].name).toBe('새 이름');
  });

  it('a rename reaches every member as the same small change, which is all that changed of the room each of them sees', async () => {
    const [owner, behind, muted, caughtUp] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const room = (await api(server, owner.accessToken).post('/api/create-chat-room', { name: '보기 다른 방', memberIds: [behind.id, muted.id, caughtUp.id] })).body.room as Room;
    const so = await sockets.connect(server, owner.accessToken);
    for (const body of ['하나', '둘', '셋']) expect((await sendChat(so, { roomId: room.id, body })).ok).toBe(true);
    expect((await api(server, muted.accessToken).put(`/api/chat-rooms/${room.id}/mute`, { muted: true })).status).toBe(200);
    expect((await api(server, caughtUp.accessToken).post(`/api/chat-rooms/${room.id}/mark-read`, {})).status).toBe(200);
    const everyone = [owner, behind, muted, caughtUp];
    const held = new Map<TestUser, Room>();
    const heard = new Map<TestUser, unknown[]>();
    for (const u of everyone) {
      held.set(u, (await api(server, u.accessToken).get(`/api/chat-rooms/${room.id}`)).body.room as Room);
      heard.set(u, collect(await sockets.connect(server, u.accessToken), 'room_changed'));
    }
    expect(new Set(everyone.map((u) => `${held.get(u)!.unreadCount}:${held.get(u)!.muted}`)).size).toBe(3);

    expect((await api(server, behind.accessToken).put(`/api/chat-rooms/${room.id}/name`, { name: '새 이름' })).status).toBe(200);
    for (const u of everyone) {
      await eventually(() => expect(heard.get(u)).toEqual([{ roomId: room.id, name: '새 이름' }]));
      const now = (await api(server, u.accessToken).get(`/api/chat-rooms/${room.id}`)).body.room as Room;
      expect(now).toEqual({ ...held.get(u)!, name: '새 이름' });
    }
  });

  it('mutes a room for me on all my devices', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const s = await sockets.connect(server, a.accessToken);
    const updates = collect(s, 'room_updated');
    const res = await api(server, a.accessToken).put(`/api/chat-rooms/${roomId}/mute`, { muted: true });
    expect(res.status).toBe(200);
    expect(res.body.room.muted).toBe(true);
    await eventually(() => expect(updates).toEqual([{ room: expect.objectContaining({ id: roomId, muted: true }) }]));
    expect(((await api(server, b.accessToken).get('/api/chat-rooms')).body.rooms as Room[])[0]!.muted).toBe(false);
    expect((await api(server, a.accessToken).put(`/api/chat-rooms/${roomId}/mute`, { muted: 'yes' })).status).toBe(400);
  });

  it('in a room of more than READS_GATHERED_ABOVE members, read positions reach the members gathered in `reads`, not one `read` each', async () => {
    const people = await Promise.all(Array.from({ length: READS_GATHERED_ABOVE + 1 }, () => createActiveUser(server)));
    const [owner, r1, r2, listener] = people as [TestUser, TestUser, TestUser, TestUser];
    const room = (await api(server, owner.accessToken).post('/api/create-chat-room', { name: '전사 공지방', memberIds: people.slice(1).map((p) => p.id) })).body.room as Room;
    expect(room.members).toHaveLength(READS_GATHERED_ABOVE + 1);
    const so = await sockets.connect(server, owner.accessToken);
    for (const body of ['공지 하나', '공지 둘']) expect((await sendChat(so, { roomId: room.id, body })).ok).toBe(true);
    const sl = await sockets.connect(server, listener.accessToken);
    const single = collect(sl, 'read');
    const gathered = collect(sl, 'reads');
    const at = room.lastSeq + 2;
    for (const reader of [r1, r2]) {
      const res = await api(server, reader.accessToken).post(`/api/chat-rooms/${room.id}/mark-read`, {});
      // The reader's answer does not wait for the batch.
      expect(res.body).toEqual({ roomId: room.id, lastReadSeq: at });
    }
    await eventually(() => expect(gathered.flatMap((e) => e.reads).sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([r1, r2].map((u) => ({ userId: u.id, lastReadSeq: at })).sort((x, y) => x.userId.localeCompare(y.userId))));
    expect(gathered.every((e) => e.roomId === room.id)).toBe(true);
    expect(gathered.length).toBeLessThanOrEqual(2);
    expect(single).toEqual([]);
    // What the members see matches the store.
    const detail = (await api(server, listener.accessToken).get(`/api/chat-rooms/${room.id}`)).body.room as Room;
    expect(detail.members.filter((m) => m.lastReadSeq === at).map((m) => m.userId).sort()).toEqual([owner.id, r1.id, r2.id].sort());
  });

  it('membership changes at the same moment: one invitation each, one departure each, and the last two out take the room', async () => {
    const people = await Promise.all(Array.from({ length: 5 }, () => createActiveUser(server)));
    const [owner, ...others] = people as [TestUser, ...TestUser[]];
    const newcomer = await createActiveUser(server);
    const room = (await api(server, owner.accessToken).post('/api/create-chat-room', { name: '동시 변경', memberIds: others.map((u) => u.id) })).body.room as Room;
    const invites = await Promise.all(people.map((u) => api(server, u.accessToken).post(`/api/chat-rooms/${room.id}/invite`, { userIds: [newcomer.id] })));
    expect(invites.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const count = async (sql: string) => Number(((await server.db.manager.query(sql, [room.id])) as { n: number | string }[])[0]!.n);
    expect(await count('SELECT COUNT(*) AS n FROM room_members WHERE room_id = ?')).toBe(6);
    expect(await count(`SELECT COUNT(*) AS n FROM messages WHERE room_id = ? AND kind = 'system' AND body LIKE '%"invited"%'`)).toBe(1);

    const leaves = await Promise.all([0, 1, 2].map(() => api(server, newcomer.accessToken).post(`/api/chat-rooms/${room.id}/leave`)));
    expect(leaves.map((r) => r.status).sort()).toEqual([204, 403, 403]);
    expect(leaves.filter((r) => r.status === 403).every((r) => r.body.error.code === 'ROOM_NOT_MEMBER')).toBe(true);
    expect(await count(`SELECT COUNT(*) AS n FROM messages WHERE room_id = ? AND kind = 'system' AND body LIKE '%"left"%'`)).toBe(1);

    for (const u of people.slice(0, 3)) expect((await api(server, u.accessToken).post(`/api/chat-rooms/${room.id}/leave`)).status).toBe(204);
    const lastTwo = await Promise.all(people.slice(3).map((u) => api(server, u.accessToken).post(`/api/chat-rooms/${room.id}/leave`)));
    expect(lastTwo.map((r) => r.status)).toEqual([204, 204]);
    await eventually(async () => expect(await count('SELECT COUNT(*) AS n FROM rooms WHERE id = ? AND deleted_at IS NULL')).toBe(0));
  });

  it('ids in capitals mean the same people and rooms: stored in lower case, never a second membership or a 500', async () => {
    const [owner, member, late] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const up = (id: string) => id.toUpperCase();
    const created = await api(server, owner.accessToken).post('/api/create-chat-room', { name: '대문자', memberIds: [up(member.id)] });
    expect(created.status).toBe(201);
    const roomId = created.body.room.id as string;
    expect((created.body.room as Room).members.map((m) => m.userId).sort()).toEqual([owner.id, member.id].sort());
    const stored = (await server.db.manager.query('SELECT user_id FROM room_members WHERE room_id = ?', [roomId])) as { user_id: string }[];
    expect(stored.map((r) => r.user_id).sort()).toEqual([owner.id, member.id].sort());
    expect((await api(server, member.accessToken).get(`/api/chat-rooms/${up(roomId)}`)).status).toBe(200);

    // Inviting someone already in, in capitals, changes nothing; a newcomer in capitals joins once.
    const again = await api(server, owner.accessToken).post(`/api/chat-rooms/${up(roomId)}/invite`, { userIds: [up(member.id)] });
    expect(again.status).toBe(200);
    expect(again.body.room.lastSeq).toBe(created.body.room.lastSeq);
    const invited = await api(server, owner.accessToken).post(`/api/chat-rooms/${roomId}/invite`, { userIds: [up(late.id), late.id] });
    expect(invited.status).toBe(200);
    expect((invited.body.room as Room).members.filter((m) => m.userId === late.id)).toHaveLength(1);

    // A 1:1 chat with myself, in capitals, is refused as in lower case.
    const self = await api(server, owner.accessToken).post('/api/messages', { toUserId: up(owner.id), clientId: randomUUID(), body: '나에게' });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a non-member cannot read, post, mark read, invite, mute or leave, and hears nothing of the room', async () => {
    const [a, b, outsider] = await Promise.all([createActiveUser(server), createActiveUser(server), createActiveUser(server)]);
    const room = (await api(server, a.accessToken).post('/api/create-chat-room', { name: '비공개', memberIds: [b.id] })).body.room as Room;
    const spy = await sockets.connect(server, outsider.accessToken);
    const heard = ['group_message', 'new_message', 'read', 'typing', 'message_deleted', 'room_updated', 'room_changed'].flatMap((e) => collect(spy, e as 'read'));
    const o = api(server, outsider.accessToken);
    const attempts = [
      o.get(`/api/chat-rooms/${room.id}`),
      o.get(`/api/chat-rooms/${room.id}/messages`),
      o.post('/api/messages', { roomId: room.id, clientId: randomUUID(), body: '끼어들기' }),
      o.post(`/api/chat-rooms/${room.id}/mark-read`, {}),
      o.post(`/api/chat-rooms/${room.id}/invite`, { userIds: [outsider.id] }),
      o.put(`/api/chat-rooms/${room.id}/mute`, { muted: true }),
      o.post(`/api/chat-rooms/${room.id}/leave`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ROOM_NOT_MEMBER');
    }
    expect((await o.get(`/api/chat-rooms/${randomUUID()}`)).body.error.code).toBe('ROOM_NOT_FOUND');
    expect(await count('SELECT COUNT(*) AS n FROM room_members WHERE room_id = ?', [room.id])).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM messages WHERE room_id = ?', [room.id])).toBe(1);

    const sa = await sockets.connect(server, a.accessToken);
    const sent = await sendChat(sa, { roomId: room.id, body: '멤버끼리만' });
    await api(server, b.accessToken).post(`/api/chat-rooms/${room.id}/mark-read`, {});
    if (sent.ok) await api(server, a.accessToken).delete(`/api/messages/${sent.message.id}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
  });

  it.each<[string, (u: TestUser) => object]>([
    ['an empty body', () => ({ body: '   ' })],
    ['a body over 10,000 characters', () => ({ body: '가'.repeat(10_001) })],
    ['no clientId', () => ({ clientId: undefined, body: 'x' })],
    ['both roomId and toUserId', (u) => ({ toUserId: u.id, roomId: randomUUID(), body: 'x' })],
    ['an unknown field', () => ({ body: 'x', priority: 'high' })],
  ])('refuses a message with %s: 400, nothing written', async (_label, make) => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const res = await api(server, a.accessToken).post('/api/messages', { toUserId: b.id, clientId: randomUUID(), ...make(b) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await count('SELECT COUNT(*) AS n FROM messages WHERE sender_id = ?', [a.id])).toBe(0);
    const ok = await api(server, a.accessToken).post('/api/messages', { toUserId: b.id, clientId: randomUUID(), body: '가'.repeat(10_000) });
    expect(ok.status).toBe(201);
  });
});
