import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Database } from '../database/data-source';
import { RoomEntity } from '../database/entities';
import { rawQuery, sqlInteger, sqlMarks } from '../database/raw-rows';
import { likePattern } from '../users/users.repository';

/** Where a page of the admin's room list ended: groups first, each kind by name, then id. */
export interface AdminRoomPosition {
  kind: RoomEntity['kind'];
  name: string;
  id: string;
}

/** Names shown per room in the admin's list. */
const NAMES_SHOWN = 5;

@Injectable()
export class AdminRoomsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Rooms not deleted, groups before 1:1 chats, each kind by name then id, after `from`; those
   * whose name or a member's name contains `q`. Keyset-paged on strings only, so both databases
   * compare them alike (each in its own collation, the same it orders by).
   */
  async page(limit: number, q: string | undefined, from: AdminRoomPosition | undefined): Promise<RoomEntity[]> {
    const where = ['r.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (q) {
      where.push(`(r.name LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = r.id AND u.name LIKE ? ESCAPE '!'))`);
      params.push(likePattern(q), likePattern(q));
    }
    if (from) {
      where.push(`(r.kind < ? OR (r.kind = ? AND (COALESCE(r.name, '') > ? OR (COALESCE(r.name, '') = ? AND r.id > ?))))`);
      params.push(from.kind, from.kind, from.name, from.name, from.id);
    }
    const rows = (await rawQuery(
      this.db.manager,
      `SELECT r.id FROM rooms r WHERE ${where.join(' AND ')} ORDER BY r.kind DESC, COALESCE(r.name, '') ASC, r.id ASC LIMIT ${sqlInteger(limit)}`,
      params,
    )) as { id: string }[];
    if (rows.length === 0) return [];
    const byId = new Map((await this.db.manager.find(RoomEntity, { where: { id: In(rows.map((r) => r.id)) } })).map((r) => [r.id, r]));
    return rows.map((r) => byId.get(r.id)).filter((r): r is RoomEntity => r !== undefined);
  }

  /** Each room's member count and its first few members' names (a departed member has none). */
  async members(roomIds: readonly string[]): Promise<Map<string, { count: number; names: string[] }>> {
    const out = new Map<string, { count: number; names: string[] }>(roomIds.map((id) => [id, { count: 0, names: [] }]));
    if (roomIds.length === 0) return out;
    const rows = (await rawQuery(
      this.db.manager,
      `SELECT m.room_id AS roomId, u.name AS name FROM room_members m LEFT JOIN users u ON u.id = m.user_id WHERE m.room_id IN (${sqlMarks(roomIds.length)}) ORDER BY u.name`,
      [...roomIds],
    )) as { roomId: string; name: string | null }[];
    for (const { roomId, name } of rows) {
      const entry = out.get(roomId)!;
      entry.count += 1;
      if (name !== null && entry.names.length < NAMES_SHOWN) entry.names.push(name);
    }
    return out;
  }
}
