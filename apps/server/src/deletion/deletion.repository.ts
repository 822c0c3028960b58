import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Database } from '../database/data-source';
import { MessageEntity, RoomEntity, RoomMemberEntity, UserEntity } from '../database/entities';

/** A user as a backup names them. */
export type PersonRef = Pick<UserEntity, 'id' | 'employeeId' | 'name' | 'department'>;

/** What deleting a user or a room reads (for its backup) and removes. */
@Injectable()
export class DeletionRepository {
  constructor(private readonly db: Database) {}

  findUser(id: string): Promise<UserEntity | null> {
    return this.db.manager.findOne(UserEntity, { where: { id } });
  }

  findRoom(id: string): Promise<RoomEntity | null> {
    return this.db.manager.findOne(RoomEntity, { where: { id } });
  }

  findRooms(ids: readonly string[]): Promise<RoomEntity[]> {
    return ids.length ? this.db.manager.find(RoomEntity, { where: { id: In([...ids]) } }) : Promise.resolve([]);
  }

  /** The memberships of every room listed. */
  membersOf(roomIds: readonly string[], em: EntityManager = this.db.manager): Promise<RoomMemberEntity[]> {
    return roomIds.length ? em.find(RoomMemberEntity, { where: { roomId: In([...roomIds]) }, order: { joinedAt: 'ASC' } }) : Promise.resolve([]);
  }

  roomIdsOf(userId: string, em: EntityManager = this.db.manager): Promise<string[]> {
    return em.find(RoomMemberEntity, { where: { userId }, select: { roomId: true } }).then((rows) => rows.map((r) => r.roomId));
  }

  /** Names of the users listed that still exist. */
  async people(ids: readonly string[]): Promise<Map<string, PersonRef>> {
    const unique = [...new Set(ids)];
    const rows = unique.length
      ? await this.db.manager.find(UserEntity, { where: { id: In(unique) }, select: { id: true, employeeId: true, name: true, department: true } })
      : [];
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** A page of a user's messages in every room, oldest first, after the (createdAt, id) cursor. */
  messagesBySender(senderId: string, after: Pick<MessageEntity, 'createdAt' | 'id'> | null, limit: number): Promise<MessageEntity[]> {
    const qb = this.db.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.sender_id = :senderId', { senderId })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit);
    if (after) qb.andWhere('(m.created_at > :at OR (m.created_at = :at AND m.id > :id))', { at: after.createdAt, id: after.id });
    return qb.getMany();
  }

  /** A page of a room's messages in seq order, after a seq. */
  messagesOfRoom(roomId: string, afterSeq: number, limit: number): Promise<MessageEntity[]> {
    return this.db.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.room_id = :roomId AND m.seq > :afterSeq', { roomId, afterSeq })
      .orderBy('m.seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  countBySender(senderId: string, em: EntityManager): Promise<number> {
    return em.count(MessageEntity, { where: { senderId } });
  }

  /**
   * The room's last seq, row-locked until commit on MySQL so no message can be sent meanwhile
   * (SQLite runs one transaction at a time). Null when the room is gone.
   */
  async lockLastSeq(roomId: string, em: EntityManager): Promise<number | null> {
    const room = await em.findOne(RoomEntity, {
      where: { id: roomId },
      select: { id: true, lastSeq: true },
      ...(this.db.dialect === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return room ? room.lastSeq : null;
  }

  /** Remove the account and its memberships (sessions and reset requests go with it); false when it was already gone. */
  async deleteUser(userId: string, em: EntityManager): Promise<boolean> {
    await em.delete(RoomMemberEntity, { userId });
    const res = await em.delete(UserEntity, { id: userId });
    return (res.affected ?? 0) === 1;
  }

  /** Remove the room; its members and messages go with it. */
  async deleteRoom(roomId: string, em: EntityManager): Promise<void> {
    await em.delete(RoomEntity, { id: roomId });
  }
}
