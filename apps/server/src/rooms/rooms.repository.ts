import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull } from 'typeorm';
import { AppError } from '../common/app-error';
import { Database, type Dialect } from '../database/data-source';
import { deletedIn, seqOfDeleted } from '../database/deletions';
import { FileEntity, MessageEntity, RoomEntity, RoomMemberEntity, UserEntity } from '../database/entities';
import { RawRows, rawQuery, sqlInteger, sqlMarks } from '../database/raw-rows';

/** A user as a room shows them. */
export type MemberUser = Pick<UserEntity, 'id' | 'name' | 'department' | 'position'>;

/** Everything needed to draw a set of rooms for any of their members, read in a fixed number of queries. */
export interface RoomsSnapshot {
  rooms: RoomEntity[];
  members: RoomMemberEntity[];
  users: Map<string, MemberUser>;
  lastMessages: Map<string, MessageEntity>;
  files: Map<string, FileEntity>;
  /** Deleted messages each member has not read, keyed `${roomId}:${userId}`; they don't count as unread. */
  deletedUnread: Map<string, number>;
}

/** A date column as a raw select returns it: a Date from MySQL, 'YYYY-MM-DD HH:MM:SS.mmm' (UTC) from SQLite. */
export type RawDate = Date | string;

/** One of the viewer's rooms as the list shows it: the room, the viewer's membership, the last message visible to them and its file. */
export interface RoomListRow {
  id: string;
  kind: RoomEntity['kind'];
  name: string | null;
  createdBy: string | null;
  /** The last message's time, or the room's creation when it has none: what the list is ordered by. */
  activity: RawDate;
  lastSeq: number;
  lastMessageAt: RawDate | null;
  muted: number | boolean;
  myLastReadSeq: number;
  myJoinedSeq: number;
  /** Deleted messages the viewer has not read; they don't count as unread. MySQL's COUNT comes as a string. */
  deletedUnread: number | string;
  /** Set when the room's last message exists and came after the viewer joined. */
  mId: string | null;
  mSenderId: string | null;
  mClientId: string | null;
  mKind: MessageEntity['kind'] | null;
  mBody: string | null;
  mFileId: string | null;
  mCreatedAt: RawDate | null;
  mDeletedAt: RawDate | null;
  fName: string | null;
  fMime: string | null;
  fSize: number | null;
  fThumbPath: string | null;
}

/** A member of one of the viewer's rooms, with their profile (null fields when the account is gone). */
export interface RoomListMemberRow {
  roomId: string;
  userId: string;
  lastReadSeq: number;
  name: string | null;
  department: string | null;
  position: string | null;
}

/** A page of the viewer's rooms as the list shows it, with their members and the unread total over every room. */
export interface RoomListRows {
  /** The page's rooms, most recent activity first, ties by id. */
  rooms: RoomListRow[];
  members: RoomListMemberRow[];
  /** Unread messages over every room of the viewer, not only this page's. */
  totalUnread: number;
  /** Whether rooms come after this page. */
  more: boolean;
}

/** Where a page of the room list starts: after this activity time and room id. */
export interface RoomListAfter {
  at: Date;
  id: string;
}

