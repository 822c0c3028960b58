import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { MessageEntity, type RoomEntity } from '../database/entities';
import { RawRows, rawQueries, sqlMarks } from '../database/raw-rows';

/** What a send learns in its one read under the room's lock. */
export interface SendContext {
  kind: RoomEntity['kind'];
  memberIds: string[];
  /** Whether the sender is a member, as last committed (on MySQL read under the row's lock). */
  senderIsMember: boolean;
  /** The message already stored under this (sender, clientId), if any. */
  storedId: string | null;
}

/** A room as a batch of sends sees it under its lock. */
export interface LockedRoom {
  kind: RoomEntity['kind'];
  lastSeq: number;
  memberIds: string[];
}


/** A send's (sender, clientId) as one string: how a batch finds twins, in itself and among stored messages. */
export const sendKey = (senderId: string, clientId: string) => `${senderId} ${clientId}`;

/** SQL text by the number of rows it is for, built once per size (a batch holds 1 to 64). */
function bySize(build: (n: number) => string): (n: number) => string {
  const built = new Map<number, string>();
  return (n) => {
    let sql = built.get(n);
    if (sql === undefined) built.set(n, (sql = build(n)));
    return sql;
  };
}

/** `rows` rows of the named columns as a MySQL derived table of parameters, to join an UPDATE from. */
const derivedRows = (columns: readonly string[], rows: number) => Array.from({ length: rows }, () => `SELECT ${columns.map((c) => `? AS ${c}`).join(', ')}`).join(' UNION ALL ');

type Statement = readonly [string, readonly unknown[]];
type ContextRow = { kind: RoomEntity['kind']; user_id: string | null; stored_id: string | null };

/**
 * The statements of members' sends, the hottest write there is, as plain parameterized SQL.
 * Alone: take the seq and read (queued together on MySQL), then insert, then move the read
 * pointer. In a batch: lock and read (queued together), then seqs, messages and read pointers.
 * System messages and everything else that appends to a room go through RoomsService.append.
 */
@Injectable()
export class SendRepository {
  private readonly messages: RawRows<MessageEntity>;

  constructor(private readonly db: Database) {
    this.messages = new RawRows(db.dataSource, MessageEntity);
  }

  private get mysql(): boolean {
    return this.db.dialect === 'mysql';
  }

  private readonly roomsSql = bySize(
    (n) => `SELECT r.id, r.kind, r.last_seq, m.user_id FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id WHERE r.id IN (${sqlMarks(n)}) AND r.deleted_at IS NULL ORDER BY r.id${this.mysql ? ' FOR UPDATE' : ''}`,
  );

  // One probe of the (sender_id, client_id) index per key; `sender_id IN (…) AND client_id IN (…)` would probe every pairing.
  private readonly twinsSql = bySize((n) => `SELECT sender_id, client_id FROM messages WHERE ${Array.from({ length: n }, () => '(sender_id = ? AND client_id = ?)').join(' OR ')}`);

  private readonly insertSql = bySize(
    (n) => `INSERT INTO messages (id, room_id, seq, sender_id, client_id, kind, body, file_id, created_at, deleted_at) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ')}`,
  );

  /**
   * The rooms' new last seqs. On MySQL the new values are a derived table read first
   * (STRAIGHT_JOIN), each room then found by its primary key: an `id IN (…)` over a small
   * table is planned as a scan, which locks every room, and two batches doing so deadlock.
   */
  private readonly lastSeqSql = bySize((n) =>
    this.mysql
      ? `UPDATE (${derivedRows(['id', 'seq'], n)}) v STRAIGHT_JOIN rooms r ON r.id = v.id SET r.last_seq = v.seq, r.last_message_at = ?`
      : `UPDATE rooms SET last_seq = CASE id ${Array.from({ length: n }, () => 'WHEN ? THEN ?').join(' ')} END, last_message_at = ? WHERE id IN (${sqlMarks(n)})`,
  );

  // The new positions as a derived table joined on the primary key: one lookup (and one row lock) per reader.
  private readonly readPointersSql = bySize((n) =>
    this.mysql
      ? `UPDATE (${derivedRows(['room_id', 'user_id', 'seq'], n)}) p STRAIGHT_JOIN room_members m ON m.room_id = p.room_id AND m.user_id = p.user_id SET m.last_read_seq = p.seq WHERE m.last_read_seq < p.seq`
      : `UPDATE room_members SET last_read_seq = p.column3 FROM (VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')}) AS p WHERE room_members.room_id = p.column1 AND room_members.user_id = p.column2 AND room_members.last_read_seq < p.column3`,
  );

