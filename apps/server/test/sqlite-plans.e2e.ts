import { deletionReads, roomWithDeletion } from './deletion-reads.helpers';
import { createActiveUser } from './fixtures';
import { startServer, type TestServer } from './harness';
import { api } from './messaging.helpers';
import { watchSqliteStatements } from './sqlite-statements.helpers';

/** What SQLite's indexes and connection settings must be for the hot paths to stay cheap. */
describe('SQLite', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => {
    await server.close();
  });

  // The deletions index holds deleted messages only, so a send writes no entry to it. The
  // statements that look deleted messages up must still be planned through it, or an unread
  // count or a sync would scan every message of a room.
  it('holds deleted messages only, and the unread counts and sync read deletions through it', async () => {
    const room = await roomWithDeletion(server);

    const [{ sql }] = (await server.db.manager.query(`SELECT sql FROM sqlite_master WHERE name = 'idx_messages_room_deleted'`)) as { sql: string }[];
    expect(sql).toMatch(/WHERE deleted_at IS NOT NULL$/);

    // The statements that read deletions while the room list and a sync's deletions are read.
    // Raw reads go to better-sqlite3 directly, TypeORM's through its query runner: watched at the driver.
    const seen = await deletionReads(server, (s) => watchSqliteStatements(server, s), /deleted_at"?\s*(IS NOT NULL|>=)/i, room);
    // The list's unread total and its page each count deletions; the sync reads them.
    expect(seen).toHaveLength(3);
    for (const [sql, params] of seen) {
      const plan = (await server.db.manager.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[];
      const details = plan.map((p) => p.detail);
      expect({ sql, details }).toEqual({ sql, details: expect.arrayContaining([expect.stringContaining('idx_messages_room_deleted')]) });
    }
  });

  // SQLite plans a subquery with the LIMIT's bound value in view, and so prepares the whole
  // statement again at every call when the LIMIT is a parameter. The room list's page and the
  // history page are read more than anything else: their LIMITs are written into the SQL.
  it('writes the LIMITs of the room list and history pages into their SQL', async () => {
    const [a, b] = [await createActiveUser(server), await createActiveUser(server)];
    const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
    const limited: string[] = [];
    const unwatch = watchSqliteStatements(server, (sql) => {
      if (/\bLIMIT\b/i.test(sql)) limited.push(sql.replace(/\s+/g, ' '));
    });
    try {
      expect((await api(server, a.accessToken).get('/api/chat-rooms?limit=7')).status).toBe(200);
      expect((await api(server, a.accessToken).get(`/api/chat-rooms/${roomId}/messages?limit=9`)).status).toBe(200);
    } finally {
      unwatch();
    }
    expect(limited).toEqual(expect.arrayContaining([expect.stringMatching(/LIMIT 8\b/), expect.stringMatching(/LIMIT 10\b/)]));
    expect(limited.filter((sql) => /LIMIT\s*\?/i.test(sql))).toEqual([]);
  });

  // The connection's settings the send path's cost depends on: the write-ahead log without a
  // sync per commit, and statement journals kept in memory (a batch's INSERT would otherwise
  // write every page it changes to a temporary file as well).
  it('logs ahead, syncs at checkpoints only, and keeps statement journals in memory', async () => {
    const read = async (pragma: string) => Object.values(((await server.db.manager.query(`PRAGMA ${pragma}`)) as Record<string, unknown>[])[0]!)[0];
    expect(await read('journal_mode')).toBe('wal');
    // 1 = NORMAL, 2 = MEMORY
    expect(await read('synchronous')).toBe(1);
    expect(await read('temp_store')).toBe(2);
  });
});
