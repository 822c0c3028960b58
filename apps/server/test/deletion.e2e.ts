import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { BackupWriter } from '../src/deletion/backup.writer';
import { DeletionRepository } from '../src/deletion/deletion.repository';
import { DeletionService } from '../src/deletion/deletion.service';
import { RoomPurger } from '../src/deletion/room-purger';
import { SendRepository } from '../src/messages/send.repository';
import { AuditLogEntity, FileEntity, MessageEntity, RoomEntity, RoomMemberEntity, UserEntity } from '../src/database/entities';
import { createActiveUser, type TestUser } from './fixtures';
import { fileRow, makeImage, makePdf, seedManyMessages, seedMessage, seedRoom } from './fixtures/files/samples';
import { type ClientSocket, connectSocket, dialects, freshMysqlDatabase, nextEvent, startServer, type TestServer } from './harness';
import { api, sendChat } from './messaging.helpers';

const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.accessToken}` });

function upload(server: TestServer, user: TestUser, data: Buffer, filename: string) {
  return request(server.url).post('/api/upload-file').set(auth(user)).attach('file', data, filename);
}

function backupsIn(server: TestServer, folder: 'deleted_user_logs' | 'deleted_room_logs'): string[] {
  try {
    return readdirSync(join(server.config.backupDir, folder)).sort();
  } catch {
    return [];
  }
}

/**
 * Hold every call of `object[method]` until released, to look at what runs meanwhile; `atCall`
 * resolves at the first call.
 */
function holdCalls<T extends object>(object: T, method: keyof T & string): { atCall: Promise<void>; release: () => void; restore: () => void } {
  const real = (object[method] as (...args: unknown[]) => Promise<unknown>).bind(object);
  let reached!: () => void;
  const atCall = new Promise<void>((resolve) => (reached = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const spy = jest.spyOn(object, method as never).mockImplementation((async (...args: unknown[]) => {
    reached();
    await gate;
    return real(...args);
  }) as never);
  return { atCall, release, restore: () => spy.mockRestore() };
}

/** The bodies in the user's backup, as the JSON document lists them. */
function userBackupBodies(server: TestServer, user: TestUser): string[] {
  const name = backupsIn(server, 'deleted_user_logs').find((n) => n.startsWith(`${user.employeeId}-`) && n.endsWith('.json'))!;
  const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_user_logs', name), 'utf8')) as { messages: { body: string }[] };
  return json.messages.map((m) => m.body);
}

function existsOnDisk(server: TestServer, relative: string): boolean {
  try {
    readFileSync(join(server.config.uploadDir, relative));
    return true;
  } catch {
    return false;
  }
}

describe.each(dialects())('deletion with backup on %s', (dialect) => {
  let server: TestServer;
  let admin: TestUser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer(dialect);
    admin = await createActiveUser(server, { role: 'admin', name: '관리자' });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await server.close();
  });

  /** The deleted rooms' messages are removed after the deletion answers: wait for that. */
  const purged = () => server.app.get(RoomPurger).settled();

  async function socketOf(user: TestUser): Promise<ClientSocket> {
    const s = await connectSocket(server.url, user.accessToken);
    sockets.push(s);
    return s;
  }

  /**
   * Runs `run` (a deletion); when its first backup of `kind` has read what it holds and is about
   * to be kept, `meanwhile` changes the data under it. Returns run's result and how many backups
   * of that kind were begun.
   */
  async function withLateChange<T>(kind: 'user' | 'room', meanwhile: () => Promise<unknown>, run: () => PromiseLike<T>): Promise<{ result: T; backups: number }> {
    const writer = server.app.get(BackupWriter);
    const realBegin = writer.begin.bind(writer);
    let late = false;
    let backups = 0;
    const spy = jest.spyOn(writer, 'begin').mockImplementation(async (...args) => {
      const draft = await realBegin(...args);
      if (args[0] !== kind) return draft;
      backups += 1;
      const realCommit = draft.commit.bind(draft);
      jest.spyOn(draft, 'commit').mockImplementation(async () => {
        if (!late) {
          late = true;
          await meanwhile();
        }
        return realCommit();
      });
      return draft;
    });
    try {
      return { result: await run(), backups };
    } finally {
      spy.mockRestore();
    }
  }

  describe('a room', () => {
    it('is deleted by its creator after its log is backed up, with its files', async () => {
      const alice = await createActiveUser(server, { name: '김지수' });
      const bob = await createActiveUser(server, { name: '이민호' });
      const roomId = await seedRoom(server, 'group', alice.id, [alice.id, bob.id], '디자인 팀');
      const image = await upload(server, alice, await makeImage('png'), '시안.png');
      await seedMessage(server, roomId, alice, '첫 번째 메시지입니다');
      await seedMessage(server, roomId, bob, '네, 확인했습니다');
      await seedMessage(server, roomId, alice, '시안 보내드려요', image.body.file.id);
      const row = (await fileRow(server, image.body.file.id))!;

      // A member who did not create the group may not delete it; nothing changes.
      const refused = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(bob));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(3);

      const bobSocket = await socketOf(bob);
      const deleted = nextEvent(bobSocket, 'room_deleted');
      const res = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(alice));
      expect(res.status).toBe(204);
      expect(await deleted).toEqual({ roomId });

      const names = backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId));
      expect(names).toHaveLength(2);
      const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_room_logs', names.find((n) => n.endsWith('.json'))!), 'utf8'));
      expect(json.room).toMatchObject({ id: roomId, name: '디자인 팀', kind: 'group' });
      expect(json.members.map((m: { name: string }) => m.name).sort()).toEqual(['김지수', '이민호']);
      expect(json.messages.map((m: { seq: number; senderName: string; body: string }) => [m.seq, m.senderName, m.body])).toEqual([
        [1, '김지수', '첫 번째 메시지입니다'],
        [2, '이민호', '네, 확인했습니다'],
        [3, '김지수', '시안 보내드려요'],
      ]);
      expect(json.messages[2].file).toEqual({ name: '시안.png', mime: 'image/png', size: image.body.file.size });
      const text = readFileSync(join(server.config.backupDir, 'deleted_room_logs', names.find((n) => n.endsWith('.txt'))!), 'utf8');
      expect(text).toContain('디자인 팀');
      expect(text).toContain('이민호');
      expect(text).toContain('네, 확인했습니다');
      expect(text).toContain('[첨부 파일] 시안.png');
      expect(text.indexOf('첫 번째 메시지입니다')).toBeLessThan(text.indexOf('시안 보내드려요'));

      await purged();
      expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
      expect(await server.db.manager.count(RoomMemberEntity, { where: { roomId } })).toBe(0);
      expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
      expect(await fileRow(server, image.body.file.id)).toBeNull();
      expect(existsOnDisk(server, row.storedPath)).toBe(false);
      expect(existsOnDisk(server, row.thumbPath!)).toBe(false);
      const audit = await server.db.manager.findOne(AuditLogEntity, { where: { action: 'room.delete', target: roomId } });
      expect(audit?.actorId).toBe(alice.id);

      const again = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(alice));
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('ROOM_NOT_FOUND');
    });

    it('is backed up again when a message arrives while its backup is written, so the backup misses nothing', async () => {
      const owner = await createActiveUser(server, { name: '늦은 발신자' });
      const roomId = await seedRoom(server, 'group', owner.id, [owner.id], '경쟁 테스트');
      await seedMessage(server, roomId, owner, '백업 전 메시지');
      const { result: res, backups } = await withLateChange('room', () => seedMessage(server, roomId, owner, '백업 중에 도착한 메시지'), () =>
        request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(owner)),
      );
      expect(res.status).toBe(204);
      expect(backups).toBe(2);
      const names = backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId));
      expect(names).toHaveLength(2);
      const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_room_logs', names.find((n) => n.endsWith('.json'))!), 'utf8'));
      expect(json.messages.map((m: { body: string }) => m.body)).toEqual(['백업 전 메시지', '백업 중에 도착한 메시지']);
    });

    it('is backed up and deleted, with its files, when its last member leaves', async () => {
      const first = await createActiveUser(server, { name: '박서준' });
      const last = await createActiveUser(server, { name: '최유리' });
      const roomId = await seedRoom(server, 'group', first.id, [first.id, last.id], '임시 TF');
      const doc = await upload(server, first, makePdf(), '회의록.pdf');
      await seedMessage(server, roomId, first, '회의록 올립니다', doc.body.file.id);
      const row = (await fileRow(server, doc.body.file.id))!;
      const leave = (u: TestUser) => request(server.url).post(`/api/chat-rooms/${roomId}/leave`).set(auth(u));

      // Someone is still in it: the room stays, and nothing is backed up.
      expect((await leave(first)).status).toBe(204);
      expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(1);
      expect(backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId))).toEqual([]);

      const lastSocket = await socketOf(last);
      const gone = nextEvent(lastSocket, 'room_deleted');
      expect((await leave(last)).status).toBe(204);
      expect(await gone).toEqual({ roomId });

      const names = backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId));
      expect(names).toHaveLength(2);
      const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_room_logs', names.find((n) => n.endsWith('.json'))!), 'utf8'));
      expect(json).toMatchObject({ room: { id: roomId, name: '임시 TF', kind: 'group' }, deletedBy: { id: last.id }, members: [] });
      // The whole log, both departures included.
      expect(json.messages.map((m: { seq: number; kind: string; body: string }) => [m.seq, m.kind, m.kind === 'system' ? JSON.parse(m.body).actor.id : m.body])).toEqual([
        [1, 'file', '회의록 올립니다'],
        [2, 'system', first.id],
        [3, 'system', last.id],
      ]);
      expect(json.messages[0].file).toEqual({ name: '회의록.pdf', mime: 'application/pdf', size: doc.body.file.size });

      await purged();
      expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
      expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
      expect(await fileRow(server, doc.body.file.id)).toBeNull();
      expect(existsOnDisk(server, row.storedPath)).toBe(false);
      const audit = await server.db.manager.findOne(AuditLogEntity, { where: { action: 'room.delete_abandoned', target: roomId } });
      expect(audit?.actorId).toBe(last.id);
    });

    it('is backed up and deleted when its last member is a user an admin deletes', async () => {
      const alone = await createActiveUser(server, { name: '혼자남은사람' });
      const roomId = await seedRoom(server, 'group', alone.id, [alone.id], '나만 남은 방');
      await seedMessage(server, roomId, alone, '아무도 없네요');
      const res = await request(server.url).delete(`/api/delete-user/${alone.id}`).set(auth(admin));
      expect(res.status).toBe(204);
      expect(backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId))).toHaveLength(2);
      await purged();
      expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
      expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
    });

    it('is not deleted by a creator who has left it: the members who stay keep it', async () => {
      const owner = await createActiveUser(server);
      const stays = await createActiveUser(server);
      const room = (await request(server.url).post('/api/create-chat-room').set(auth(owner)).send({ name: '떠난 방장', memberIds: [stays.id] })).body.room as { id: string };
      await seedMessage(server, room.id, stays, '남은 사람의 메시지');
      expect((await request(server.url).post(`/api/chat-rooms/${room.id}/leave`).set(auth(owner))).status).toBe(204);
      const refused = await request(server.url).delete(`/api/delete-chat-room/${room.id}`).set(auth(owner));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('ROOM_NOT_MEMBER');
      expect(await server.db.manager.count(MessageEntity, { where: { roomId: room.id } })).toBe(3);
      expect((await request(server.url).get(`/api/chat-rooms/${room.id}`).set(auth(stays))).status).toBe(200);
    });

    it('is a 1:1 chat only an admin may delete', async () => {
      const a = await createActiveUser(server);
      const b = await createActiveUser(server);
      const roomId = await seedRoom(server, 'direct', a.id, [a.id, b.id]);
      await seedMessage(server, roomId, a, '안녕');
      const refused = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(a));
      expect(refused.status).toBe(403);
      const res = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin));
      expect(res.status).toBe(204);
      expect(backupsIn(server, 'deleted_room_logs').filter((n) => n.startsWith(roomId))).toHaveLength(2);
      await purged();
      expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
    });

    it('is gone for everyone once the deletion answers, while its messages are removed a step at a time', async () => {
      const a = await createActiveUser(server, { name: '한가람' });
      const b = await createActiveUser(server, { name: '윤슬기' });
      const roomId = await seedRoom(server, 'direct', a.id, [a.id, b.id]);
      await seedManyMessages(server, roomId, [a.id, b.id], 250);
      const purger = server.app.get(RoomPurger);
      const repo = server.app.get(DeletionRepository);
      const realStep = repo.deleteMessagesOf.bind(repo);
      // Hold the purge at its first step, to look at the room in between.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const steps: [number, number][] = [];
      const spy = jest.spyOn(repo, 'deleteMessagesOf').mockImplementation(async (id, after, upTo) => {
        steps.push([after, upTo]);
        await gate;
        return realStep(id, after, upTo);
      });
      const defaultStep = purger.step;
      purger.step = 40;
      try {
        const res = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin));
        expect(res.status).toBe(204);
        const row = await server.db.manager.findOne(RoomEntity, { where: { id: roomId } });
        expect(row).toMatchObject({ directKey: null, lastSeq: 250 });
        expect(row?.deletedAt).toBeInstanceOf(Date);
        expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(250);

        // Nobody reaches it: reads, sends and a second deletion find no room, and it is off the list.
        for (const path of [`/api/chat-rooms/${roomId}`, `/api/chat-rooms/${roomId}/messages`]) {
          const read = await api(server, a.accessToken).get(path);
          expect([read.status, read.body.error?.code]).toEqual([404, 'ROOM_NOT_FOUND']);
        }
        const post = await api(server, a.accessToken).post('/api/messages', { roomId, clientId: randomUUID(), body: '아직 있나요?' });
        expect([post.status, post.body.error?.code]).toEqual([404, 'ROOM_NOT_FOUND']);
        const socket = await socketOf(b);
        const sent = await sendChat(socket, { roomId, clientId: randomUUID(), body: '소켓으로' });
        expect(sent).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
        const again = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin));
        expect([again.status, again.body.error?.code]).toEqual([404, 'ROOM_NOT_FOUND']);
        const list = await api(server, a.accessToken).get('/api/chat-rooms');
        expect(list.body.rooms.map((r: { id: string }) => r.id)).not.toContain(roomId);
        expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(250);

        // The pair starts over in a new 1:1 chat.
        const fresh = await api(server, a.accessToken).post('/api/messages', { toUserId: b.id, clientId: randomUUID(), body: '새 대화' });
        expect(fresh.status).toBe(201);
        expect(fresh.body.message.roomId).not.toBe(roomId);
        expect(fresh.body.message.seq).toBe(1);

        open();
        await purged();
        expect(steps).toEqual(Array.from({ length: 7 }, (_, i) => [i * 40, (i + 1) * 40]));
        expect(await server.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
        expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
        expect(await server.db.manager.count(MessageEntity, { where: { roomId: fresh.body.message.roomId } })).toBe(1);
      } finally {
        open();
        spy.mockRestore();
        purger.step = defaultStep;
      }
    });
  });

  describe('a user', () => {
    it('is backed up with their messages, then removed: sessions and sockets end, the others keep the history', async () => {
      const departing = await createActiveUser(server, { name: '홍길동' });
      const colleague = await createActiveUser(server, { name: '성춘향' });
      const group = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '영업 2팀');
      const direct = await seedRoom(server, 'direct', departing.id, [departing.id, colleague.id]);
      const doc = await upload(server, departing, makePdf(), '분기 보고서.pdf');
      await seedMessage(server, group, departing, '보고서 올렸습니다', doc.body.file.id);
      await seedMessage(server, group, colleague, '감사합니다');
      await seedMessage(server, direct, departing, '퇴근 전에 잠깐 얘기할 수 있을까요?');
      const unsent = await upload(server, departing, Buffer.from('보내지 않은 메모'), '메모.txt');
      const unsentPath = (await fileRow(server, unsent.body.file.id))!.storedPath;

      const departingSocket = await socketOf(departing);
      const colleagueSocket = await socketOf(colleague);
      const revoked = nextEvent(departingSocket, 'session_revoked');
      const closed = new Promise<string>((resolve) => departingSocket.once('disconnect', resolve));
      const told = nextEvent(colleagueSocket, 'user_deleted');

      const res = await request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin));
      expect(res.status).toBe(204);

      // The backup: profile, rooms, every message they sent, with file names.
      const names = backupsIn(server, 'deleted_user_logs').filter((n) => n.startsWith(`${departing.employeeId}-`));
      expect(names).toHaveLength(2);
      const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_user_logs', names.find((n) => n.endsWith('.json'))!), 'utf8'));
      expect(json.user).toMatchObject({ id: departing.id, employeeId: departing.employeeId, name: '홍길동' });
      expect(json.rooms.map((r: { id: string }) => r.id).sort()).toEqual([group, direct].sort());
      expect(json.messages.map((m: { body: string }) => m.body)).toEqual(['보고서 올렸습니다', '퇴근 전에 잠깐 얘기할 수 있을까요?']);
      expect(json.messages[0].file.name).toBe('분기 보고서.pdf');
      const text = readFileSync(join(server.config.backupDir, 'deleted_user_logs', names.find((n) => n.endsWith('.txt'))!), 'utf8');
      expect(text).toContain('이름: 홍길동');
      expect(text).toContain('영업 2팀');
      expect(text).toContain('퇴근 전에 잠깐 얘기할 수 있을까요?');
      expect(text).toContain('[첨부 파일] 분기 보고서.pdf');
      expect(text).not.toContain('감사합니다');

      // The account is gone: its token, its password, its socket.
      expect(await revoked).toEqual({ reason: expect.any(String) });
      await closed;
      expect(departingSocket.connected).toBe(false);
      const me = await request(server.url).get('/api/users/me').set(auth(departing));
      expect(me.status).toBe(401);
      const login = await request(server.url).post('/api/login').send({ employeeId: departing.employeeId, password: departing.password });
      expect(login.status).toBe(401);
      await expect(connectSocket(server.url, departing.accessToken)).rejects.toBeDefined();
      expect(await server.db.manager.count(UserEntity, { where: { id: departing.id } })).toBe(0);
      expect(await told).toEqual({ userId: departing.id });

      // The others still see the messages, from a sender that no longer exists; the 1:1 room stays.
      const history = await request(server.url).get(`/api/chat-rooms/${group}`).set(auth(colleague));
      expect(history.status).toBe(200);
      const bodies = (history.body.messages as { senderId: string; body: string; file: { name: string } | null }[]).map((m) => [m.senderId, m.body, m.file?.name ?? null]);
      expect(bodies).toEqual([
        [departing.id, '보고서 올렸습니다', '분기 보고서.pdf'],
        [colleague.id, '감사합니다', null],
      ]);
      expect(await server.db.manager.count(MessageEntity, { where: { roomId: direct } })).toBe(1);
      const sent = await request(server.url).get(`/api/download-file/${doc.body.file.id}`).set(auth(colleague));
      expect(sent.status).toBe(200);

      // Their unsent upload went with them.
      expect(await fileRow(server, unsent.body.file.id)).toBeNull();
      expect(existsOnDisk(server, unsentPath)).toBe(false);
      const audit = await server.db.manager.findOne(AuditLogEntity, { where: { action: 'user.delete', target: departing.id } });
      expect(audit?.actorId).toBe(admin.id);
    });

    it('is backed up with every message of a long history, oldest first, each once', async () => {
      const departing = await createActiveUser(server, { name: '김장기' });
      const colleague = await createActiveUser(server, { name: '이동료' });
      const rooms = [await seedRoom(server, 'direct', departing.id, [departing.id, colleague.id]), await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '오래된 방')];
      // More messages than one step along the index (2,000) and five pages of the backup (500):
      // sent times run against clientId order, and every fourth shares its time with the one
      // before, so the id breaks the tie.
      const total = 2503;
      const start = Date.UTC(2020, 0, 1);
      const rows = Array.from({ length: total }, (_, i) => {
        const roomId = rooms[i % 2]!;
        return {
          id: randomUUID(),
          roomId,
          seq: Math.floor(i / 2) + 1,
          // One without a clientId, as no send writes it, must be listed too.
          clientId: i === 5 ? null : `${String(total - i).padStart(8, '0')}-0000-4000-8000-000000000000`,
          body: `메시지 ${i}`,
          createdAt: new Date(start + (i - (i % 4 === 3 ? 1 : 0)) * 1000),
        };
      });
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200).map((r) => ({ ...r, senderId: departing.id, kind: 'text' as const, fileId: null, deletedAt: null }));
        await server.db.manager.insert(MessageEntity, chunk);
      }
      for (const [i, roomId] of rooms.entries()) await server.db.manager.update(RoomEntity, { id: roomId }, { lastSeq: Math.ceil((total - i) / 2) });
      const expected = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).map((r) => r.id);
      // The listing in small steps agrees with the order the backup needs.
      expect((await server.app.get(DeletionRepository).messageKeysBySender(departing.id, 7)).map((k) => k.id)).toEqual(expected);

      const res = await request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin));
      expect(res.status).toBe(204);
      const name = backupsIn(server, 'deleted_user_logs').find((n) => n.startsWith(`${departing.employeeId}-`) && n.endsWith('.json'))!;
      const json = JSON.parse(readFileSync(join(server.config.backupDir, 'deleted_user_logs', name), 'utf8')) as { messages: { id: string; body: string }[] };
      expect(json.messages.map((m) => m.id)).toEqual(expected);
      expect(json.messages[0]!.body).toBe('메시지 0');
      const text = readFileSync(join(server.config.backupDir, 'deleted_user_logs', name.replace(/\.json$/, '.txt')), 'utf8');
      expect(text).toContain(`총 ${total}개의 메시지`);
    });

    it('is backed up again when they send a message while the backup is written', async () => {
      const departing = await createActiveUser(server, { name: '막차 발신자' });
      const colleague = await createActiveUser(server);
      const roomId = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '마감 준비');
      await seedMessage(server, roomId, departing, '먼저 보낸 메시지');
      const { result: res, backups } = await withLateChange('user', () => seedMessage(server, roomId, departing, '백업 중에 보낸 메시지'), () =>
        request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin)),
      );
      expect(res.status).toBe(204);
      expect(backups).toBe(2);
      expect(userBackupBodies(server, departing)).toEqual(['먼저 보낸 메시지', '백업 중에 보낸 메시지']);
    });

    it('is backed up again when they send a message while a room of their older ones is deleted', async () => {
      const departing = await createActiveUser(server, { name: '교차 발신자' });
      const colleague = await createActiveUser(server);
      const closing = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '닫히는 방');
      const staying = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '남는 방');
      await seedMessage(server, closing, departing, '닫히는 방 1');
      await seedMessage(server, closing, departing, '닫히는 방 2');
      await seedMessage(server, staying, departing, '남는 방 1');
      // Two of their messages go with the room, one new one arrives: as many as the backup wrote.
      const { result: res, backups } = await withLateChange(
        'user',
        async () => {
          const closed = await request(server.url).delete(`/api/delete-chat-room/${closing}`).set(auth(admin));
          expect(closed.status).toBe(204);
          await purged();
          expect(await server.db.manager.count(RoomEntity, { where: { id: closing } })).toBe(0);
          await seedMessage(server, staying, departing, '남는 방 2');
        },
        () => request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin)),
      );
      expect(res.status).toBe(204);
      expect(backups).toBe(2);
      expect(userBackupBodies(server, departing)).toEqual(['남는 방 1', '남는 방 2']);
    });

    it('waits for a send of theirs still committing, and backs it up', async () => {
      const departing = await createActiveUser(server, { name: '진행중 발신자' });
      const colleague = await createActiveUser(server);
      const roomId = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '동시 전송');
      await seedMessage(server, roomId, departing, '먼저 보낸 메시지');
      // The send holds its seq (and, on MySQL, its membership's lock) until released.
      const { atCall, release, restore } = holdCalls(server.app.get(SendRepository), 'insert');
      try {
        const sent = request(server.url).post('/api/messages').set(auth(departing)).send({ roomId, clientId: randomUUID(), body: '커밋 중인 메시지' }).then((r) => r);
        await atCall;
        const deleted = request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin)).then((r) => r);
        await new Promise((resolve) => setTimeout(resolve, 300));
        release();
        expect((await sent).status).toBe(201);
        expect((await deleted).status).toBe(204);
      } finally {
        restore();
      }
      expect(userBackupBodies(server, departing)).toEqual(['먼저 보낸 메시지', '커밋 중인 메시지']);
    });

    it('refuses a send of theirs that comes while the deletion commits, storing nothing', async () => {
      const departing = await createActiveUser(server, { name: '늦은 전송' });
      const colleague = await createActiveUser(server);
      const roomId = await seedRoom(server, 'group', colleague.id, [departing.id, colleague.id], '마감 직후');
      await seedMessage(server, roomId, departing, '삭제 전 메시지');
      // The deletion holds its transaction (on MySQL, their memberships' locks) until released.
      const { atCall, release, restore } = holdCalls(server.app.get(DeletionRepository), 'sentSince');
      const clientId = randomUUID();
      try {
        const deleted = request(server.url).delete(`/api/delete-user/${departing.id}`).set(auth(admin)).then((r) => r);
        await atCall;
        const sent = request(server.url).post('/api/messages').set(auth(departing)).send({ roomId, clientId, body: '너무 늦은 메시지' }).then((r) => r);
        await new Promise((resolve) => setTimeout(resolve, 300));
        release();
        expect((await deleted).status).toBe(204);
        const refused = await sent;
        expect([refused.status, refused.body.error?.code]).toEqual([403, 'ROOM_NOT_MEMBER']);
      } finally {
        restore();
      }
      expect(await server.db.manager.count(MessageEntity, { where: { senderId: departing.id, clientId } })).toBe(0);
      expect(userBackupBodies(server, departing)).toEqual(['삭제 전 메시지']);
    });

    it('refuses a non-admin, the admin themself, and an unknown id', async () => {
      const someone = await createActiveUser(server);
      const other = await createActiveUser(server);
      const byUser = await request(server.url).delete(`/api/delete-user/${other.id}`).set(auth(someone));
      expect(byUser.status).toBe(403);
      expect(byUser.body.error.code).toBe('ADMIN_ONLY');
      const self = await request(server.url).delete(`/api/delete-user/${admin.id}`).set(auth(admin));
      expect(self.status).toBe(409);
      expect(self.body.error.code).toBe('CANNOT_DELETE_SELF');
      const unknown = await request(server.url).delete('/api/delete-user/2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d').set(auth(admin));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
      const bad = await request(server.url).delete('/api/delete-user/not-a-uuid').set(auth(admin));
      expect(bad.status).toBe(400);
      expect(await server.db.manager.count(UserEntity, { where: { id: other.id } })).toBe(1);
    });
  });

  describe('the backups', () => {
    it('are listed newest first and downloaded by admins only, by a strict name', async () => {
      const u = await createActiveUser(server, { name: '목록 확인' });
      expect((await request(server.url).delete(`/api/delete-user/${u.id}`).set(auth(admin))).status).toBe(204);

      const list = await request(server.url).get('/api/admin/backups').set(auth(admin));
      expect(list.status).toBe(200);
      const items = list.body.backups as { kind: string; name: string; size: number; createdAt: string }[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      const times = items.map((i) => i.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      const mine = items.find((i) => i.kind === 'user' && i.name.startsWith(`${u.employeeId}-`) && i.name.endsWith('.txt'))!;
      expect(mine).toBeDefined();

      const file = await request(server.url).get(`/api/admin/backups/user/${mine.name}`).set(auth(admin));
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.text).toContain('목록 확인');
      expect(Buffer.byteLength(file.text)).toBe(mine.size);

      const notAdmin = await request(server.url).get('/api/admin/backups').set(auth(await createActiveUser(server)));
      expect(notAdmin.status).toBe(403);
      for (const path of ['/api/admin/backups/user/..%2F..%2Fjwt-secret', '/api/admin/backups/user/.hidden.json', '/api/admin/backups/users/x.json', '/api/admin/backups/user/x.exe']) {
        const res = await request(server.url).get(path).set(auth(admin));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
      const wrongFolder = await request(server.url).get(`/api/admin/backups/room/${mine.name}`).set(auth(admin));
      expect(wrongFolder.status).toBe(404);
    });
  });
});

describe.each(dialects())('deletion when the backup cannot be written, on %s', (dialect) => {
  let server: TestServer;
  let blocker: string;

  beforeAll(async () => {
    // BACKUP_DIR below a regular file: no folder can ever be made there, whatever the user's rights.
    blocker = mkdtempSync(join(tmpdir(), 'hi-msg-blocker-'));
    writeFileSync(join(blocker, 'not-a-folder'), 'x');
    server = await startServer(dialect, { env: { BACKUP_DIR: join(blocker, 'not-a-folder', 'backups') } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(blocker, { recursive: true, force: true });
  });

  it('deletes nothing and tells the admin BACKUP_FAILED', async () => {
    const admin = await createActiveUser(server, { role: 'admin' });
    const user = await createActiveUser(server, { name: '남을 사람' });
    const roomId = await seedRoom(server, 'group', user.id, [user.id, admin.id]);
    const pdf = await upload(server, user, makePdf(), '남을 파일.pdf');
    await seedMessage(server, roomId, user, '지워지면 안 됩니다', pdf.body.file.id);

    const delUser = await request(server.url).delete(`/api/delete-user/${user.id}`).set(auth(admin));
    expect(delUser.status).toBe(500);
    expect(delUser.body.error.code).toBe('BACKUP_FAILED');
    expect(delUser.body.error.message).toMatch(/nothing was deleted/);
    const delRoom = await request(server.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin));
    expect(delRoom.status).toBe(500);
    expect(delRoom.body.error.code).toBe('BACKUP_FAILED');

    // Everything is still there and still works.
    expect((await request(server.url).get('/api/users/me').set(auth(user))).status).toBe(200);
    expect(await server.db.manager.count(RoomMemberEntity, { where: { roomId } })).toBe(2);
    expect(await server.db.manager.count(MessageEntity, { where: { roomId } })).toBe(1);
    expect(await server.db.manager.count(FileEntity, { where: { id: pdf.body.file.id } })).toBe(1);
    expect((await request(server.url).get(`/api/download-file/${pdf.body.file.id}`).set(auth(admin))).status).toBe(200);
    expect(await server.db.manager.count(AuditLogEntity, { where: { action: 'user.delete' } })).toBe(0);
  });

  it('a group its last member left stays whole while its backup fails, and is backed up and removed once it can be', async () => {
    const owner = await createActiveUser(server, { name: '마지막 사람' });
    const other = await createActiveUser(server);
    const room = (await request(server.url).post('/api/create-chat-room').set(auth(owner)).send({ name: '비게 될 방', memberIds: [other.id] })).body.room as { id: string };
    await seedMessage(server, room.id, owner, '남겨 둘 기록');
    for (const u of [other, owner]) expect((await request(server.url).post(`/api/chat-rooms/${room.id}/leave`).set(auth(u))).status).toBe(204);
    const stored = () => server.db.manager.findOneBy(RoomEntity, { id: room.id });
    expect((await stored())?.deletedAt).toBeNull();
    expect(await server.db.manager.count(MessageEntity, { where: { roomId: room.id } })).toBeGreaterThan(1);

    // The folder can be written again: the next sweep (at start, then hourly) finishes the job.
    rmSync(join(blocker, 'not-a-folder'));
    mkdirSync(join(blocker, 'not-a-folder', 'backups'), { recursive: true });
    const sweeper = server.app.get(DeletionService);
    expect(await sweeper.sweepAbandonedRooms()).toBe(1);
    expect((await stored())?.deletedAt ?? null).not.toBeNull();
    const backups = readdirSync(join(blocker, 'not-a-folder', 'backups', 'deleted_room_logs'));
    expect(backups.filter((n) => n.endsWith('.txt'))).toHaveLength(1);
    expect(readFileSync(join(blocker, 'not-a-folder', 'backups', 'deleted_room_logs', backups.find((n) => n.endsWith('.txt'))!), 'utf8')).toContain('남겨 둘 기록');
    expect(await sweeper.sweepAbandonedRooms()).toBe(0);
  });
});

const withMysql = process.env.TEST_MYSQL_URL ? it : it.skip;
if (!process.env.TEST_MYSQL_URL) console.warn('two processes purging one room: skipped, set TEST_MYSQL_URL (several processes need MySQL)');

describe('two server processes on one MySQL database', () => {
  withMysql('purge the same deleted room at once, step by step, without an error, and remove it whole', async () => {
    const mysql = await freshMysqlDatabase();
    const servers: TestServer[] = [];
    try {
      servers.push(await startServer('mysql', { mysqlUrl: mysql.url }));
      servers.push(await startServer('mysql', { mysqlUrl: mysql.url }));
      const [first, second] = servers as [TestServer, TestServer];
      const admin = await createActiveUser(first, { role: 'admin' });
      const a = await createActiveUser(first);
      const b = await createActiveUser(first);
      const roomId = await seedRoom(first, 'group', a.id, [a.id, b.id], '두 서버가 함께 비우는 방');
      const kept = await seedRoom(first, 'group', a.id, [a.id, b.id], '남는 방');
      await seedManyMessages(first, roomId, [a.id, b.id], 600);
      await seedManyMessages(first, kept, [a.id, b.id], 30);
      // The deletion commits on the first process; its purge waits until both are set off together,
      // as when every process of a restarted cluster resumes the same room.
      const held = jest.spyOn(first.app.get(RoomPurger), 'purge').mockImplementation(() => undefined);
      expect((await request(first.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin))).status).toBe(204);
      held.mockRestore();
      const errors = jest.spyOn(Logger.prototype, 'error');
      const steps = servers.map((s) => jest.spyOn(s.app.get(DeletionRepository), 'deleteMessagesOf'));
      const purgers = servers.map((s) => s.app.get(RoomPurger));
      for (const p of purgers) p.step = 20;
      for (const p of purgers) p.purge(roomId);
      await Promise.all(purgers.map((p) => p.settled()));

      expect(errors).not.toHaveBeenCalled();
      // Both went through the room's 30 steps: each step's transaction met the other's rows or their absence.
      expect(steps.map((s) => s.mock.calls.length)).toEqual([30, 30]);
      expect(await second.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
      expect(await second.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
      expect(await second.db.manager.count(MessageEntity, { where: { roomId: kept } })).toBe(30);
    } finally {
      jest.restoreAllMocks();
      await Promise.all(servers.map((s) => s.close()));
      await mysql.drop();
    }
  });
});

describe.each(dialects())('a room deletion cut short, on %s', (dialect) => {
  it('finishes removing the room at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hi-msg-purge-'));
    const mysql = dialect === 'mysql' ? await freshMysqlDatabase() : undefined;
    try {
      const first = await startServer(dialect, { dataDir, mysqlUrl: mysql?.url });
      let roomId: string;
      try {
        const admin = await createActiveUser(first, { role: 'admin' });
        const a = await createActiveUser(first);
        const b = await createActiveUser(first);
        roomId = await seedRoom(first, 'group', a.id, [a.id, b.id], '재시작 전에 지운 방');
        await seedManyMessages(first, roomId, [a.id, b.id], 120);
        // The server stops right after the deletion committed, before its purge took a step.
        jest.spyOn(first.app.get(RoomPurger), 'purge').mockImplementation(() => undefined);
        expect((await request(first.url).delete(`/api/delete-chat-room/${roomId}`).set(auth(admin))).status).toBe(204);
        expect((await first.db.manager.findOne(RoomEntity, { where: { id: roomId } }))?.deletedAt).toBeInstanceOf(Date);
        expect(await first.db.manager.count(MessageEntity, { where: { roomId } })).toBe(120);
      } finally {
        await first.close();
      }

      const again = await startServer(dialect, { dataDir, mysqlUrl: mysql?.url });
      try {
        await again.app.get(RoomPurger).settled();
        expect(await again.db.manager.count(RoomEntity, { where: { id: roomId } })).toBe(0);
        expect(await again.db.manager.count(MessageEntity, { where: { roomId } })).toBe(0);
      } finally {
        await again.close();
      }
    } finally {
      await mysql?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
