import { z } from 'zod';
import { uuid } from './common';
import { MessageSchema } from './messages';

export const ROOM_KINDS = ['direct', 'group'] as const;

export const RoomMemberSchema = z.object({
  userId: uuid(),
  name: z.string(),
  department: z.string(),
  position: z.string(),
  lastReadSeq: z.number().int(),
  /** Sent with one room (detail, room events); the room list leaves it out. */
  joinedAt: z.string().optional(),
});
export type RoomMember = z.infer<typeof RoomMemberSchema>;

/** A member as the room list carries them; their profile is in the list's `people`, once for the whole list. */
export const RoomListMemberSchema = RoomMemberSchema.pick({ userId: true, lastReadSeq: true });
export type RoomListMember = z.infer<typeof RoomListMemberSchema>;

/** What a room shows of a member; a member with no profile here is a deleted account. */
export const PersonSchema = z.object({ id: uuid(), name: z.string(), department: z.string(), position: z.string() });
export type Person = z.infer<typeof PersonSchema>;

export const RoomSchema = z.object({
  id: uuid(),
  kind: z.enum(ROOM_KINDS),
  name: z.string().nullable(),
  createdBy: uuid().nullable(),
  members: z.array(RoomMemberSchema),
  lastSeq: z.number().int(),
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
  muted: z.boolean(),
  lastMessage: MessageSchema.nullable(),
  lastMessageAt: z.string().nullable(),
});
export type Room = z.infer<typeof RoomSchema>;

/** A room in the list: members compact, their profiles in the list's `people`. */
export const RoomListItemSchema = RoomSchema.extend({ members: z.array(RoomListMemberSchema) });
export type RoomListItem = z.infer<typeof RoomListItemSchema>;

/**
 * GET /api/chat-rooms: without `limit`, every room in one answer; with it, pages most recent
 * activity first, `cursor` being the previous page's `nextCursor`.
 */
export const RoomListQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export type RoomListQuery = z.infer<typeof RoomListQuerySchema>;

/**
 * My rooms, most recent activity first, and the profile of every member of them. `totalUnread`
 * counts every room of mine, not only this page's (the badge); `nextCursor` is null on the last page.
 */
export const RoomListResponseSchema = z.object({
  rooms: z.array(RoomListItemSchema),
  people: z.array(PersonSchema),
  totalUnread: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type RoomListResponse = z.infer<typeof RoomListResponseSchema>;

/**
 * The list's rooms with each member's profile filled in from `people`. A member without one (a
 * deleted account) gets `departedName`.
 */
export function expandRoomList(list: Pick<RoomListResponse, 'rooms'> & { people?: readonly Person[] }, departedName = ''): Room[] {
  const people = new Map((list.people ?? []).map((p) => [p.id, p]));
  return list.rooms.map((r) => ({
    ...r,
    members: r.members.map((m) => {
      const p = people.get(m.userId);
      return { userId: m.userId, name: p?.name ?? departedName, department: p?.department ?? '', position: p?.position ?? '', lastReadSeq: m.lastReadSeq };
    }),
  }));
}

export const RoomDetailResponseSchema = z.object({
  room: RoomSchema,
  messages: z.array(MessageSchema),
  hasMore: z.boolean(),
});
export type RoomDetailResponse = z.infer<typeof RoomDetailResponseSchema>;

export const CreateRoomRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    memberIds: z.array(uuid()).min(1).max(500),
  })
  .strict();
export type CreateRoomRequest = z.infer<typeof CreateRoomRequestSchema>;
export const RoomResponseSchema = z.object({ room: RoomSchema });

export const InviteRequestSchema = z.object({ userIds: z.array(uuid()).min(1).max(500) }).strict();
export const RenameRoomRequestSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const MuteRequestSchema = z.object({ muted: z.boolean() }).strict();
export const MarkReadRequestSchema = z.object({ seq: z.number().int().min(0).optional() }).strict();
export const MarkReadResponseSchema = z.object({ roomId: uuid(), lastReadSeq: z.number().int() });
export const RoomIdParamSchema = z.object({ roomId: uuid() }).strict();
export const UserIdParamSchema = z.object({ userId: uuid() }).strict();
