import { z } from 'zod';
import type { Message, Person, Room, RoomListItem, RoomListMember, RoomListResponse, RoomMember } from '@hi-msg/contracts';
import type { MessageEntity, RoomEntity, RoomMemberEntity } from '../database/entities';
import { toMessage } from '../messages/message.view';
import { rawIso, type RoomListRow, type RoomListRows, type RoomsSnapshot } from './rooms.repository';

/** A departed employee still shows in old rooms' read positions, under this name. */
const DEPARTED = { name: '(퇴사자)', department: '', position: '' };

/** What every member of a room sees alike, built once however many members it is shown to. */
interface SharedRoom {
  room: RoomEntity;
  members: RoomMemberEntity[];
  views: RoomMember[];
  last: MessageEntity | undefined;
  lastView: Message | null;
}

/** The snapshot's rooms with their members, each member's view made once. */
function sharedRooms(snap: RoomsSnapshot): SharedRoom[] {
  const membersByRoom = new Map<string, RoomMemberEntity[]>();
  for (const m of snap.members) {
    let list = membersByRoom.get(m.roomId);
    if (!list) membersByRoom.set(m.roomId, (list = []));
    list.push(m);
  }
  return snap.rooms.map((room) => {
    const members = membersByRoom.get(room.id) ?? [];
    const last = snap.lastMessages.get(room.id);
    return { room, members, views: members.map((m) => memberView(m, snap)), last, lastView: last ? toMessage(last, last.fileId ? snap.files.get(last.fileId) : null) : null };
  });
}

/** Each room of the snapshot as one viewer sees it: their read pointer, unread count, mute and visible last message. */
export function roomsFor(viewerId: string, snap: RoomsSnapshot): Room[] {
  const out: { room: Room; at: number }[] = [];
  for (const shared of sharedRooms(snap)) {
    const me = shared.members.find((m) => m.userId === viewerId);
    if (!me) continue;
    // Most recent activity first; a room without messages counts from its creation.
    out.push({ room: roomView(shared, me, snap), at: (shared.room.lastMessageAt ?? shared.room.createdAt).getTime() });
  }
  return out.sort((a, b) => b.at - a.at || a.room.id.localeCompare(b.room.id)).map((r) => r.room);
}

/**
 * One room of the snapshot as each listed member sees it, those who see it alike together, so
 * that each different view is built and sent (and encoded) once: in a room of 1,000 most
 * members share a read position, and a view carries all 1,000 members. Listed users who are
 * not members are left out.
 */
export function roomViews(roomId: string, viewerIds: readonly string[], snap: RoomsSnapshot): { room: Room; viewerIds: string[] }[] {
  const shared = sharedRooms(snap).find((r) => r.room.id === roomId);
  if (!shared) return [];
  const byUser = new Map(shared.members.map((m) => [m.userId, m]));
  const groups = new Map<string, { room: Room; viewerIds: string[] }>();
  for (const viewerId of new Set(viewerIds)) {
    const me = byUser.get(viewerId);
    if (!me) continue;
    const room = roomView(shared, me, snap);
    const key = `${room.lastReadSeq}:${room.unreadCount}:${room.muted}:${room.lastMessage !== null}`;
    const group = groups.get(key);
    if (group) group.viewerIds.push(viewerId);
    else groups.set(key, { room, viewerIds: [viewerId] });
  }
  return [...groups.values()];
}

/** The listed members of one room of the snapshot as the room shows them, in the room's order. */
export function memberViewsOf(roomId: string, userIds: readonly string[], snap: RoomsSnapshot): RoomMember[] {
  const wanted = new Set(userIds);
  return snap.members.filter((m) => m.roomId === roomId && wanted.has(m.userId)).map((m) => memberView(m, snap));
}

function roomView({ room, views, last, lastView }: SharedRoom, me: RoomMemberEntity, snap: RoomsSnapshot): Room {
  const lastReadSeq = Math.min(me.lastReadSeq, room.lastSeq);
  return {
    id: room.id,
    kind: room.kind,
    name: room.name,
    createdBy: room.createdBy,
    members: views,
    lastSeq: room.lastSeq,
    lastReadSeq,
    unreadCount: unreadCount(room.lastSeq, lastReadSeq, me.joinedSeq, snap.deletedUnread.get(`${room.id}:${me.userId}`) ?? 0),
    muted: me.muted,
    lastMessage: last && last.seq > me.joinedSeq ? lastView : null,
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
