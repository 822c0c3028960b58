import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message, Room } from '@hi-msg/contracts';
import { FileEntity, MessageEntity } from '../src/database/entities';
import { createActiveUser, newSession, type TestUser } from './fixtures';
import { dialects, startServer, type TestServer } from './harness';
import { api, collect, emitAck, eventually, sendChat, Sockets } from './messaging.helpers';

/** Per message, how many other members have not read it yet (the KakaoTalk number). */
function unreadNumbers(room: Room, messages: Message[]): number[] {
  return messages.map((m) => room.members.filter((mem) => mem.userId !== m.senderId && mem.lastReadSeq < m.seq).length);
}

describe.each(dialects())('messaging on %s', (dialect) => {
  let server: TestServer;
  const sockets = new Sockets();
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await server.close();
  });

  it('two users chat live both ways; every device of both gets every message, the sender’s other device included, the sending one by its ack', async () => {
    const kim = await createActiveUser(server, { name: '김민수' });
    const lee = await createActiveUser(server, { name: '이영희' });
    const kimLaptop = await sockets.connect(server, kim.accessToken);
    const kimPhone = await sockets.connect(server, (await newSession(server, kim.id)).accessToken);
    const leeDesk = await sockets.connect(server, lee.accessToken);
    const got = { kimLaptop: collect(kimLaptop, 'new_message'), kimPhone: collect(kimPhone, 'new_message'), leeDesk: collect(leeDesk, 'new_message') };

    const first = await sendChat(kimLaptop, { toUserId: lee.id, body: '안녕하세요, 회의 자료 보내드릴게요 🙂' });
    expect(first).toMatchObject({ ok: true, message: { seq: 1, senderId: kim.id, kind: 'text', body: '안녕하세요, 회의 자료 보내드릴게요 🙂' } });
    if (!first.ok) return;
    const reply = await sendChat(leeDesk, { roomId: first.message.roomId, body: '네, 감사합니다!' });
    expect(reply).toMatchObject({ ok: true, message: { seq: 2, senderId: lee.id } });

    await eventually(() => {
      expect(got.kimPhone.map((m) => m.body)).toEqual(['안녕하세요, 회의 자료 보내드릴게요 🙂', '네, 감사합니다!']);
      // A sending socket gets its own message in the ack, not a second time as an event.
      expect(got.kimLaptop.map((m) => m.body)).toEqual(['네, 감사합니다!']);
      expect(got.leeDesk.map((m) => m.body)).toEqual(['안녕하세요, 회의 자료 보내드릴게요 🙂']);
    });
    // The 1:1 history route shows the same conversation from either side.
    const history = await api(server, lee.accessToken).get(`/api/messages/${kim.id}`);
    expect(history.status).toBe(200);
    expect(history.body.room).toMatchObject({ id: first.message.roomId, kind: 'direct', lastSeq: 2, lastReadSeq: 2, unreadCount: 0 });
    expect(history.body.messages.map((m: Message) => [m.seq, m.body])).toEqual([
      [1, '안녕하세요, 회의 자료 보내드릴게요 🙂'],
      [2, '네, 감사합니다!'],
    ]);
    const kimRooms = await api(server, kim.accessToken).get('/api/chat-rooms');
    expect(kimRooms.body.rooms).toEqual([expect.objectContaining({ id: first.message.roomId, lastSeq: 2, lastReadSeq: 1, unreadCount: 1, lastMessage: expect.objectContaining({ body: '네, 감사합니다!' }) })]);
    // Sent over REST, a message reaches every socket, the sender's own included.
    const viaRest = await api(server, kim.accessToken).post('/api/messages', { roomId: first.message.roomId, clientId: randomUUID(), body: '웹에서 보냅니다' });
    expect(viaRest.status).toBe(201);
    await eventually(() => {
      for (const list of Object.values(got)) expect(list.map((m) => m.body)).toContain('웹에서 보냅니다');
    });
  });

  it('a group of five: everyone receives, and unread counts and per-message unread numbers fall as members read', async () => {
    const users: TestUser[] = [];
    for (const name of ['박지훈', '최수진', '정우성', '한지민', '오세훈']) users.push(await createActiveUser(server, { name }));
    const [owner, ...rest] = users as [TestUser, ...TestUser[]];
    const conns = await Promise.all(users.map((u) => sockets.connect(server, u.accessToken)));
    const received = conns.map((s) => collect(s, 'group_message'));
    const created = await api(server, owner.accessToken).post('/api/create-chat-room', { name: '프로젝트 알파', memberIds: rest.map((u) => u.id) });
    expect(created.status).toBe(201);
    const roomId = created.body.room.id as string;
    expect(created.body.room).toMatchObject({ kind: 'group', name: '프로젝트 알파', lastSeq: 1, unreadCount: 0 });
    expect(created.body.room.members).toHaveLength(5);

    for (const body of ['첫 번째 공지', '두 번째 공지', '세 번째 공지']) expect((await sendChat(conns[0]!, { roomId, body })).ok).toBe(true);
    await eventually(() => {
      for (const list of received.slice(1)) expect(list.filter((m) => m.kind === 'text').map((m) => m.body)).toEqual(['첫 번째 공지', '두 번째 공지', '세 번째 공지']);
    });
    // The sending socket had each one in its ack.
    expect(received[0]!.filter((m) => m.kind === 'text')).toEqual([]);

    const detail = async (u: TestUser) => (await api(server, u.accessToken).get(`/api/chat-rooms/${roomId}`)).body as { room: Room; messages: Message[] };
    let view = await detail(owner);
    expect(view.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    const texts = () => view.messages.filter((m) => m.kind === 'text');
    expect(unreadNumbers(view.room, texts())).toEqual([4, 4, 4]);
    const roomOf = async (u: TestUser) => ((await api(server, u.accessToken).get('/api/chat-rooms')).body.rooms as Room[]).find((r) => r.id === roomId)!;
    expect((await roomOf(rest[0]!)).unreadCount).toBe(3);
    expect((await roomOf(owner)).unreadCount).toBe(0);

    // Member 1 reads everything over REST; member 2 reads up to the second notice over the socket.
    const readEvents = collect(conns[0]!, 'read');
    const r1 = await api(server, rest[0]!.accessToken).post(`/api/chat-rooms/${roomId}/mark-read`, {});
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ roomId, lastReadSeq: 4 });
    expect(await emitAck(conns[2]!, 'read', { roomId, seq: 3 })).toEqual({ ok: true, lastReadSeq: 3 });
    await eventually(() => expect(readEvents).toEqual(expect.arrayContaining([{ roomId, userId: rest[0]!.id, lastReadSeq: 4 }, { roomId, userId: rest[1]!.id, lastReadSeq: 3 }])));
    view = await detail(owner);
    expect(unreadNumbers(view.room, texts())).toEqual([2, 2, 3]);
    expect((await roomOf(rest[0]!)).unreadCount).toBe(0);
    expect((await roomOf(rest[1]!)).unreadCount).toBe(1);

    // The pointer never moves back, and never past the end.
    expect(await emitAck(conns[2]!, 'read', { roomId, seq: 1 })).toEqual({ ok: true, lastReadSeq: 3 });
    expect((await api(server, rest[2]!.accessToken).post(`/api/chat-rooms/${roomId}/mark-read`, { seq: 999 })).body).toEqual({ roomId, lastReadSeq: 4 });
    view = await detail(owner);
    expect(unreadNumbers(view.room, texts())).toEqual([1, 1, 2]);
  });

  it('the same clientId sent 20 times at once over the socket and REST makes exactly one message', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const opened = await api(server, a.accessToken).get(`/api/messages/${b.id}`);
    const roomId = opened.body.room.id as string;
    const s1 = await sockets.connect(server, a.accessToken);
    const s2 = await sockets.connect(server, (await newSession(server, a.id)).accessToken);
    const clientId = randomUUID();
    const payload = { roomId, clientId, body: '한 번만 저장되어야 하는 메시지' };
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => emitAck(i % 2 ? s1 : s2, 'chat', payload).then((r) => (r.ok ? r.message : r))),
      ...Array.from({ length: 10 }, () => api(server, a.accessToken).post('/api/messages', payload).then((r) => (r.status === 201 ? (r.body.message as Message) : r.body))),
    ]);
    const ids = new Set(results.map((m) => (m as Message).id));
    const seqs = new Set(results.map((m) => (m as Message).seq));
    expect(ids.size).toBe(1);
    expect([...seqs]).toEqual([1]);
    const rows = await server.db.manager.query('SELECT COUNT(*) AS n FROM messages WHERE sender_id = ? AND client_id = ?', [a.id, clientId]);
    expect(Number(rows[0].n)).toBe(1);
    const room = await server.db.manager.query('SELECT last_seq FROM rooms WHERE id = ?', [roomId]);
    expect(Number(room[0].last_seq)).toBe(1);
  });

  it('a retry of a stored message is told to the members again, for those who missed the first broadcast; still one message', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const sa = await sockets.connect(server, a.accessToken);
    const payload = { toUserId: b.id, clientId: randomUUID(), body: '처음 알림이 사라진 메시지' };
    const first = await emitAck(sa, 'chat', payload);
    if (!first.ok) throw new Error(first.error.code);
    // B was not connected when it went out (as if the broadcast had been lost); A retries.
    const sb = await sockets.connect(server, b.accessToken);
    const heard = collect(sb, 'new_message');
    const again = await emitAck(sa, 'chat', payload);
    expect(again.ok && again.message.id).toBe(first.message.id);
    await eventually(() => expect(heard.map((m) => m.id)).toEqual([first.message.id]));
    const rows = await server.db.manager.query('SELECT COUNT(*) AS n FROM messages WHERE client_id = ?', [payload.clientId]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('20 concurrent senders in one room get seqs 1..N with no gap and no duplicate', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 20; i += 1) users.push(await createActiveUser(server));
    const created = await api(server, users[0]!.accessToken).post('/api/create-chat-room', { name: '동시 전송', memberIds: users.slice(1).map((u) => u.id) });
    const roomId = created.body.room.id as string;
    const conns = await Promise.all(users.map((u) => sockets.connect(server, u.accessToken)));
    const acks = await Promise.all(conns.flatMap((s, i) => [0, 1, 2].map((k) => sendChat(s, { roomId, body: `${i}-${k}` }))));
    expect(acks.every((a) => a.ok)).toBe(true);
    const rows: { seq: number | string }[] = await server.db.manager.query('SELECT seq FROM messages WHERE room_id = ? ORDER BY seq', [roomId]);
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    const ackSeqs = acks.map((a) => (a.ok ? a.message.seq : -1)).sort((x, y) => x - y);
    expect(ackSeqs).toEqual(seqs.slice(1));
  });

  it('sends, reads, invites and a leave racing in one room all succeed, and the seqs stay gap-free', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 8; i += 1) users.push(await createActiveUser(server));
    const [owner, ...rest] = users as [TestUser, ...TestUser[]];
    const members = rest.slice(0, 4);
    const newcomers = rest.slice(4);
    const roomId = (await api(server, owner.accessToken).post('/api/create-chat-room', { name: '경합', memberIds: members.map((u) => u.id) })).body.room.id as string;
    const leaver = members[3]!;
    const ops = [
      ...[owner, ...members].flatMap((u) => [0, 1, 2].map((k) => ({ by: u, res: api(server, u.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), body: `경합 ${k}` }) }))),
      ...members.map((u) => ({ by: u, res: api(server, u.accessToken).post(`/api/chat-rooms/${roomId}/mark-read`, {}) })),
      ...newcomers.map((u) => ({ by: owner, res: api(server, owner.accessToken).post(`/api/chat-rooms/${roomId}/invite`, { userIds: [u.id] }) })),
      { by: leaver, res: api(server, leaver.accessToken).post(`/api/chat-rooms/${roomId}/leave`) },
    ];
    const statuses = await Promise.all(ops.map(async (o) => ({ leaver: o.by === leaver, status: (await o.res).status })));
    // Only the leaver may be refused (ROOM_NOT_MEMBER), for what lost the race to the leave.
    expect(statuses.filter((o) => o.status >= 300 && !(o.leaver && o.status === 403))).toEqual([]);
    const rows: { seq: number | string }[] = await server.db.manager.query('SELECT seq FROM messages WHERE room_id = ? ORDER BY seq', [roomId]);
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const lastSeq = Number((await server.db.manager.query('SELECT last_seq FROM rooms WHERE id = ?', [roomId]))[0].last_seq);
    expect(lastSeq).toBe(seqs.length);
    const memberCount = Number((await server.db.manager.query('SELECT COUNT(*) AS n FROM room_members WHERE room_id = ?', [roomId]))[0].n);
    expect(memberCount).toBe(1 + 4 + newcomers.length - 1);
  });

  it('a client that was away syncs exactly the messages it missed, once, in order', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const sa = await sockets.connect(server, a.accessToken);
    let sb = await sockets.connect(server, b.accessToken);
    const first = await sendChat(sa, { toUserId: b.id, body: '오프라인 전' });
    if (!first.ok) throw new Error(first.error.code);
    const roomId = first.message.roomId;
    await eventually(async () => expect((await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 0 }] })).ok).toBe(true));
    sb.close();
    const K = 7;
    for (let i = 1; i <= K; i += 1) expect((await sendChat(sa, { roomId, body: `놓친 메시지 ${i}` })).ok).toBe(true);
    // A deleted message stays in the log as a tombstone, so the sync sees its seq.
    const toDelete = await sendChat(sa, { roomId, body: '지울 메시지' });
    if (!toDelete.ok) throw new Error(toDelete.error.code);
    expect(await emitAck(sa, 'delete_message', { messageId: toDelete.message.id })).toMatchObject({ ok: true, message: { body: null, deletedAt: expect.any(String) } });

    sb = await sockets.connect(server, b.accessToken);
    const page1 = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 1 }], limit: 5 });
    if (!page1.ok) throw new Error(page1.error.code);
    expect(page1.addedRoomIds).toEqual([]);
    expect(page1.rooms[0]).toMatchObject({ roomId, hasMore: true });
    const page2 = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: page1.rooms[0]!.messages.at(-1)!.seq }], limit: 5 });
    if (!page2.ok) throw new Error(page2.error.code);
    expect(page2.rooms[0]!.hasMore).toBe(false);
    const got = [...page1.rooms[0]!.messages, ...page2.rooms[0]!.messages];
    expect(got.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(got.map((m) => m.body)).toEqual([...Array.from({ length: K }, (_, i) => `놓친 메시지 ${i + 1}`), null]);
    expect(got.at(-1)!.deletedAt).not.toBeNull();
    expect(page2.rooms[0]!.readPositions).toEqual(expect.arrayContaining([{ userId: a.id, lastReadSeq: 9 }, { userId: b.id, lastReadSeq: 0 }]));

    // A client that lists no rooms learns which ones to add; one it lists but left learns to drop it.
    const fresh = await emitAck(sb, 'sync', { rooms: [{ roomId: randomUUID(), afterSeq: 0 }] });
    expect(fresh).toMatchObject({ ok: true, rooms: [], addedRoomIds: [roomId] });
    if (fresh.ok) expect(fresh.removedRoomIds).toHaveLength(1);
  });

  it('a client that was away learns of deletions among messages it already holds, and deleted messages are not unread', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const sa = await sockets.connect(server, a.accessToken);
    let sb = await sockets.connect(server, b.accessToken);
    const sent: Message[] = [];
    for (const body of ['첫째', '둘째', '셋째']) {
      const ack = await sendChat(sa, { toUserId: b.id, body });
      if (!ack.ok) throw new Error(ack.error.code);
      sent.push(ack.message);
    }
    const roomId = sent[0]!.roomId;
    const held = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 0 }] });
    if (!held.ok) throw new Error(held.error.code);
    expect(held.rooms[0]!.messages.map((m) => m.body)).toEqual(['첫째', '둘째', '셋째']);
    sb.close();

    expect((await emitAck(sa, 'delete_message', { messageId: sent[1]!.id })).ok).toBe(true);
    const unread = async () => ((await api(server, b.accessToken).get('/api/chat-rooms')).body.rooms as Room[]).find((r) => r.id === roomId)!.unreadCount;
    expect(await unread()).toBe(2);

    sb = await sockets.connect(server, b.accessToken);
    const again = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 3 }], deletedSince: held.serverTime });
    if (!again.ok) throw new Error(again.error.code);
    expect(again.rooms[0]!.messages).toEqual([]);
    expect(again.rooms[0]!.deleted).toEqual([expect.objectContaining({ id: sent[1]!.id, seq: 2, body: null, deletedAt: expect.any(String) })]);
    // Without deletedSince nothing old is reported.
    const plain = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 3 }] });
    expect(plain.ok && plain.rooms[0]!.deleted).toEqual([]);
  });

  it('more deletions than one sync answer holds: the rest come with the next sync, from where that answer ended', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const sa = await sockets.connect(server, a.accessToken);
    const opened = await sendChat(sa, { toUserId: b.id, body: '시작' });
    if (!opened.ok) throw new Error(opened.error.code);
    const roomId = opened.message.roomId;
    // 1,001 messages deleted one second apart, half an hour ago.
    const base = Date.now() - 30 * 60_000;
    const rows = Array.from({ length: 1001 }, (_, i) =>
      Object.assign(new MessageEntity(), { id: randomUUID(), roomId, seq: i + 2, senderId: a.id, clientId: null, kind: 'text' as const, body: null, fileId: null, createdAt: new Date(base), deletedAt: new Date(base + i * 1000) }),
    );
    for (let i = 0; i < rows.length; i += 100) await server.db.manager.insert(MessageEntity, rows.slice(i, i + 100));
    await server.db.manager.query('UPDATE rooms SET last_seq = ? WHERE id = ?', [1002, roomId]);

    const sb = await sockets.connect(server, b.accessToken);
    const first = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 1002 }], deletedSince: new Date(base - 5 * 60_000).toISOString() });
    if (!first.ok) throw new Error(first.error.code);
    expect(first.deletedHasMore).toBe(true);
    expect(first.rooms[0]!.deleted).toHaveLength(1000);
    const second = await emitAck(sb, 'sync', { rooms: [{ roomId, afterSeq: 1002 }], deletedSince: first.serverTime });
    if (!second.ok) throw new Error(second.error.code);
    expect(second.deletedHasMore).toBe(false);
    const told = new Set([...first.rooms[0]!.deleted, ...second.rooms[0]!.deleted].map((m) => m.id));
    expect(told).toEqual(new Set(rows.map((r) => r.id)));
    expect(Date.parse(second.serverTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('deleting my own message leaves a tombstone every member hears of; nobody deletes another’s message', async () => {
    const a = await createActiveUser(server);
    const b = await createActiveUser(server);
    const sa = await sockets.connect(server, a.accessToken);
    const sb = await sockets.connect(server, b.accessToken);
    const deletedOnB = collect(sb, 'message_deleted');
    const sent = await sendChat(sa, { toUserId: b.id, body: '실수로 보낸 메시지' });
    if (!sent.ok) throw new Error(sent.error.code);
    const id = sent.message.id;

    const byOther = await api(server, b.accessToken).delete(`/api/messages/${id}`);
    expect(byOther.status).toBe(403);
    expect(byOther.body.error.code).toBe('NOT_MESSAGE_SENDER');
    expect(await emitAck(sb, 'delete_message', { messageId: id })).toMatchObject({ ok: false, error: { code: 'NOT_MESSAGE_SENDER' } });
    const intact = await server.db.manager.query('SELECT body, deleted_at FROM messages WHERE id = ?', [id]);
    expect(intact[0]).toMatchObject({ body: '실수로 보낸 메시지', deleted_at: null });

    const mine = await api(server, a.accessToken).delete(`/api/messages/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.message).toMatchObject({ id, seq: 1, body: null, file: null, deletedAt: expect.any(String) });
    await eventually(() => expect(deletedOnB).toEqual([expect.objectContaining({ id, seq: 1, body: null })]));
    const stored = await server.db.manager.query('SELECT body, seq, deleted_at FROM messages WHERE id = ?', [id]);
    expect(stored[0].body).toBeNull();
    expect(Number(stored[0].seq)).toBe(1);
    expect(stored[0].deleted_at).not.toBeNull();
    expect((await api(server, a.accessToken).delete(`/api/messages/${randomUUID()}`)).body.error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('sends an uploaded file as a message once; deleting the message removes the file row and its bytes', async () => {
    const [a, b] = await Promise.all([createActiveUser(server), createActiveUser(server)]);
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const upload = (uploaderId: string) => {
      const id = randomUUID();
      const storedPath = `${id}.bin`;
      mkdirSync(server.config.uploadDir, { recursive: true });
      writeFileSync(join(server.config.uploadDir, storedPath), 'PDF bytes');
      const row: FileEntity = Object.assign(new FileEntity(), {
        id,
        uploaderId,
        originalName: '분기 보고서.pdf',
        storedPath,
        thumbPath: null,
        mime: 'application/pdf',
        size: 9,
        sha256: '0'.repeat(64),
        messageId: null,
        createdAt: new Date(),
      });
      return server.db.manager.insert(FileEntity, row).then(() => ({ id, path: join(server.config.uploadDir, storedPath) }));
    };
    const lastSeq = async () => Number((await server.db.manager.query('SELECT last_seq FROM rooms WHERE id = ?', [roomId]))[0].last_seq);

    const theirs = await upload(b.id);
    const refused = await api(server, a.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), fileId: theirs.id });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('FILE_NOT_FOUND');
    // The failed attach rolled the whole send back: no message, no seq taken.
    expect(await lastSeq()).toBe(0);

    const mine = await upload(a.id);
    const sb = await sockets.connect(server, b.accessToken);
    const onB = collect(sb, 'new_message');
    const sent = await api(server, a.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), fileId: mine.id, body: '보고서입니다' });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ seq: 1, kind: 'file', body: '보고서입니다', file: { id: mine.id, name: '분기 보고서.pdf', mime: 'application/pdf', size: 9 } });
    await eventually(() => expect(onB).toEqual([expect.objectContaining({ id: sent.body.message.id, file: expect.objectContaining({ name: '분기 보고서.pdf' }) })]));
    const again = await api(server, a.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), fileId: mine.id });
    expect(again.body.error.code).toBe('FILE_ALREADY_SENT');
    expect(await lastSeq()).toBe(1);
    const history = await api(server, b.accessToken).get(`/api/chat-rooms/${roomId}/messages`);
    expect(history.body.messages[0].file).toMatchObject({ id: mine.id });

    const deleted = await api(server, a.accessToken).delete(`/api/messages/${sent.body.message.id}`);
    expect(deleted.body.message).toMatchObject({ body: null, file: null, kind: 'file' });
    expect(await server.db.manager.count(FileEntity, { where: { id: mine.id } })).toBe(0);
    expect(existsSync(mine.path)).toBe(false);
    expect(existsSync(theirs.path)).toBe(true);
  });
});
