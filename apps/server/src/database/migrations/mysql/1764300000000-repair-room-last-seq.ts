import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rooms whose last seq fell behind their messages. On MySQL, a batch of sends that lost a
 * deadlock could leave its messages committed without its rooms' new last seq, and every later
 * send into such a room then failed on the (room_id, seq) key. The batch no longer can; this
 * brings each such room up to its highest stored seq, read through that same index.
 */
export class RepairRoomLastSeqMysql1764300000000 implements MigrationInterface {
  name = 'RepairRoomLastSeqMysql1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE rooms r
      JOIN (SELECT room_id, MAX(seq) AS top FROM messages GROUP BY room_id) m ON m.room_id = r.id
      SET r.last_seq = m.top
      WHERE r.last_seq < m.top`);
  }

  public async down(): Promise<void> {
    // Nothing to undo: the seqs it set are the ones the rooms' messages already had.
  }
}
