import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deleted room whose messages are still being removed, a step at a time after the deletion
 * committed (deletion/room-purger.ts): removing 200,000 of them in the deletion's one statement
 * held SQLite, and with it the server, for over a second.
 */
export class RoomsBeingDeletedSqlite1764500000000 implements MigrationInterface {
  name = 'RoomsBeingDeletedSqlite1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms ADD COLUMN deleted_at datetime NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms DROP COLUMN deleted_at`);
  }
}
