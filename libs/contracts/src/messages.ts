import { z } from 'zod';
import { uuid } from './common';

/** Longest message body, in characters. */
export const MAX_BODY_LENGTH = 10_000;

export const FileRefSchema = z.object({
  id: uuid(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  hasPreview: z.boolean().optional(),
});
export type FileRef = z.infer<typeof FileRefSchema>;

export const MESSAGE_KINDS = ['text', 'file', 'system'] as const;

export const MessageSchema = z.object({
  id: uuid(),
  roomId: uuid(),
  seq: z.number().int(),
  senderId: uuid().nullable(),
  clientId: z.string().nullable(),
  kind: z.enum(MESSAGE_KINDS),
  body: z.string().nullable(),
  file: FileRefSchema.nullable(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

/** The client's own key for a send, given back exactly as it came (not one of the server's ids). */
export const ClientIdSchema = z.uuid();

export const SYSTEM_EVENTS = ['created', 'invited', 'left'] as const;

/**
 * The body of a `system` message, as JSON text: who did what to whom. Clients render it in
 * their own language; the names are the ones at the time of the event.
 */
export const SystemMessageBodySchema = z.object({
  event: z.enum(SYSTEM_EVENTS),
  actor: z.object({ id: uuid(), name: z.string() }),
  users: z.array(z.object({ id: uuid(), name: z.string() })),
  roomName: z.string().nullable(),
});
export type SystemMessageBody = z.infer<typeof SystemMessageBodySchema>;

/** A system message's body read back; null when the text is not one (never throws). */
export function parseSystemBody(text: string | null): SystemMessageBody | null {
  if (!text) return null;
  try {
    const parsed = SystemMessageBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Send to a room, or to a user (opens or reuses the 1:1 room). */
export const SendMessageRequestSchema = z
  .object({
    roomId: uuid().optional(),
    toUserId: uuid().optional(),
    clientId: ClientIdSchema,
    body: z.string().max(MAX_BODY_LENGTH).optional(),
    fileId: uuid().optional(),
  })
  .strict()
  .refine((v) => (v.roomId === undefined) !== (v.toUserId === undefined), {
    message: 'give exactly one of roomId and toUserId',
    path: ['roomId'],
  })
  .refine((v) => (v.body !== undefined && v.body.trim().length > 0) || v.fileId !== undefined, {
    message: 'a message needs a body or a file',
    path: ['body'],
  });
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;
export const SendMessageResponseSchema = z.object({ message: MessageSchema });

export const MessagePageSchema = z.object({
  messages: z.array(MessageSchema),
  hasMore: z.boolean(),
});
export type MessagePage = z.infer<typeof MessagePageSchema>;
