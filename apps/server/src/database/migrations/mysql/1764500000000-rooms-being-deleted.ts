import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deleted room whose messages are still being removed, a step at a time after the deletion
 * committed (deletion/room-purger.ts): removing 200,000 of them in the deletion's transaction kept
 * it open, and the room's rows locked, for 20 s.
 */
export class RoomsBeingDeletedMysql1764500000000 implements MigrationInterface {
  name = 'RoomsBeingDeletedMysql1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms ADD COLUMN deleted_at datetime(3) NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms DROP COLUMN deleted_at`);
  }
}
