import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { MessagesRepository } from '../src/messages/messages.repository';
import { createActiveUser } from './fixtures';
import { startServer, type TestServer } from './harness';
import { api } from './messaging.helpers';

/**
 * On SQLite the deletions index holds deleted messages only, so a send writes no entry to it.
 * The statements that look deleted messages up must still be planned through it, or an unread
 * count or a sync would scan every message of a room.
 */
describe('the deletions index on SQLite', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => {
    await server.close();
  });

  it('holds deleted messages only, and the unread counts and sync read deletions through it', async () => {
    const [a, b] = [await createActiveUser(server), await createActiveUser(server)];
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const sent: string[] = [];
    for (const body of ['하나', '둘', '셋']) sent.push((await api(server, a.accessToken).post('/api/messages', { roomId, clientId: crypto.randomUUID(), body })).body.message.id);
    expect((await api(server, a.accessToken).delete(`/api/messages/${sent[1]}`)).status).toBe(200);

    const [{ sql }] = (await server.db.manager.query(`SELECT sql FROM sqlite_master WHERE name = 'idx_messages_room_deleted'`)) as { sql: string }[];
    expect(sql).toMatch(/WHERE deleted_at IS NOT NULL$/);

    // Record the statements that read deletions while the room list and a sync's deletions are read.
    const seen: [string, unknown[]][] = [];
    const query = BetterSqlite3QueryRunner.prototype.query;
    const spy = jest.spyOn(BetterSqlite3QueryRunner.prototype, 'query').mockImplementation(function (this: BetterSqlite3QueryRunner, sql, params, structured) {
      if (/deleted_at"?\s*(IS NOT NULL|>=)/i.test(sql)) seen.push([sql, Array.isArray(params) ? params : []]);
      return query.call(this, sql, params, structured);
    });
    let deleted;
    try {
      const list = await api(server, b.accessToken).get('/api/chat-rooms?limit=50');
      expect(list.body.rooms.find((r: { id: string }) => r.id === roomId).unreadCount).toBe(2);
      expect(list.body.totalUnread).toBe(2);
      deleted = await server.app.get(MessagesRepository).deletedSince([roomId], new Date(Date.now() - 60_000), 10);
    } finally {
      spy.mockRestore();
    }
    expect(deleted.map((m) => m.id)).toEqual([sent[1]]);
    // The list's unread total and its page each count deletions; the sync reads them.
    expect(seen).toHaveLength(3);
    for (const [sql, params] of seen) {
      const plan = (await server.db.manager.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[];
      const details = plan.map((p) => p.detail);
      expect({ sql, details }).toEqual({ sql, details: expect.arrayContaining([expect.stringContaining('idx_messages_room_deleted')]) });
    }
  });
});
