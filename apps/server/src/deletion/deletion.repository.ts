import { setImmediate } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { Database } from '../database/data-source';
import { MessageEntity, RoomEntity, RoomMemberEntity, UserEntity } from '../database/entities';
import { rawQuery } from '../database/raw-rows';

/** A message as the user backup lists it before reading it. */
export interface MessageKey {
  id: string;
  /** createdAt in milliseconds. */
  at: number;
}

/** Index entries one step of listing a user's messages reads: a few milliseconds of the event loop. */
const SENDER_KEYS_STEP = 2000;

/** A user as a backup names them. */
export type PersonRef = Pick<UserEntity, 'id' | 'employeeId' | 'name' | 'department'>;

/** What deleting a user or a room reads (for its backup) and removes. */
@Injectable()
export class DeletionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Groups with no member left that are not deleted: their last member left, and removing the
   * room did not happen (its backup failed, or the process stopped in between). With the last
   * message of each, which names who left.
   */
  async abandonedRooms(): Promise<{ room: RoomEntity; last: MessageEntity | null }[]> {
    const rows = (await rawQuery(
      this.db.manager,
      `SELECT r.id FROM rooms r WHERE r.kind = 'group' AND r.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id)`,
      [],
    )) as { id: string }[];
    const out: { room: RoomEntity; last: MessageEntity | null }[] = [];
    for (const { id } of rows) {
      const room = await this.findRoom(id);
      if (room) out.push({ room, last: await this.db.manager.findOne(MessageEntity, { where: { roomId: id }, order: { seq: 'DESC' } }) });
    }
    return out;
  }

  findUser(id: string): Promise<UserEntity | null> {
    return this.db.manager.findOne(UserEntity, { where: { id } });
  }

  findRoom(id: string): Promise<RoomEntity | null> {
    return this.db.manager.findOne(RoomEntity, { where: { id, deletedAt: IsNull() } });
  }

  /** The rooms listed, deleted ones too (a user's backup names the rooms of their messages). */
  findRooms(ids: readonly string[]): Promise<RoomEntity[]> {
    return ids.length ? this.db.manager.find(RoomEntity, { where: { id: In([...ids]) } }) : Promise.resolve([]);
  }

  /** The memberships of every room listed. */
  membersOf(roomIds: readonly string[], em: EntityManager = this.db.manager): Promise<RoomMemberEntity[]> {
    return roomIds.length ? em.find(RoomMemberEntity, { where: { roomId: In([...roomIds]) }, order: { joinedAt: 'ASC' } }) : Promise.resolve([]);
  }

  /**
   * The rooms a user is in, with their memberships locked until commit on MySQL. A send of theirs
   * locks its membership row too (SendRepository.takeSeq; a batch locks every member of its
   * rooms): one that got it first commits before this returns, so the backup's check sees its
   * message; one that comes later waits, then finds them gone. SQLite runs one transaction at a time.
   */
  async lockMemberships(userId: string, em: EntityManager): Promise<string[]> {
    const lock = this.db.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await rawQuery<{ room_id: string }[]>(em, `SELECT room_id FROM room_members WHERE user_id = ?${lock}`, [userId]);
    return rows.map((r) => r.room_id);
  }

  roomIdsOf(userId: string): Promise<string[]> {
    return this.db.manager.find(RoomMemberEntity, { where: { userId }, select: { roomId: true } }).then((rows) => rows.map((r) => r.roomId));
  }

  /** Names of the users listed that still exist. */
  async people(ids: readonly string[]): Promise<Map<string, PersonRef>> {
    const unique = [...new Set(ids)];
    const rows = unique.length
      ? await this.db.manager.find(UserEntity, { where: { id: In(unique) }, select: { id: true, employeeId: true, name: true, department: true } })
      : [];
    return new Map(rows.map((u) => [u.id, u]));
  }

  /**
   * Every message a user sent, in every room, as (id, time sent), oldest first. Read in steps of
   * `step` entries along the (sender_id, client_id) index, with a turn of the event loop between
   * them, and sorted here: sorting by time in the database would sort all of the sender's
   * messages again for each page of the backup (a user with 100,000 messages: 24 s of SQLite,
   * 120 ms at a time).
   */
  async messageKeysBySender(senderId: string, step = SENDER_KEYS_STEP): Promise<MessageKey[]> {
    const keyOf = (m: MessageEntity): MessageKey => ({ id: m.id, at: m.createdAt.getTime() });
    const select = () => this.db.manager.createQueryBuilder(MessageEntity, 'm').select(['m.id', 'm.clientId', 'm.createdAt']).where('m.sender_id = :senderId', { senderId });
    // Sends always carry a clientId; a message without one sorts first in the index, read in one go.
    const keys = (await select().andWhere('m.client_id IS NULL').getMany()).map(keyOf);
    for (let after = ''; ; ) {
      const rows = await select().andWhere('m.client_id > :after', { after }).orderBy('m.client_id', 'ASC').limit(step).getMany();
      keys.push(...rows.map(keyOf));
      if (rows.length < step) break;
      after = rows[rows.length - 1]!.clientId!;
      // SQLite answers within the same turn: let sends and requests waiting meanwhile go first.
      await setImmediate();
    }
    return keys.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The messages listed that still exist, in the order listed. */
  async messagesByIds(ids: readonly string[]): Promise<MessageEntity[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.db.manager.find(MessageEntity, { where: { id: In([...ids]) } })).map((m) => [m.id, m]));
    return ids.flatMap((id) => byId.get(id) ?? []);
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

  /**
   * Whether a user sent a message that their backup, which wrote `written` messages room by room,
   * does not hold. Only rooms not deleted are compared: a room deleted while the backup was
   * written takes its messages away (the room's own backup holds them), and a plain count of the
   * user's messages would then hide as many new ones.
   */
  async sentSince(senderId: string, written: ReadonlyMap<string, number>, em: EntityManager): Promise<boolean> {
    const total = await this.countBySender(senderId, em);
    // Rooms deleted whose messages the purge has not removed yet.
    const dying = await em.find(RoomEntity, { where: { deletedAt: Not(IsNull()) }, select: { id: true } });
    const inDying = dying.length ? await this.countBySender(senderId, em, dying.map((r) => r.id)) : 0;
    const live = written.size ? await em.find(RoomEntity, { where: { id: In([...written.keys()]), deletedAt: IsNull() }, select: { id: true } }) : [];
    const backedUp = live.reduce((n, r) => n + (written.get(r.id) ?? 0), 0);
    return total - inDying > backedUp;
  }

  /**
   * COUNT(*) of a sender's messages, in the rooms listed if any; over the (sender_id, client_id)
   * index alone when all: TypeORM's count() counts DISTINCT ids, which reads every row too.
   */
  private async countBySender(senderId: string, em: EntityManager, roomIds?: readonly string[]): Promise<number> {
    const query = em.createQueryBuilder(MessageEntity, 'm').select('COUNT(*)', 'n').where('m.sender_id = :senderId', { senderId });
    if (roomIds) query.andWhere('m.room_id IN (:...roomIds)', { roomIds });
    const row = await query.getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  /**
   * The room's last seq, row-locked until commit on MySQL so no message can be sent meanwhile
   * (SQLite runs one transaction at a time). Null when the room is gone.
   */
  async lockLastSeq(roomId: string, em: EntityManager): Promise<number | null> {
    const room = await em.findOne(RoomEntity, {
      where: { id: roomId, deletedAt: IsNull() },
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

  /**
   * Delete the room as its members and every lookup see it: the memberships go, the 1:1 pair's
   * key is freed for a new chat, and deleted_at hides the row until RoomPurger has removed the
   * messages and then the row.
   */
  async markRoomDeleted(roomId: string, at: Date, em: EntityManager): Promise<void> {
    await em.delete(RoomMemberEntity, { roomId });
    await em.update(RoomEntity, { id: roomId }, { deletedAt: at, directKey: null });
  }

  /** Deleted rooms whose messages are not all removed yet. */
  async roomsBeingDeleted(): Promise<string[]> {
    const rows = await this.db.manager.find(RoomEntity, { where: { deletedAt: Not(IsNull()) }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** A deleted room's last seq; null when the room is gone or not deleted. */
  async deletedRoomLastSeq(roomId: string): Promise<number | null> {
    const room = await this.db.manager.findOne(RoomEntity, { where: { id: roomId, deletedAt: Not(IsNull()) }, select: { id: true, lastSeq: true } });
    return room ? room.lastSeq : null;
  }

  /** Remove a deleted room's messages with a seq in (after, upTo], in a transaction of their own (on SQLite, queued between the others). */
  async deleteMessagesOf(roomId: string, after: number, upTo: number): Promise<void> {
    await this.db.transaction((em) =>
      em.createQueryBuilder().delete().from(MessageEntity).where('room_id = :roomId AND seq > :after AND seq <= :upTo', { roomId, after, upTo }).execute(),
    );
  }

  /** Remove a deleted room's row, once its messages are gone (any left would go with it). */
  async removeDeletedRoom(roomId: string): Promise<void> {
    await this.db.transaction((em) => em.delete(RoomEntity, { id: roomId, deletedAt: Not(IsNull()) }));
  }
}