/** SQLite's form of a datetime(3) column as TypeORM writes it: UTC, to the millisecond. */
const SQLITE_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/** A raw date column as an ISO 8601 string, as the entity's Date would print it. */
export function rawIso(v: RawDate): string {
  if (v instanceof Date) return v.toISOString();
  // The common case, without building a Date: 'YYYY-MM-DD HH:MM:SS.mmm' is the ISO form but for 'T' and 'Z'.
  if (SQLITE_DATETIME.test(v)) return `${v.slice(0, 10)}T${v.slice(11)}Z`;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`).toISOString();
}

/*
 * The room list in three statements, whatever the number of rooms the viewer is in:
 * - the unread total: one row, summed over every membership of the viewer (the room_members
 *   (user_id) index) without bringing any of them to the server;
 * - the page: the viewer's rooms ordered and cut in the database, then only the page's rooms
 *   joined to their last message (the unique (room_id, seq) index at seq = rooms.last_seq) and
 *   its file;
 * - the page's members with their profiles.
 * Deleted messages the viewer has not read don't count as unread. They are counted through the
 * deletions index (database/deletions.ts), and only in rooms with something unread. No statement
 * reads a room's live messages.
 */
const deletedUnreadSql = (dialect: Dialect): string => {
  const seq = seqOfDeleted(dialect, 'd');
  return `CASE WHEN r.last_seq > me.last_read_seq AND r.last_seq > me.joined_seq THEN
         (SELECT COUNT(*) FROM messages d
           WHERE ${deletedIn(dialect, 'd', '= me.room_id')} AND ${seq} > me.last_read_seq AND ${seq} > me.joined_seq)
       ELSE 0 END`;
};

/** SQL's two-argument greatest and least: SQLite's scalar MAX and MIN, MySQL's GREATEST and LEAST. */
const PAIR_FUNCTIONS = { sqlite: ['MAX', 'MIN'], mysql: ['GREATEST', 'LEAST'] } as const;

/** The sum of room.view's unreadCount over every room of the viewer. */
const totalUnreadSql = (dialect: Dialect): string => {
  const [greatest, least] = PAIR_FUNCTIONS[dialect];
  return `
SELECT COALESCE(SUM(${greatest}(0, r.last_seq - ${greatest}(${least}(me.last_read_seq, r.last_seq), me.joined_seq) - ${deletedUnreadSql(dialect)})), 0) AS total
FROM room_members me
JOIN rooms r ON r.id = me.room_id
WHERE me.user_id = ?`;
};

const ACTIVITY = 'COALESCE(pr.last_message_at, pr.created_at)';

/**
 * `rows` goes into the text as a number, not a parameter: SQLite looks at a bound LIMIT while it
 * plans the subquery and so prepares the whole statement again at every call (about 5 % of the
 * server's time per first page). A page size is one of a few values, each prepared once.
 */
const listPageSql = (dialect: Dialect, after: boolean, rows: number | undefined): string => `
SELECT r.id AS id, r.kind AS kind, r.name AS name, r.created_by AS createdBy, p.activity AS activity,
       r.last_seq AS lastSeq, r.last_message_at AS lastMessageAt, me.muted AS muted,
       me.last_read_seq AS myLastReadSeq, me.joined_seq AS myJoinedSeq, ${deletedUnreadSql(dialect)} AS deletedUnread,
       m.id AS mId, m.sender_id AS mSenderId, m.client_id AS mClientId, m.kind AS mKind, m.body AS mBody,
       m.file_id AS mFileId, m.created_at AS mCreatedAt, m.deleted_at AS mDeletedAt,
       f.original_name AS fName, f.mime AS fMime, f.size AS fSize, f.thumb_path AS fThumbPath
FROM (SELECT pr.id AS id, ${ACTIVITY} AS activity
      FROM room_members pm
      JOIN rooms pr ON pr.id = pm.room_id
      WHERE pm.user_id = ?${after ? ` AND (${ACTIVITY} < ? OR (${ACTIVITY} = ? AND pr.id > ?))` : ''}
      ORDER BY activity DESC, id${rows === undefined ? '' : ` LIMIT ${sqlInteger(rows)}`}) p
JOIN room_members me ON me.room_id = p.id AND me.user_id = ?
JOIN rooms r ON r.id = p.id
LEFT JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq AND m.seq > me.joined_seq
LEFT JOIN files f ON f.id = m.file_id
ORDER BY p.activity DESC, p.id`;

const listMembersSql = (ids: number): string => `
SELECT rm.room_id AS roomId, rm.user_id AS userId, rm.last_read_seq AS lastReadSeq,
       u.name AS name, u.department AS department, u.position AS position
FROM room_members rm
LEFT JOIN users u ON u.id = rm.user_id
WHERE rm.room_id IN (${sqlMarks(ids)})`;

/** The key of the one direct room of a pair: both ids, sorted, joined by ':'. */
export const directKey = (a: string, b: string): string => [a, b].sort().join(':');

/** Rooms and their members: the only code that reads or writes rooms and room_members. */
@Injectable()
export class RoomsRepository {
  private readonly roomRows: RawRows<RoomEntity>;

  constructor(private readonly db: Database) {
    this.roomRows = new RawRows(db.dataSource, RoomEntity);
  }

  get manager(): EntityManager {
    return this.db.manager;
  }

  /** One transaction, run again on a MySQL deadlock (Database.transactionRetrying). */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transactionRetrying(fn);
  }

  findRoom(id: string, em: EntityManager = this.db.manager): Promise<RoomEntity | null> {
    return em.findOne(RoomEntity, { where: { id, deletedAt: IsNull() } });
  }

  findDirect(a: string, b: string): Promise<RoomEntity | null> {
    return this.db.manager.findOne(RoomEntity, { where: { directKey: directKey(a, b) } });
  }

  /** Active users among the ids, with what a room shows of them. */
  async activeUsers(ids: readonly string[], em: EntityManager = this.db.manager): Promise<MemberUser[]> {
    if (ids.length === 0) return [];
    return em.find(UserEntity, { where: { id: In([...new Set(ids)]), status: 'active' }, select: { id: true, name: true, department: true, position: true } });
  }

  /** The direct room of a pair, created on first use; a racing creator loses on the unique key and re-reads. */
  async getOrCreateDirect(a: string, b: string): Promise<{ room: RoomEntity; created: boolean }> {
    const key = directKey(a, b);
    const existing = await this.db.manager.findOne(RoomEntity, { where: { directKey: key } });
    if (existing) return { room: existing, created: false };
    const now = new Date();
    const room: RoomEntity = Object.assign(new RoomEntity(), {
      id: randomUUID(),
      kind: 'direct' as const,
      name: null,
      directKey: key,
      createdBy: a,
      lastSeq: 0,
      lastMessageAt: null,
      createdAt: now,
      deletedAt: null,
    });
    // INSERT IGNORE: a racing creator of the same pair waits on the key, then yields to the
    // committed room, which the read after it (a fresh snapshot) sees.
    const stored = await this.db.transaction(async (em) => {
      await em.createQueryBuilder().insert().into(RoomEntity).values(room).orIgnore().execute();
      const row = await em.findOne(RoomEntity, { where: { directKey: key } });
      if (!row) throw new Error(`direct room ${key} neither inserted nor found`);
      if (row.id === room.id) await em.insert(RoomMemberEntity, [a, b].map((userId) => member(room.id, userId, 0, 0, now)));
      return row;
    });
    return { room: stored, created: stored.id === room.id };
  }

  async insertGroup(room: RoomEntity, em: EntityManager): Promise<void> {
    await em.insert(RoomEntity, room);
  }

  /**
   * Take the room's next seq: the UPDATE row-locks the room on MySQL until commit, so seqs come
   * out gap-free and in commit order; SQLite transactions are already one at a time. The read
   * that follows is the transaction's first plain read, so on MySQL its snapshot is taken
   * after the lock: everything committed before it is visible to the rest of the transaction.
   */
  async nextSeq(roomId: string, at: Date, em: EntityManager): Promise<Pick<RoomEntity, 'id' | 'kind' | 'lastSeq'>> {
    await em
      .createQueryBuilder()
      .update(RoomEntity)
      .set({ lastSeq: () => 'last_seq + 1', lastMessageAt: at })
      .where('id = :roomId AND deleted_at IS NULL', { roomId })
      .execute();
    const row = await em.findOne(RoomEntity, { where: { id: roomId, deletedAt: IsNull() }, select: { id: true, kind: true, lastSeq: true } });
    if (!row) throw new AppError('ROOM_NOT_FOUND', 'That chat room does not exist (it may have been deleted).');
    return row;
  }

  /** New members see the room from `joinedSeq` on and have already read up to `readSeq`. */
  async addMembers(roomId: string, userIds: readonly string[], joinedSeq: number, readSeq: number, em: EntityManager): Promise<void> {
    if (userIds.length === 0) return;
    const now = new Date();
    await em.insert(
      RoomMemberEntity,
      userIds.map((userId) => member(roomId, userId, joinedSeq, readSeq, now)),
    );
  }

  async removeMember(roomId: string, userId: string, em: EntityManager): Promise<void> {
    await em.delete(RoomMemberEntity, { roomId, userId });
  }

  /**
   * The first statement of a transaction that changes who is in a room: on MySQL it waits for
   * any other such change to the room to commit, and what the transaction reads next sees it
   * (its snapshot starts after the lock). SQLite runs one transaction at a time already.
   */
  async lockRoom(roomId: string, em: EntityManager): Promise<void> {
    if (this.db.dialect === 'mysql') await em.query('SELECT id FROM rooms WHERE id = ? FOR UPDATE', [roomId]);
  }

  async rename(roomId: string, name: string, em: EntityManager): Promise<void> {
    await em.update(RoomEntity, { id: roomId }, { name });
  }

  async setMuted(roomId: string, userId: string, muted: boolean): Promise<void> {
    await this.db.manager.update(RoomMemberEntity, { roomId, userId }, { muted });
  }

  /** Move a read pointer forward only; it never moves back. */
  async moveReadPointer(roomId: string, userId: string, seq: number, em: EntityManager = this.db.manager): Promise<void> {
    await em
      .createQueryBuilder()
      .update(RoomMemberEntity)
      .set({ lastReadSeq: seq })
      .where('room_id = :roomId AND user_id = :userId AND last_read_seq < :seq', { roomId, userId, seq })
      .execute();
  }

  /** Members who had read everything before `seq` have read `seq` too (a system line is no news). */
  async carryCaughtUpReaders(roomId: string, seq: number, em: EntityManager): Promise<void> {
    await em
      .createQueryBuilder()
      .update(RoomMemberEntity)
      .set({ lastReadSeq: seq })
      .where('room_id = :roomId AND last_read_seq = :prev', { roomId, prev: seq - 1 })
      .execute();
  }

  /** Move a read pointer forward only; returns the pointer as it stands afterwards. */
  async advanceRead(roomId: string, userId: string, seq: number, em: EntityManager = this.db.manager): Promise<number> {
    await this.moveReadPointer(roomId, userId, seq, em);
    const row = await em.findOne(RoomMemberEntity, { where: { roomId, userId }, select: { roomId: true, lastReadSeq: true } });
    return row?.lastReadSeq ?? 0;
  }

  /** Members of the rooms, with their read positions. */
  membersOf(roomIds: readonly string[], em: EntityManager = this.db.manager): Promise<RoomMemberEntity[]> {
    if (roomIds.length === 0) return Promise.resolve([]);
    return em.find(RoomMemberEntity, { where: { roomId: In([...roomIds]) } });
  }

  roomsByIds(roomIds: readonly string[]): Promise<RoomEntity[]> {
    if (roomIds.length === 0) return Promise.resolve([]);
    return this.db.manager.find(RoomEntity, { where: { id: In([...roomIds]) } });
  }

  /**
   * The viewer's rooms, most recent activity first (a room without messages counts from its
   * creation), ties by id: `limit` of them after `after`, or all of them without a limit.
   */
  async listPage(viewerId: string, after: RoomListAfter | undefined, limit: number | undefined): Promise<RoomListRows> {
    const em = this.db.manager;
    const params: unknown[] = [viewerId];
    if (after) {
      const at = this.roomRows.param('createdAt', after.at);
      params.push(at, at, after.id);
    }
    params.push(viewerId);
    const [[totals], page] = await Promise.all([
      rawQuery<{ total: number | string }[]>(em, totalUnreadSql(this.db.dialect), [viewerId]),
      rawQuery<RoomListRow[]>(em, listPageSql(this.db.dialect, after !== undefined, limit === undefined ? undefined : limit + 1), params),
    ]);
    const more = limit !== undefined && page.length > limit;
    const rooms = more ? page.slice(0, limit) : page;
    const members = rooms.length === 0 ? [] : await rawQuery<RoomListMemberRow[]>(em, listMembersSql(rooms.length), rooms.map((r) => r.id));
    return { rooms, members, totalUnread: Number(totals?.total ?? 0), more };
  }

  /**
   * Rooms, all their members, the members' profiles, each room's last message and the deleted
   * messages still unread, in six queries whatever the number of rooms. The last message is
   * found through the unique (room_id, seq) index at seq = rooms.last_seq, and the deleted ones
   * through the deletions index, so no live message is scanned. With a viewer, the deleted
   * counts are read for that member only.
   */
  async snapshot(roomIds: readonly string[], viewerId?: string): Promise<RoomsSnapshot> {
    const empty: RoomsSnapshot = { rooms: [], members: [], users: new Map(), lastMessages: new Map(), files: new Map(), deletedUnread: new Map() };
    if (roomIds.length === 0) return empty;
    const ids = [...new Set(roomIds)];
    const em = this.db.manager;
    const deletedQuery = em
      .createQueryBuilder(MessageEntity, 'm')
      .select('m.room_id', 'roomId')
      .addSelect('rm.user_id', 'userId')
      .addSelect('COUNT(*)', 'n')
      .innerJoin(RoomMemberEntity, 'rm', 'rm.room_id = m.room_id AND m.seq > rm.last_read_seq AND m.seq > rm.joined_seq')
      .where(deletedIn(this.db.dialect, 'm', 'IN (:...ids)'), { ids })
      .groupBy('m.room_id')
      .addGroupBy('rm.user_id');
    if (viewerId) deletedQuery.andWhere('rm.user_id = :viewerId', { viewerId });
    const [rooms, members, lastMessages, deleted] = await Promise.all([
      em.find(RoomEntity, { where: { id: In(ids) } }),
      em.find(RoomMemberEntity, { where: { roomId: In(ids) } }),
      em
        .createQueryBuilder(MessageEntity, 'm')
        .innerJoin(RoomEntity, 'r', 'r.id = m.room_id AND r.last_seq = m.seq')
        .where('r.id IN (:...ids)', { ids })
        .getMany(),
      deletedQuery.getRawMany<{ roomId: string; userId: string; n: number | string }>(),
    ]);
    const userIds = [...new Set(members.map((m) => m.userId))];
    const fileIds = lastMessages.map((m) => m.fileId).filter((f): f is string => f !== null);
    const [users, files] = await Promise.all([
      userIds.length ? em.find(UserEntity, { where: { id: In(userIds) }, select: { id: true, name: true, department: true, position: true } }) : [],
      fileIds.length ? em.find(FileEntity, { where: { id: In(fileIds) } }) : [],
    ]);
    return {
      rooms,
      members,
      users: new Map(users.map((u) => [u.id, u])),
      lastMessages: new Map(lastMessages.map((m) => [m.roomId, m])),
      files: new Map(files.map((f) => [f.id, f])),
      deletedUnread: new Map(deleted.map((d) => [`${d.roomId}:${d.userId}`, Number(d.n)])),
    };
  }
}

function member(roomId: string, userId: string, joinedSeq: number, lastReadSeq: number, joinedAt: Date): RoomMemberEntity {
  return Object.assign(new RoomMemberEntity(), { roomId, userId, joinedAt, joinedSeq, lastReadSeq, muted: false });
}
