import type { Message, Room, RoomChange } from '@hi-msg/contracts';
import { applyReads } from './receipts';

/**
 * A held room with a `room_changed` applied: a new name, members in (an invitation; one already
 * listed is replaced, not repeated) and out. Returns the same room when nothing changed.
 */
export function applyRoomChange(room: Room, change: RoomChange): Room {
  let next = room;
  if (change.name !== undefined && change.name !== room.name) next = { ...next, name: change.name };
  const joined = change.joined ?? [];
  const left = new Set(change.left ?? []);
  if (joined.length > 0 || room.members.some((m) => left.has(m.userId))) {
    const incoming = new Set(joined.map((m) => m.userId));
    const stay = room.members.filter((m) => !left.has(m.userId) && !incoming.has(m.userId));
    next = { ...next, members: [...stay, ...joined.filter((m) => !left.has(m.userId))] };
  }
  return next;
}

/**
 * A room as a page of the room list gives it, with what was heard meanwhile kept: the list was
 * read before messages or read positions that arrived over the socket while it was on its way,
 * and must not take the room back to before them (an older last message, an unread count one
 * short, the open room marked read only up to the older seq). `heard` are the room's messages held.
 */
export function mergeListedRoom(listed: Room, held: Room | undefined, heard: readonly Message[], myId: string): Room {
  if (!held || (held.lastSeq <= listed.lastSeq && held.lastReadSeq <= listed.lastReadSeq)) return listed;
  let next = listed;
  if (held.lastSeq > listed.lastSeq) {
    const news = heard.filter((m) => m.seq > listed.lastSeq && m.seq <= held.lastSeq && m.seq > listed.lastReadSeq && m.kind !== 'system' && !m.deletedAt && m.senderId !== myId);
    next = { ...next, lastSeq: held.lastSeq, lastMessage: held.lastMessage, lastMessageAt: held.lastMessageAt, unreadCount: listed.unreadCount + news.length };
  }
  return applyReads(next, [...held.members.map((m) => ({ userId: m.userId, lastReadSeq: m.lastReadSeq })), { userId: myId, lastReadSeq: held.lastReadSeq }], myId);
}
