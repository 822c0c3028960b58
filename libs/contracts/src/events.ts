import { z } from 'zod';
import { uuid } from './common';
import type { ErrorBody } from './errors';
import { type Message, SendMessageRequestSchema } from './messages';
import type { Room, RoomMember } from './rooms';

/** Largest socket payload the server accepts, in bytes. */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

export const ChatEventSchema = SendMessageRequestSchema;
export const AuthenticateEventSchema = z.object({ token: z.string().min(1).max(4096) }).strict();
export const ReadEventSchema = z.object({ roomId: uuid(), seq: z.number().int().min(0) }).strict();
export const TypingEventSchema = z.object({ roomId: uuid(), typing: z.boolean() }).strict();
export const DeleteMessageEventSchema = z.object({ messageId: uuid() }).strict();

/** One user's presence as a `presence` event tells it. */
export interface PresenceChange {
  userId: string;
  online: boolean;
}

/** Most users one `watch_presence` may name; a longer list goes in several. */
export const MAX_WATCH_PRESENCE_IDS = 500;
/** Follow these users' presence on this socket (people shown who share no room with the caller). */
export const WatchPresenceEventSchema = z.object({ userIds: z.array(uuid()).min(1).max(MAX_WATCH_PRESENCE_IDS) }).strict();

/** Ask for everything after the seq the client holds in each room. */
export const SyncEventSchema = z
  .object({
    rooms: z
      .array(z.object({ roomId: uuid(), afterSeq: z.number().int().min(0) }).strict())
      .max(2000),
    limit: z.number().int().min(1).max(500).default(200),
    /** The serverTime of the client's previous sync: tombstones of messages it already holds, deleted since then, come back too. */
    deletedSince: z.iso.datetime().optional(),
  })
  .strict();
export type SyncRequest = z.input<typeof SyncEventSchema>;

export interface SyncRoomResult {
  roomId: string;
  /** Messages after afterSeq, in seq order, tombstones included. */
  messages: Message[];
  hasMore: boolean;
  /** Messages at or before afterSeq deleted since deletedSince, as tombstones. */
  deleted: Message[];
  readPositions: ReadPosition[];
}
export interface SyncResult {
  rooms: SyncRoomResult[];
  /** Rooms the client did not list (new since it last synced) or no longer belongs to. */
  addedRoomIds: string[];
  removedRoomIds: string[];
  /** Pass back as deletedSince on the next sync. */
  serverTime: string;
  /**
   * More deletions since deletedSince than one answer holds: `serverTime` then marks the last
   * one told (not the time now), and a sync with it as deletedSince tells the rest.
   */
  deletedHasMore: boolean;
}

export interface OnlineUser {
  userId: string;
}

/** One member's read position as `reads` tells it. */
export interface ReadPosition {
  userId: string;
  lastReadSeq: number;
}

/** Rooms with more members than this tell read positions in batches (`reads`), not one by one. */
export const READS_GATHERED_ABOVE = 50;

export interface ReadPayload {
  roomId: string;
  userId: string;
  lastReadSeq: number;
}

/**
 * What changed in a room its members already hold: only the changed parts, the same for every
 * member, so a room of 1,000 is not sent whole to each of them for a new name. A member who
 * missed it (offline) gets the whole room with the room list on reconnecting.
 */
export interface RoomChange {
  roomId: string;
  /** The room's new name. */
  name?: string;
  /** Members who came in, as the room shows them. */
  joined?: RoomMember[];
  /** Ids of members who went out. */
  left?: string[];
}

export interface ClientToServerEvents {
  chat: (payload: z.input<typeof ChatEventSchema>, ack: (res: Ack<{ message: Message }>) => void) => void;
  authenticate: (payload: z.input<typeof AuthenticateEventSchema>, ack: (res: Ack<object>) => void) => void;
  read: (payload: z.input<typeof ReadEventSchema>, ack: (res: Ack<{ lastReadSeq: number }>) => void) => void;
  typing: (payload: z.input<typeof TypingEventSchema>) => void;
  delete_message: (payload: z.input<typeof DeleteMessageEventSchema>, ack: (res: Ack<{ message: Message }>) => void) => void;
  sync: (payload: SyncRequest, ack: (res: Ack<SyncResult>) => void) => void;
  /**
   * The ack names which of the ids are online now; `presence` follows for each of them until the
   * socket closes. A socket that follows many people follows everyone from then on.
   */
  watch_presence: (payload: z.input<typeof WatchPresenceEventSchema>, ack: (res: Ack<{ online: string[] }>) => void) => void;
}

export interface ServerToClientEvents {
  chat: (message: Message) => void;
  new_message: (message: Message) => void;
  group_message: (message: Message) => void;
  message_deleted: (message: Message) => void;
  read: (payload: ReadPayload) => void;
  /**
   * In a room of more than READS_GATHERED_ABOVE members, read positions are gathered for a
   * moment and told together instead of one `read` each: every member's latest in that moment.
   */
  reads: (payload: { roomId: string; reads: ReadPosition[] }) => void;
  typing: (payload: { roomId: string; userId: string; typing: boolean }) => void;
  /** On connect: the online users among those sharing a room with this user, and the user. */
  user_list: (payload: { users: OnlineUser[] }) => void;
  /**
   * Users whose first device came or last device went, gathered over a moment, each as they
   * stand now. Sent to the sockets that follow any of them (a contact, a watcher, or a socket
   * that follows everyone), so it may name others too.
   */
  presence: (payload: { users: PresenceChange[] }) => void;
  room_created: (payload: { room: Room }) => void;
  /** The room as this user sees it, after a change of theirs (mute) made on another of their devices. */
  room_updated: (payload: { room: Room }) => void;
  /** A rename, members coming in or going out, told to the members who hold the room already. */
  room_changed: (payload: RoomChange) => void;
  room_deleted: (payload: { roomId: string }) => void;
  /** An admin deleted this account; its messages stay, shown as from a departed employee. */
  user_deleted: (payload: { userId: string }) => void;
  /** Admins only: a signup or a password reset waits for a decision. */
  admin_pending: (payload: { kind: 'signup' | 'reset'; count: number }) => void;
  /** The server is about to close this socket, and why. */
  session_revoked: (payload: { reason: string }) => void;
  error: (payload: ErrorBody) => void;
}
