import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { MessageEntity, type RoomEntity } from '../database/entities';
import { RawRows } from '../database/raw-rows';

/** What a send learns in its one read under the room's lock. */
export interface SendContext {
  kind: RoomEntity['kind'];
  memberIds: string[];
  /** The message already stored under this (sender, clientId), if any. */
  storedId: string | null;
}

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
      const res = (await em.query('UPDATE rooms SET last_seq = LAST_INSERT_ID(last_seq + 1), last_message_at = ? WHERE id = ?', [when, roomId])) as {
        affectedRows: number;
        insertId: number | string;
      };
      return res.affectedRows === 1 ? Number(res.insertId) : null;
    }
    const rows = (await em.query('UPDATE rooms SET last_seq = last_seq + 1, last_message_at = ? WHERE id = ? RETURNING last_seq', [when, roomId])) as { last_seq: number }[];
    return rows.length === 1 ? Number(rows[0]!.last_seq) : null;
  }

  /**
   * The room's kind, its members and a stored twin of this send, in one read. Made after
   * takeSeq, it is the transaction's first plain read, so on MySQL its snapshot is taken after
   * the room's lock: a twin or a membership change committed before the lock is seen.
   */
  async context(roomId: string, senderId: string, clientId: string, em: EntityManager): Promise<SendContext | null> {
    const rows = (await em.query(
      'SELECT r.kind, m.user_id, (SELECT s.id FROM messages s WHERE s.sender_id = ? AND s.client_id = ?) AS stored_id FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id WHERE r.id = ?',
      [senderId, clientId, roomId],
    )) as { kind: RoomEntity['kind']; user_id: string | null; stored_id: string | null }[];
    const [first] = rows;
    if (!first) return null;
    return { kind: first.kind, memberIds: rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])), storedId: first.stored_id };
  }

  async insert(m: MessageEntity, em: EntityManager): Promise<void> {
    const p = this.messages;
    await em.query('INSERT INTO messages (id, room_id, seq, sender_id, client_id, kind, body, file_id, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)', [
      m.id,
      m.roomId,
      m.seq,
      m.senderId,
      m.clientId,
      m.kind,
      m.body,
      m.fileId,
      p.param('createdAt', m.createdAt),
    ]);
  }

  /** The sender has read what they wrote; the pointer only moves forward. */
  async moveReadPointer(roomId: string, userId: string, seq: number, em: EntityManager): Promise<void> {
    await em.query('UPDATE room_members SET last_read_seq = ? WHERE room_id = ? AND user_id = ? AND last_read_seq < ?', [seq, roomId, userId, seq]);
  }
}
