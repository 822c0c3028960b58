import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { RoomMemberEntity } from '../database/entities';
import { RawRows, rawQuery, sqlInteger } from '../database/raw-rows';
import { AppError } from './app-error';
import type { AuthContext } from './auth-context';

export const roomNotFound = () => new AppError('ROOM_NOT_FOUND', 'That chat room does not exist (it may have been deleted).');
export const notMember = () => new AppError('ROOM_NOT_MEMBER', 'You are not a member of that chat room.');

/** The one "is a member of room" check every room, message, file and socket action goes through. */
@Injectable()
export class MembershipRepository {
  private readonly rows: RawRows<RoomMemberEntity>;

  constructor(private readonly db: Database) {
    this.rows = new RawRows(db.dataSource, RoomMemberEntity);
  }

  /**
   * The caller's membership, or ROOM_NOT_FOUND / ROOM_NOT_MEMBER. One statement whatever the
   * answer: the room by primary key, the membership by (room_id, user_id). A room being deleted
   * is not found.
   */
  async requireMember(auth: AuthContext, roomId: string, em: EntityManager = this.db.manager): Promise<RoomMemberEntity> {
    const [row] = (await rawQuery(
      em,
      'SELECT r.id AS room, m.room_id, m.user_id, m.joined_at, m.joined_seq, m.last_read_seq, m.muted FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ? WHERE r.id = ? AND r.deleted_at IS NULL',
      [auth.userId, roomId],
    )) as Record<string, unknown>[];
    if (!row) throw roomNotFound();
    if (row.user_id === null || row.user_id === undefined) throw notMember();
    return this.rows.entity(row);
  }

  /** Every room the user belongs to, one membership row each (what sync and the room list start from). */
  membershipsOf(userId: string, em: EntityManager = this.db.manager): Promise<RoomMemberEntity[]> {
    return em.find(RoomMemberEntity, { where: { userId } });
  }

  /** User ids of a room's members (for fan-out). */
  async memberIds(roomId: string, em: EntityManager = this.db.manager): Promise<string[]> {
    const rows = (await rawQuery(em, 'SELECT user_id FROM room_members WHERE room_id = ?', [roomId])) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  /** The room's member ids, at most `limit` of them: enough to tell a small room's members from a large room. */
  async memberIdsUpTo(roomId: string, limit: number): Promise<string[]> {
    const rows = (await rawQuery(this.db.manager, `SELECT user_id FROM room_members WHERE room_id = ? LIMIT ${sqlInteger(limit)}`, [roomId])) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }
}
