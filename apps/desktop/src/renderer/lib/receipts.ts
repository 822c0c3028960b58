import type { Message, ReadPosition, Room, RoomMember } from '@hi-msg/contracts';

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
  return applyReads(room, [{ userId, lastReadSeq }], myId);
}

/** Several members' read positions at once, in one pass over the members (a large room's `reads`). */
export function applyReads(room: Room, positions: readonly ReadPosition[], myId: string | null): Room {
  const to = new Map<string, number>();
  for (const p of positions) to.set(p.userId, Math.max(p.lastReadSeq, to.get(p.userId) ?? 0));
  let changed = false;
  const members = room.members.map((m) => {
    const seq = to.get(m.userId);
    if (seq === undefined || m.lastReadSeq >= seq) return m;
    changed = true;
    return { ...m, lastReadSeq: seq };
  });
  const mine = myId === null ? undefined : to.get(myId);
  if (mine !== undefined && mine > room.lastReadSeq) {
    return { ...room, members, lastReadSeq: mine, unreadCount: Math.max(0, room.lastSeq - mine) };
  }
  return changed ? { ...room, members } : room;
}

/**
 * A system message (an invitation, a departure) at `seq`: members who had read everything before
 * it have read it too, as the server records it, so it never shows as news. Others keep their place.
 */
export function carryCaughtUp(room: Room, seq: number): Room {
  const caughtUp = (readSeq: number) => readSeq === seq - 1;
  if (!caughtUp(room.lastReadSeq) && !room.members.some((m) => caughtUp(m.lastReadSeq))) return room;
  return {
    ...room,
    members: room.members.map((m) => (caughtUp(m.lastReadSeq) ? { ...m, lastReadSeq: seq } : m)),
    lastReadSeq: caughtUp(room.lastReadSeq) ? seq : room.lastReadSeq,
  };
}

/** The sum of unread counts of the rooms, the number on the badge. */
export function totalUnread(rooms: Iterable<Pick<Room, 'unreadCount'>>): number {
  let total = 0;
  for (const r of rooms) total += Math.max(0, r.unreadCount);
  return total;
}
