import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Database } from '../database/data-source';
import { deletedIn } from '../database/deletions';
import { FileEntity, MessageEntity } from '../database/entities';
import { RawRows, rawQuery, sqlInteger } from '../database/raw-rows';

/** A keyset window over one room's seqs: strictly after `after`, strictly before `before`. */
export interface SeqWindow {
  after: number;
  before?: number;
  limit: number;
  /** 'newest' takes the last `limit` of the window, 'oldest' the first. */
  from: 'newest' | 'oldest';
}

/** The only code that reads or writes the messages table. */
@Injectable()
export class MessagesRepository {
  private readonly rows: RawRows<MessageEntity>;

  constructor(private readonly db: Database) {
    this.rows = new RawRows(db.dataSource, MessageEntity);
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<MessageEntity | null> {
    return em.findOne(MessageEntity, { where: { id } });
  }

  /** The message a sender already stored under this clientId, if any (the idempotency key). */
  findByClientId(senderId: string, clientId: string, em: EntityManager = this.db.manager): Promise<MessageEntity | null> {
    return em.findOne(MessageEntity, { where: { senderId, clientId } });
  }

  async insert(message: MessageEntity, em: EntityManager): Promise<void> {
    await em.insert(MessageEntity, message);
  }

  /** Tombstones in these rooms deleted at or after `since`, oldest deletion first (the deletions index). */
  deletedSince(roomIds: readonly string[], since: Date, limit: number): Promise<MessageEntity[]> {
    if (roomIds.length === 0) return Promise.resolve([]);
    return this.db.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where(deletedIn(this.db.dialect, 'm', 'IN (:...ids)'), { ids: [...roomIds] })
      .andWhere('m.deleted_at >= :since', { since: this.rows.param('deletedAt', since) })
      .orderBy('m.deleted_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Keep the seq, drop the content. */
  async tombstone(id: string, at: Date, em: EntityManager): Promise<void> {
    await em.update(MessageEntity, { id }, { body: null, fileId: null, deletedAt: at });
  }

  /**
   * One page of a room by keyset on (room_id, seq), in ascending order, and whether more lie
   * beyond it in the direction read. Never OFFSET: a range on the unique (room_id, seq) index
   * answers it, as deep in the room as it goes. Plain SQL and hydration straight from the row:
   * history pages are read far more often than anything else.
   */
  async page(roomId: string, w: SeqWindow): Promise<{ messages: MessageEntity[]; hasMore: boolean }> {
    const params: unknown[] = [roomId, w.after];
    let where = 'room_id = ? AND seq > ?';
    if (w.before !== undefined) {
      where += ' AND seq < ?';
      params.push(w.before);
    }
    // MariaDB plans `room_id = ? AND seq < ?` as a ref on room_id
    // and walks the room from its end; FORCE INDEX makes it a range on (room_id, seq).
    const index = this.db.dialect === 'mysql' ? ' FORCE INDEX (uq_messages_room_seq)' : '';
    const sql = `SELECT * FROM messages${index} WHERE ${where} ORDER BY seq ${w.from === 'newest' ? 'DESC' : 'ASC'} LIMIT ${sqlInteger(w.limit + 1)}`;
    const rows = ((await rawQuery(this.db.manager, sql, params)) as Record<string, unknown>[]).map((r) => this.rows.entity(r));
    const hasMore = rows.length > w.limit;
    const page = rows.slice(0, w.limit);
    if (w.from === 'newest') page.reverse();
    return { messages: page, hasMore };
  }

  /** The files of these messages, by file id. */
  async filesOf(messages: readonly MessageEntity[]): Promise<Map<string, FileEntity>> {
    const ids = messages.map((m) => m.fileId).filter((f): f is string => f !== null);
    if (ids.length === 0) return new Map();
    const files = await this.db.manager.find(FileEntity, { where: { id: In(ids) } });
    return new Map(files.map((f) => [f.id, f]));
  }
}