  /**
   * Take the room's next seq and read what the send must know, or null if the room does not
   * exist (or is being deleted). The UPDATE row-locks the room until commit on MySQL, so seqs come out gap-free and in
   * commit order (SQLite transactions are one at a time already); LAST_INSERT_ID(expr) hands the
   * new value back. The read that follows is the transaction's first plain read, so on MySQL its
   * snapshot is taken after the lock: a twin or a membership change committed before it is seen.
   * On MySQL the sender's membership row is also read locked (the send moves its read pointer
   * anyway; a share lock upgraded then would deadlock with a waiting deletion). It waits for a
   * deletion of the sender that has locked it (DeletionRepository.lockMemberships), then sees
   * them gone; and a deletion never checks its backup while a send of theirs is uncommitted.
   */
  async takeSeq(roomId: string, senderId: string, clientId: string, at: Date, em: EntityManager): Promise<{ seq: number; context: SendContext } | null> {
    const when = this.messages.param('createdAt', at);
    const { mysql } = this;
    const statements: Statement[] = [
      mysql
        ? ['UPDATE rooms SET last_seq = LAST_INSERT_ID(last_seq + 1), last_message_at = ? WHERE id = ? AND deleted_at IS NULL', [when, roomId]]
        : ['UPDATE rooms SET last_seq = last_seq + 1, last_message_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING last_seq', [when, roomId]],
      [
        'SELECT r.kind, m.user_id, (SELECT s.id FROM messages s WHERE s.sender_id = ? AND s.client_id = ?) AS stored_id FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id WHERE r.id = ? AND r.deleted_at IS NULL',
        [senderId, clientId, roomId],
      ],
    ];
    if (mysql) statements.push(['SELECT user_id FROM room_members WHERE room_id = ? AND user_id = ? FOR UPDATE', [roomId, senderId]]);
    const [taken, rows, locked] = (await rawQueries(em, statements)) as [
      { affectedRows: number; insertId: number | string } | { last_seq: number }[],
      ContextRow[],
      { user_id: string }[] | undefined,
    ];
    const seq = Array.isArray(taken) ? taken[0]?.last_seq : taken.affectedRows === 1 ? taken.insertId : undefined;
    const [first] = rows;
    if (seq === undefined || !first) return null;
    const memberIds = rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id]));
    const senderIsMember = locked ? locked.length > 0 : memberIds.includes(senderId);
    return { seq: Number(seq), context: { kind: first.kind, memberIds, senderIsMember, storedId: first.stored_id } };
  }

  /**
   * Lock the rooms of a batch in primary-key order (two batches never wait on each other in a
   * cycle) reading their kind, last seq and members as committed; then the messages already
   * stored under the batch's (sender, clientId) keys, by `${senderId} ${clientId}`. That second
   * read is the first plain one, so on MySQL its snapshot is taken after the locks.
   */
  async lockRooms(
    roomIds: readonly string[],
    keys: readonly { senderId: string; clientId: string }[],
    em: EntityManager,
  ): Promise<{ rooms: Map<string, LockedRoom>; stored: Set<string> }> {
    const ids = [...new Set(roomIds)].sort();
    const [roomRows, twinRows] = (await rawQueries(em, [
      [this.roomsSql(ids.length), ids],
      [this.twinsSql(keys.length), keys.flatMap((k) => [k.senderId, k.clientId])],
    ])) as [{ id: string; kind: RoomEntity['kind']; last_seq: number; user_id: string | null }[], { sender_id: string; client_id: string }[]];
    const rooms = new Map<string, LockedRoom>();
    for (const r of roomRows) {
      const room = rooms.get(r.id) ?? { kind: r.kind, lastSeq: Number(r.last_seq), memberIds: [] };
      if (r.user_id !== null) room.memberIds.push(r.user_id);
      rooms.set(r.id, room);
    }
    return { rooms, stored: new Set(twinRows.map((r) => sendKey(r.sender_id, r.client_id))) };
  }

  /** A single send's message and its sender's read pointer (the seq is taken already). */
  async insert(m: MessageEntity, em: EntityManager): Promise<void> {
    await rawQueries(em, [this.insertStatement([m]), this.readPointerStatement([m])]);
  }

  /** Append a batch: the rooms' new last seqs, the messages, and their senders' read pointers. */
  async appendMany(messages: readonly MessageEntity[], at: Date, em: EntityManager): Promise<void> {
    if (messages.length === 0) return;
    const lastSeq = new Map<string, number>();
    for (const m of messages) lastSeq.set(m.roomId, Math.max(lastSeq.get(m.roomId) ?? 0, m.seq));
    await rawQueries(em, [this.lastSeqStatement([...lastSeq], this.messages.param('createdAt', at)), this.insertStatement(messages), this.readPointerStatement(messages)]);
  }

  private lastSeqStatement(rooms: readonly (readonly [string, number])[], at: unknown): Statement {
    const sql = this.lastSeqSql(rooms.length);
    return this.mysql ? [sql, [...rooms.flat(), at]] : [sql, [...rooms.flat(), at, ...rooms.map(([id]) => id)]];
  }

  private insertStatement(messages: readonly MessageEntity[]): Statement {
    // A batch's messages share one time: converted for the driver once.
    let time: Date | undefined;
    let when: unknown;
    const params: unknown[] = [];
    for (const m of messages) {
      if (m.createdAt !== time) when = this.messages.param('createdAt', (time = m.createdAt));
      params.push(m.id, m.roomId, m.seq, m.senderId, m.clientId, m.kind, m.body, m.fileId, when);
    }
    return [this.insertSql(messages.length), params];
  }

  /** Senders have read what they wrote: each one's pointer moves to their last message of the room, and only forward. */
  private readPointerStatement(messages: readonly MessageEntity[]): Statement {
    const readTo = new Map<string, { roomId: string; userId: string; seq: number }>();
    for (const m of messages) {
      const key = `${m.roomId} ${m.senderId}`;
      if (m.senderId) readTo.set(key, { roomId: m.roomId, userId: m.senderId, seq: Math.max(readTo.get(key)?.seq ?? 0, m.seq) });
    }
    const readers = [...readTo.values()];
    const [only] = readers;
    if (readers.length === 1 && only) return ['UPDATE room_members SET last_read_seq = ? WHERE room_id = ? AND user_id = ? AND last_read_seq < ?', [only.seq, only.roomId, only.userId, only.seq]];
    return [this.readPointersSql(readers.length), readers.flatMap((r) => [r.roomId, r.userId, r.seq])];
  }
}
