import { z } from 'zod';
import type { Message, Person, Room, RoomListItem, RoomListMember, RoomListResponse, RoomMember } from '@hi-msg/contracts';
import type { RoomEntity, RoomMemberEntity } from '../database/entities';
import { toMessage } from '../messages/message.view';
import { type RawDate, rawIso, type RoomListRow, type RoomListRows, type RoomOrderRow, type RoomsSnapshot } from './rooms.repository';

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

/** One page of the viewer's rooms, chosen from all their memberships. */
export interface RoomListPage {
  /** The page's rooms in list order, with their ordering and counting columns. */
  rooms: RoomOrderRow[];
  next: RoomListCursor | null;
  /** Unread messages over every room of the viewer, not only this page's. */
  totalUnread: number;
}

/** 'YYYY-MM-DD HH:MM:SS[.mmm]', SQLite's form of a datetime column (UTC). */
const SQLITE_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?$/;

/** A raw date column as milliseconds since the epoch, without building a Date for SQLite's common form. */
function rawMillis(v: RawDate): number {
  if (v instanceof Date) return v.getTime();
  const m = SQLITE_TIME.exec(v);
  if (!m) return Date.parse(rawIso(v));
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ? +m[7].padEnd(3, '0') : 0);
}

/**
 * Order every membership by most recent activity (a room without messages counts from its
 * creation), then by id, and take `limit` of them after `after`; without a limit, all of them.
 */
export function pageRooms(order: readonly RoomOrderRow[], after: RoomListCursor | undefined, limit: number | undefined): RoomListPage {
  let totalUnread = 0;
  const keyed: { at: number; row: RoomOrderRow }[] = [];
  const afterAt = after ? Date.parse(after.at) : 0;
  for (const row of order) {
    totalUnread += unreadOf(row);
    const at = rawMillis(row.activity);
    if (!after || at < afterAt || (at === afterAt && row.id > after.id)) keyed.push({ at, row });
  }
  keyed.sort((a, b) => b.at - a.at || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
  const taken = limit === undefined ? keyed : keyed.slice(0, limit);
  const last = taken[taken.length - 1];
  return { rooms: taken.map((k) => k.row), next: last && taken.length < keyed.length ? { at: new Date(last.at).toISOString(), id: last.row.id } : null, totalUnread };
}

function unreadOf(r: RoomOrderRow): number {
  return unreadCount(Number(r.lastSeq), Number(r.myLastReadSeq), Number(r.myJoinedSeq), Number(r.deletedUnread));
}

/**
 * The page as the client gets it: members as ids and read positions, and each profile once in
 * `people`. Members whose account is gone have no profile.
 */
export function roomList(page: RoomListPage, rows: RoomListRows, nextCursor: string | null): RoomListResponse {
  const membersByRoom = new Map<string, RoomListMember[]>();
  const people = new Map<string, Person>();
  for (const m of rows.members) {
    let list = membersByRoom.get(m.roomId);
    if (!list) membersByRoom.set(m.roomId, (list = []));
    list.push({ userId: m.userId, lastReadSeq: Number(m.lastReadSeq) });
    if (m.name !== null && !people.has(m.userId)) people.set(m.userId, { id: m.userId, name: m.name, department: m.department ?? '', position: m.position ?? '' });
  }
  const shown = new Map(rows.rooms.map((r) => [r.id, r]));
  const rooms: RoomListItem[] = [];
  for (const o of page.rooms) {
    const r = shown.get(o.id);
    // A room left between the statements is not shown.
    if (r) rooms.push(listItem(o, r, membersByRoom.get(r.id) ?? []));
  }
  return { rooms, people: [...people.values()], totalUnread: page.totalUnread, nextCursor };
}

function listItem(o: RoomOrderRow, r: RoomListRow, members: RoomListMember[]): RoomListItem {
  const lastSeq = Number(o.lastSeq);
  const lastReadSeq = Math.min(Number(o.myLastReadSeq), lastSeq);
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    createdBy: r.createdBy,
    members,
    lastSeq,
    lastReadSeq,
    unreadCount: unreadOf(o),
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
