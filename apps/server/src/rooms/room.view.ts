import type { Room, RoomMember } from '@hi-msg/contracts';
import type { RoomEntity, RoomMemberEntity } from '../database/entities';
import { toMessage } from '../messages/message.view';
import type { RoomsSnapshot } from './rooms.repository';

/** A departed employee still shows in old rooms' read positions, under this name. */
const DEPARTED = { name: '(퇴사자)', department: '', position: '' };

/** Each room of the snapshot as one viewer sees it: their read pointer, unread count, mute and visible last message. */
export function roomsFor(viewerId: string, snap: RoomsSnapshot): Room[] {
  const membersByRoom = new Map<string, RoomMemberEntity[]>();
  for (const m of snap.members) {
    const list = membersByRoom.get(m.roomId) ?? [];
    list.push(m);
    membersByRoom.set(m.roomId, list);
  }
  const out: { room: Room; at: number }[] = [];
  for (const room of snap.rooms) {
    const members = membersByRoom.get(room.id) ?? [];
    const me = members.find((m) => m.userId === viewerId);
    if (!me) continue;
    // Most recent activity first; a room without messages counts from its creation.
    out.push({ room: roomView(room, me, members, snap), at: (room.lastMessageAt ?? room.createdAt).getTime() });
  }
  return out.sort((a, b) => b.at - a.at || a.room.id.localeCompare(b.room.id)).map((r) => r.room);
}

function roomView(room: RoomEntity, me: RoomMemberEntity, members: RoomMemberEntity[], snap: RoomsSnapshot): Room {
  const last = snap.lastMessages.get(room.id);
  const visibleLast = last && last.seq > me.joinedSeq ? last : undefined;
  const lastReadSeq = Math.min(me.lastReadSeq, room.lastSeq);
  return {
    id: room.id,
    kind: room.kind,
    name: room.name,
    createdBy: room.createdBy,
    members: members.map((m) => memberView(m, snap)),
    lastSeq: room.lastSeq,
    lastReadSeq,
    unreadCount: Math.max(0, room.lastSeq - Math.max(lastReadSeq, me.joinedSeq) - (snap.deletedUnread.get(`${room.id}:${me.userId}`) ?? 0)),
    muted: me.muted,
    lastMessage: visibleLast ? toMessage(visibleLast, visibleLast.fileId ? snap.files.get(visibleLast.fileId) : null) : null,
    lastMessageAt: room.lastMessageAt ? room.lastMessageAt.toISOString() : null,
  };
}

function memberView(m: RoomMemberEntity, snap: RoomsSnapshot): RoomMember {
  const u = snap.users.get(m.userId) ?? DEPARTED;
  return { userId: m.userId, name: u.name, department: u.department, position: u.position, lastReadSeq: m.lastReadSeq, joinedAt: m.joinedAt.toISOString() };
}
