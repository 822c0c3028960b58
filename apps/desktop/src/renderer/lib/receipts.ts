import type { Message, Room, RoomMember } from '@hi-msg/contracts';

/**
 * The KakaoTalk-style number beside a message: how many members other than its sender have
 * not read up to its seq yet. Zero for system messages and tombstones.
 */
export function unreadByOthers(message: Pick<Message, 'seq' | 'senderId' | 'kind' | 'deletedAt'>, members: Pick<RoomMember, 'userId' | 'lastReadSeq'>[]): number {
  if (message.kind === 'system' || message.deletedAt) return 0;
  let n = 0;
  for (const m of members) if (m.userId !== message.senderId && m.lastReadSeq < message.seq) n += 1;
  return n;
}

/** A member's read position moved: only ever forward. Returns the same room when nothing changed. */
export function applyRead(room: Room, userId: string, lastReadSeq: number, myId: string | null): Room {
  let changed = false;
  const members = room.members.map((m) => {
    if (m.userId !== userId || m.lastReadSeq >= lastReadSeq) return m;
    changed = true;
    return { ...m, lastReadSeq };
  });
  if (userId === myId && lastReadSeq > room.lastReadSeq) {
    return { ...room, members, lastReadSeq, unreadCount: Math.max(0, room.lastSeq - lastReadSeq) };
  }
  return changed ? { ...room, members } : room;
}

/** The sum of unread counts of the rooms, the number on the badge. */
export function totalUnread(rooms: Iterable<Pick<Room, 'unreadCount'>>): number {
  let total = 0;
  for (const r of rooms) total += Math.max(0, r.unreadCount);
  return total;
}
