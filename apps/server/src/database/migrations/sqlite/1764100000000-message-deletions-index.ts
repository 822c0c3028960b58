import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deleted messages by room and time: unread counts leave them out, and sync reports them. */
export class MessageDeletionsIndexSqlite1764100000000 implements MigrationInterface {
  name = 'MessageDeletionsIndexSqlite1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_messages_room_deleted ON messages (room_id, deleted_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_messages_room_deleted`);
  }
}
