import { z } from 'zod';
import type { Message, Person, Room, RoomListItem, RoomListMember, RoomListResponse, RoomMember } from '@hi-msg/contracts';
import type { RoomEntity, RoomMemberEntity } from '../database/entities';
import { toMessage } from '../messages/message.view';
import { rawIso, type RoomListRow, type RoomListRows, type RoomsSnapshot } from './rooms.repository';

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
    unreadCount: unreadCount(room.lastSeq, lastReadSeq, me.joinedSeq, snap.deletedUnread.get(`${room.id}:${me.userId}`) ?? 0),
    muted: me.muted,
    lastMessage: visibleLast ? toMessage(visibleLast, visibleLast.fileId ? snap.files.get(visibleLast.fileId) : null) : null,
    lastMessageAt: room.lastMessageAt ? room.lastMessageAt.toISOString() : null,
  };
}

function memberView(m: RoomMemberEntity, snap: RoomsSnapshot): RoomMember {
  const u = snap.users.get(m.userId) ?? DEPARTED;
  return { userId: m.userId, name: u.name, department: u.department, position: u.position, lastReadSeq: m.lastReadSeq, joinedAt: m.joinedAt.toISOString() };
}

/** Messages after my read position and after I joined, less the deleted ones among them. */
export function unreadCount(lastSeq: number, lastReadSeq: number, joinedSeq: number, deletedUnread: number): number {
  return Math.max(0, lastSeq - Math.max(Math.min(lastReadSeq, lastSeq), joinedSeq) - deletedUnread);
}

/** Where a page of the room list ended: the last room's activity (ISO 8601) and id. */
export const RoomListCursorSchema = z.object({ at: z.iso.datetime(), id: z.string().max(64) }).strict();
export type RoomListCursor = z.infer<typeof RoomListCursorSchema>;

/** Where the next page starts: after the page's last room, or nowhere when nothing comes after it. */
export function nextCursorOf(rows: RoomListRows): RoomListCursor | null {
  const last = rows.rooms[rows.rooms.length - 1];
  return rows.more && last ? { at: rawIso(last.activity), id: last.id } : null;
}

function unreadOf(r: RoomListRow): number {
  return unreadCount(Number(r.lastSeq), Number(r.myLastReadSeq), Number(r.myJoinedSeq), Number(r.deletedUnread));
}

/**
 * The page as the client gets it: members as ids and read positions, and each profile once in
 * `people`. Members whose account is gone have no profile.
 */
export function roomList(rows: RoomListRows, nextCursor: string | null): RoomListResponse {
  const membersByRoom = new Map<string, RoomListMember[]>();
  const people = new Map<string, Person>();
  for (const m of rows.members) {
    let list = membersByRoom.get(m.roomId);
    if (!list) membersByRoom.set(m.roomId, (list = []));
    list.push({ userId: m.userId, lastReadSeq: Number(m.lastReadSeq) });
    if (m.name !== null && !people.has(m.userId)) people.set(m.userId, { id: m.userId, name: m.name, department: m.department ?? '', position: m.position ?? '' });
  }
  const rooms = rows.rooms.map((r) => listItem(r, membersByRoom.get(r.id) ?? []));
  return { rooms, people: [...people.values()], totalUnread: rows.totalUnread, nextCursor };
}

function listItem(r: RoomListRow, members: RoomListMember[]): RoomListItem {
  const lastSeq = Number(r.lastSeq);
  const lastReadSeq = Math.min(Number(r.myLastReadSeq), lastSeq);
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    createdBy: r.createdBy,
    members,
    lastSeq,
    lastReadSeq,
    unreadCount: unreadOf(r),
    muted: Boolean(r.muted),
    lastMessage: r.mId ? lastMessageOf(r, Number(r.lastSeq)) : null,
    lastMessageAt: r.lastMessageAt === null ? null : rawIso(r.lastMessageAt),
  };
}

/** The same shape `toMessage` gives, from the joined columns; a tombstone has no body or file. */
function lastMessageOf(r: RoomListRow, seq: number): Message {
  const deleted = r.mDeletedAt !== null;
  return {
    id: r.mId!,
    roomId: r.id,
    seq,
    senderId: r.mSenderId,
    clientId: r.mClientId,
    kind: r.mKind!,
    body: deleted ? null : r.mBody,
    file: deleted || r.fName === null ? null : { id: r.mFileId!, name: r.fName, mime: r.fMime!, size: Number(r.fSize), hasPreview: r.fThumbPath !== null },
    createdAt: rawIso(r.mCreatedAt!),
    deletedAt: deleted ? rawIso(r.mDeletedAt!) : null,
  };
}
