import type { Dialect } from './data-source';

/**
 * Deleted messages are looked up by room far more often than they are written: every unread
 * count leaves them out, and every sync reports them. Live messages must never be read for it.
 * - SQLite: a partial index on (room_id, deleted_at) WHERE deleted_at IS NOT NULL.
 * - MySQL has no partial index. `deleted_in_room`, a virtual column holding the room id of a
 *   deleted message and NULL for a live one, indexed with deleted_at, plays its part: a room's
 *   deletions are one ref on it, even when the room id comes from another table's row, where a
 *   (room_id, deleted_at) index would be walked through every live message of the room.
 */

/** The condition "message `m` is deleted and its room is `room`" (`= r.id`, `IN (:...ids)`). */
export function deletedIn(dialect: Dialect, m: string, room: string): string {
  return dialect === 'mysql' ? `${m}.deleted_in_room ${room}` : `${m}.room_id ${room} AND ${m}.deleted_at IS NOT NULL`;
}

/**
 * Message `m`'s seq beside `deletedIn`. SQLite has no statistics and would rather read the room
 * by (room_id, seq) from the read position on; the unary + keeps it on the deletions index.
 */
export function seqOfDeleted(dialect: Dialect, m: string): string {
  return dialect === 'mysql' ? `${m}.seq` : `+${m}.seq`;
}
