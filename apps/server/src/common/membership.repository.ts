import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { RoomEntity, RoomMemberEntity } from '../database/entities';
import { AppError } from './app-error';
import type { AuthContext } from './auth-context';

/** The one "is a member of room" check every room, message, file and socket action goes through. */
@Injectable()
export class MembershipRepository {
  constructor(private readonly db: Database) {}

  /** The caller's membership, or ROOM_NOT_FOUND / ROOM_NOT_MEMBER. */
  async requireMember(auth: AuthContext, roomId: string, em: EntityManager = this.db.manager): Promise<RoomMemberEntity> {
    const member = await em.findOne(RoomMemberEntity, { where: { roomId, userId: auth.userId } });
    if (member) return member;
    const exists = await em.exists(RoomEntity, { where: { id: roomId } });
    if (!exists) throw new AppError('ROOM_NOT_FOUND', 'That chat room does not exist (it may have been deleted).');
    throw new AppError('ROOM_NOT_MEMBER', 'You are not a member of that chat room.');
  }

  /** Every room the user belongs to, one membership row each (what sync and the room list start from). */
  membershipsOf(userId: string, em: EntityManager = this.db.manager): Promise<RoomMemberEntity[]> {
    return em.find(RoomMemberEntity, { where: { userId } });
  }

  /** User ids of a room's members (for fan-out). */
  async memberIds(roomId: string, em: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await em.find(RoomMemberEntity, { where: { roomId }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }
}
