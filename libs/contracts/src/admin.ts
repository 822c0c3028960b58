import { z } from 'zod';
import { uuid } from './common';
import { ROOM_KINDS } from './rooms';
import { UserSchema } from './users';
import { ResetStatusSchema } from './users';

export const PendingUsersResponseSchema = z.object({ users: z.array(UserSchema) });

export const ResetRequestItemSchema = z.object({
  id: uuid(),
  user: UserSchema,
  status: ResetStatusSchema,
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** What the requester's screen shows (resetCheckCode): compare it with them before approving. */
  code: z.string(),
});
export type ResetRequestItem = z.infer<typeof ResetRequestItemSchema>;
export const ResetRequestListResponseSchema = z.object({ requests: z.array(ResetRequestItemSchema) });

export const AuditEntrySchema = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string().nullable(),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditListResponseSchema = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });

export const BackupItemSchema = z.object({
  kind: z.enum(['user', 'room']),
  name: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});
export type BackupItem = z.infer<typeof BackupItemSchema>;
export const BackupListResponseSchema = z.object({ backups: z.array(BackupItemSchema) });

/** A backup file's name: `<employeeId or roomId>-<timestamp>.json|.txt`, nothing that could leave its folder. */
export const BACKUP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.(json|txt)$/;
export const BackupParamSchema = z
  .object({ kind: BackupItemSchema.shape.kind, name: z.string().regex(BACKUP_NAME_PATTERN, 'not a backup file name') })
  .strict();

/** Admin: every chat room, searched by its name or a member's name; groups by name, then 1:1 chats. */
export const AdminRoomListQuerySchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    cursor: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const AdminRoomItemSchema = z.object({
  id: uuid(),
  kind: z.enum(ROOM_KINDS),
  name: z.string().nullable(),
  /** 0 for a group its last member left that is not removed yet. */
  memberCount: z.number().int(),
  /** The first few members' names, in name order (a 1:1 chat's two). */
  memberNames: z.array(z.string()),
  lastSeq: z.number().int(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AdminRoomItem = z.infer<typeof AdminRoomItemSchema>;
export const AdminRoomListResponseSchema = z.object({ rooms: z.array(AdminRoomItemSchema), nextCursor: z.string().nullable() });
