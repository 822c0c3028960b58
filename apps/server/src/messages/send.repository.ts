import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { MessageEntity, type RoomEntity } from '../database/entities';
import { RawRows, rawQuery } from '../database/raw-rows';

/** What a send learns in its one read under the room's lock. */
export interface SendContext {
  kind: RoomEntity['kind'];
  memberIds: string[];
  /** The message already stored under this (sender, clientId), if any. */
  storedId: string | null;
}

/** A room as a batch of sends sees it under its lock. */
export interface LockedRoom {
  kind: RoomEntity['kind'];
  lastSeq: number;
  memberIds: string[];
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The statements of a member's send, the hottest write there is, as plain parameterized SQL:
 * take the seq, one read, insert, move the sender's read pointer. Four statements between
 * BEGIN and COMMIT on either dialect. System messages and everything else that appends to a
 * room go through RoomsService.append.
 */
@Injectable()
export class SendRepository {
  private readonly messages: RawRows<MessageEntity>;

  constructor(private readonly db: Database) {
    this.messages = new RawRows(db.dataSource, MessageEntity);
  }

  /**
   * Take the room's next seq; null if the room does not exist. The UPDATE row-locks the room
   * until commit on MySQL, so seqs come out gap-free and in commit order (SQLite transactions are
   * one at a time already); LAST_INSERT_ID(expr) hands the new value back in the same round trip.
   */
  async takeSeq(roomId: string, at: Date, em: EntityManager): Promise<number | null> {
    const when = this.messages.param('createdAt', at);
    if (this.db.dialect === 'mysql') {
      const res = (await rawQuery(em, 'UPDATE rooms SET last_seq = LAST_INSERT_ID(last_seq + 1), last_message_at = ? WHERE id = ?', [when, roomId])) as {
        affectedRows: number;
        insertId: number | string;
      };
      return res.affectedRows === 1 ? Number(res.insertId) : null;
    }
    const rows = (await rawQuery(em, 'UPDATE rooms SET last_seq = last_seq + 1, last_message_at = ? WHERE id = ? RETURNING last_seq', [when, roomId])) as { last_seq: number }[];
    return rows.length === 1 ? Number(rows[0]!.last_seq) : null;
  }

  /**
   * The room's kind, its members and a stored twin of this send, in one read. Made after
   * takeSeq, it is the transaction's first plain read, so on MySQL its snapshot is taken after
   * the room's lock: a twin or a membership change committed before the lock is seen.
   */
  async context(roomId: string, senderId: string, clientId: string, em: EntityManager): Promise<SendContext | null> {
    const rows = (await rawQuery(
      em,
      'SELECT r.kind, m.user_id, (SELECT s.id FROM messages s WHERE s.sender_id = ? AND s.client_id = ?) AS stored_id FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id WHERE r.id = ?',
      [senderId, clientId, roomId],
    )) as { kind: RoomEntity['kind']; user_id: string | null; stored_id: string | null }[];
    const [first] = rows;
    if (!first) return null;
    return { kind: first.kind, memberIds: rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])), storedId: first.stored_id };
  }

  /**
   * Lock the rooms of a batch (in primary-key order, so two batches never wait on each other
   * in a cycle), then read their kind, last seq and members. On MySQL the read is the
   * transaction's first plain read, so its snapshot is taken after the locks; SQLite runs one
   * transaction at a time.
   */
  async lockRooms(roomIds: readonly string[], em: EntityManager): Promise<Map<string, LockedRoom>> {
    const ids = [...new Set(roomIds)].sort();
    if (this.db.dialect === 'mysql') await rawQuery(em, `SELECT id FROM rooms WHERE id IN (${marks(ids.length)}) ORDER BY id FOR UPDATE`, ids);
    const rows = await rawQuery<{ id: string; kind: RoomEntity['kind']; last_seq: number; user_id: string | null }[]>(
      em,
      `SELECT r.id, r.kind, r.last_seq, m.user_id FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id WHERE r.id IN (${marks(ids.length)})`,
      ids,
    );
    const rooms = new Map<string, LockedRoom>();
    for (const r of rows) {
      const room = rooms.get(r.id) ?? { kind: r.kind, lastSeq: Number(r.last_seq), memberIds: [] };
      if (r.user_id !== null) room.memberIds.push(r.user_id);
      rooms.set(r.id, room);
    }
    return rooms;
  }

  /** Messages already stored under any of these (sender, clientId) keys, by `${senderId} ${clientId}`. */
  async storedTwins(keys: readonly { senderId: string; clientId: string }[], em: EntityManager): Promise<Map<string, string>> {
    const senders = [...new Set(keys.map((k) => k.senderId))];
    const clients = [...new Set(keys.map((k) => k.clientId))];
    const rows = await rawQuery<{ id: string; sender_id: string; client_id: string }[]>(
      em,
      `SELECT id, sender_id, client_id FROM messages WHERE sender_id IN (${marks(senders.length)}) AND client_id IN (${marks(clients.length)})`,
      [...senders, ...clients],
    );
    return new Map(rows.map((r) => [`${r.sender_id} ${r.client_id}`, r.id]));
  }

  /** Append a batch: the rooms' new last seqs, the messages, and their senders' read pointers, in three statements. */
  async appendMany(messages: readonly MessageEntity[], at: Date, em: EntityManager): Promise<void> {
    if (messages.length === 0) return;
    const lastSeq = new Map<string, number>();
    for (const m of messages) lastSeq.set(m.roomId, Math.max(lastSeq.get(m.roomId) ?? 0, m.seq));
    const rooms = [...lastSeq];
    await rawQuery(em, `UPDATE rooms SET last_seq = CASE id ${rooms.map(() => 'WHEN ? THEN ?').join(' ')} END, last_message_at = ? WHERE id IN (${marks(rooms.length)})`, [
      ...rooms.flat(),
      this.messages.param('createdAt', at),
      ...rooms.map(([id]) => id),
    ]);
    await this.insert(messages, em);
    await this.moveReadPointers(messages, em);
  }

  async insert(messages: readonly MessageEntity[], em: EntityManager): Promise<void> {
    await rawQuery(
      em,
      `INSERT INTO messages (id, room_id, seq, sender_id, client_id, kind, body, file_id, created_at, deleted_at) VALUES ${messages.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ')}`,
      messages.flatMap((m) => [m.id, m.roomId, m.seq, m.senderId, m.clientId, m.kind, m.body, m.fileId, this.messages.param('createdAt', m.createdAt)]),
    );
  }

  /** Senders have read what they wrote: each one's pointer moves to their last message of the room, and only forward. */
  async moveReadPointers(messages: readonly MessageEntity[], em: EntityManager): Promise<void> {
    const readTo = new Map<string, { roomId: string; userId: string; seq: number }>();
    for (const m of messages) {
      if (!m.senderId) continue;
      const key = `${m.roomId} ${m.senderId}`;
      readTo.set(key, { roomId: m.roomId, userId: m.senderId, seq: Math.max(readTo.get(key)?.seq ?? 0, m.seq) });
    }
    const readers = [...readTo.values()];
    if (readers.length === 0) return;
    await rawQuery(
      em,
      `UPDATE room_members SET last_read_seq = CASE ${readers.map(() => 'WHEN room_id = ? AND user_id = ? AND last_read_seq < ? THEN ?').join(' ')} ELSE last_read_seq END WHERE ${readers.map(() => '(room_id = ? AND user_id = ?)').join(' OR ')}`,
      [...readers.flatMap((r) => [r.roomId, r.userId, r.seq, r.seq]), ...readers.flatMap((r) => [r.roomId, r.userId])],
    );
  }
}
