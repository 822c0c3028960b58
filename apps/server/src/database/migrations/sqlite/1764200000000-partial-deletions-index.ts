import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deletions index holds deleted messages only. Every query through it asks for
 * `deleted_at IS NOT NULL` or compares deleted_at, so SQLite still uses it, and a send no
 * longer writes an entry for a live message: one b-tree fewer per message, the hottest insert
 * there is. (MySQL has no partial indexes; its index stays whole.)
 */
export class PartialDeletionsIndexSqlite1764200000000 implements MigrationInterface {
  name = 'PartialDeletionsIndexSqlite1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_messages_room_deleted`);
    await q.query(`CREATE INDEX idx_messages_room_deleted ON messages (room_id, deleted_at) WHERE deleted_at IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_messages_room_deleted`);
    await q.query(`CREATE INDEX idx_messages_room_deleted ON messages (room_id, deleted_at)`);
  }
}
