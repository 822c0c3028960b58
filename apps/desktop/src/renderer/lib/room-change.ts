import type { Room, RoomChange } from '@hi-msg/contracts';

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
