import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';
import { DeletionsByRoomMysql1764400000000 } from '../src/database/migrations/mysql/1764400000000-deletions-by-room';
import { deletionReads, roomWithDeletion, watchRunner } from './deletion-reads.helpers';
import { createActiveUser } from './fixtures';
import { startServer, type TestServer } from './harness';
import { api } from './messaging.helpers';

const ready = Boolean(process.env.TEST_MYSQL_URL);
const why = 'set TEST_MYSQL_URL';
if (!ready) console.warn(`MySQL deletions index test skipped: ${why}`);
const maybe = ready ? describe : describe.skip;

/**
 * MySQL has no partial index, so a virtual column holds a deleted message's room id (NULL for
 * live ones) and is indexed with deleted_at. The statements that look deleted messages up must
 * be planned through it: through (room_id, …) a room's deletions looked up from another table's
 * row walk every message of the room.
 */
maybe(ready ? 'the deletions index on MySQL' : `the deletions index on MySQL (skipped: ${why})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('mysql');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('holds deleted messages under their room only, and the unread counts and sync read deletions through it', async () => {
    const room = await roomWithDeletion(server);
    const { a, roomId, sent } = room;

    const rows = (await server.db.manager.query('SELECT seq, deleted_in_room FROM messages WHERE room_id = ? ORDER BY seq', [roomId])) as { seq: number; deleted_in_room: string | null }[];
    expect(rows.filter((r) => r.deleted_in_room !== null)).toEqual([{ seq: sent[1]!.seq, deleted_in_room: roomId }]);
    expect(rows.length).toBeGreaterThanOrEqual(3);

    // A busier room beside it, so the planner weighs a table of some size, as in use.
    const c = await createActiveUser(server);
    const busy = (await api(server, a.accessToken).get(`/api/messages/${c.id}`)).body.room.id as string;
    const bulk = Array.from({ length: 2000 }, (_, i) => [crypto.randomUUID(), busy, i + 1, a.id, crypto.randomUUID(), 'text', `메시지 ${i}`, new Date()]);
    await server.db.manager.query(`INSERT INTO messages (id, room_id, seq, sender_id, client_id, kind, body, created_at) VALUES ${bulk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, bulk.flat());
    await server.db.manager.query('UPDATE rooms SET last_seq = 2000 WHERE id = ?', [busy]);
    await server.db.manager.query('ANALYZE TABLE messages, rooms, room_members');

    // The statements that read deletions while the room list and a sync's deletions are read.
    const seen = await deletionReads(server, watchRunner(MysqlQueryRunner.prototype as never), /deleted_in_room/, room);
    // The list's unread total and its page each count deletions; the sync reads them.
    expect(seen).toHaveLength(3);
    for (const [sql, params] of seen) {
      const plan = (await server.db.manager.query(`EXPLAIN ${sql}`, params)) as { table: string; key: string | null }[];
      const deletions = plan.filter((p) => p.table === 'd' || (p.table === 'm' && /deleted_at`? >=/.test(sql)));
      expect({ sql, deletions: deletions.length }).toEqual({ sql, deletions: 1 });
      expect({ sql, keys: deletions.map((p) => p.key) }).toEqual({ sql, keys: ['idx_messages_deleted_in_room'] });
    }
  });

  it('the migration reverts to the (room_id, deleted_at) index and runs again over deletions made before it', async () => {
    const { b, roomId, sent } = await roomWithDeletion(server);
    const indexes = async () => new Set(((await server.db.manager.query('SHOW INDEX FROM messages')) as { Key_name: string }[]).map((i) => i.Key_name));

    const migration = new DeletionsByRoomMysql1764400000000();
    const runner = server.db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const before = await indexes();
      expect([before.has('idx_messages_room_deleted'), before.has('idx_messages_deleted_in_room')]).toEqual([true, false]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const after = await indexes();
    expect([after.has('idx_messages_room_deleted'), after.has('idx_messages_deleted_in_room')]).toEqual([false, true]);
    const rows = (await server.db.manager.query('SELECT seq, deleted_in_room FROM messages WHERE room_id = ? AND deleted_in_room IS NOT NULL', [roomId])) as { seq: number }[];
    expect(rows.map((r) => r.seq)).toEqual([sent[1]!.seq]);
    const list = await api(server, b.accessToken).get('/api/chat-rooms');
    expect(list.body.rooms.find((r: { id: string }) => r.id === roomId).unreadCount).toBe(2);
  });
});
