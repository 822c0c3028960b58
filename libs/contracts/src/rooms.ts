import { z } from 'zod';
import { MessageSchema } from './messages';

export const ROOM_KINDS = ['direct', 'group'] as const;

export const RoomMemberSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  department: z.string(),
  position: z.string(),
  lastReadSeq: z.number().int(),
  joinedAt: z.string(),
});
export type RoomMember = z.infer<typeof RoomMemberSchema>;

export const RoomSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ROOM_KINDS),
  name: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  members: z.array(RoomMemberSchema),
  lastSeq: z.number().int(),
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
  muted: z.boolean(),
  lastMessage: MessageSchema.nullable(),
  lastMessageAt: z.string().nullable(),
});
export type Room = z.infer<typeof RoomSchema>;

export const RoomListResponseSchema = z.object({ rooms: z.array(RoomSchema) });
export type RoomListResponse = z.infer<typeof RoomListResponseSchema>;

export const RoomDetailResponseSchema = z.object({
  room: RoomSchema,
  messages: z.array(MessageSchema),
  hasMore: z.boolean(),
});
export type RoomDetailResponse = z.infer<typeof RoomDetailResponseSchema>;

export const CreateRoomRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    memberIds: z.array(z.uuid()).min(1).max(500),
  })
  .strict();
export type CreateRoomRequest = z.infer<typeof CreateRoomRequestSchema>;
export const RoomResponseSchema = z.object({ room: RoomSchema });

export const InviteRequestSchema = z.object({ userIds: z.array(z.uuid()).min(1).max(500) }).strict();
export const RenameRoomRequestSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const MuteRequestSchema = z.object({ muted: z.boolean() }).strict();
export const MarkReadRequestSchema = z.object({ seq: z.number().int().min(0).optional() }).strict();
export const MarkReadResponseSchema = z.object({ roomId: z.uuid(), lastReadSeq: z.number().int() });
export const RoomIdParamSchema = z.object({ roomId: z.uuid() }).strict();
export const UserIdParamSchema = z.object({ userId: z.uuid() }).strict();
