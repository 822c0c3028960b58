import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type CreateRoomRequest,
  type FileRef,
  type Message,
  type MessagePage,
  READS_GATHERED_ABOVE,
  type ReadPosition,
  type Room,
  type RoomDetailResponse,
  type RoomListQuery,
  type RoomListResponse,
  type SeqPageQuery,
  type SystemMessageBody,
} from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import { Batcher } from '../common/batcher';
import type { AuthContext } from '../common/auth-context';
import { MembershipRepository } from '../common/membership.repository';
import { MessageEntity, RoomEntity, type RoomMemberEntity } from '../database/entities';
import { DeletionService } from '../deletion/deletion.service';
import { newMessageId } from '../messages/message-id';
import { MessagesRepository } from '../messages/messages.repository';
import { toMessage, toMessages } from '../messages/message.view';
import { RealtimeService } from '../realtime/realtime.service';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { memberViewsOf, nextCursorOf, RoomListCursorSchema, roomList, roomsFor, roomViews } from './room.view';
import { type MemberUser, RoomsRepository, type RoomsSnapshot } from './rooms.repository';

/** What goes into a room's log; the seq and id are the log's to give. */
export interface NewMessage {
  senderId: string | null;
  clientId: string | null;
  kind: MessageEntity['kind'];
  body: string | null;
  fileId: string | null;
}

/** Size of the page a room opens with. */
const FIRST_PAGE = 50;

/** How long read positions in a large room are gathered before its members hear of them. */
export const READS_BATCH_MS = 1000;

/** Rooms: 1:1 and group rooms, their members, read pointers, history, and the room log every message goes through. */
@Injectable()
export class RoomsService implements OnModuleDestroy {
  private readonly log = new Logger('Rooms');

  /**
   * Read positions in rooms of more than READS_GATHERED_ABOVE members, keyed by room and
   * member, each member's highest: when a thousand read a notice, every member hears one
   * `reads` a second instead of a thousand `read`s (item 41 in docs/BENCHMARKS.md).
   */
  private readonly largeRoomReads = new Batcher<string, { roomId: string; userId: string; lastReadSeq: number }>(
    READS_BATCH_MS,
    (held, next) => (next.lastReadSeq > held.lastReadSeq ? next : held),
    (batch) => this.tellReads([...batch.values()]),
    (err) => this.log.warn(`telling read positions failed: ${String(err)}`),
  );

  constructor(
    private readonly rooms: RoomsRepository,
    private readonly messages: MessagesRepository,
    private readonly membership: MembershipRepository,
    private readonly realtime: RealtimeService,
    private readonly deletion: DeletionService,
  ) {}

  /** What is gathered is told before the process stops (the positions are stored already; a client that misses them gets them at its next sync). */
  async onModuleDestroy(): Promise<void> {
    await this.largeRoomReads.flush().catch((err: unknown) => this.log.warn(`telling read positions failed: ${String(err)}`));
    this.largeRoomReads.stop();
  }

  /**
   * My rooms, most recent activity first, with every member's profile once: all of them, or a
   * page of `limit` after `cursor`. Three statements whatever the number of rooms; only the
   * page's rooms are read, and the unread total counts them all.
   */
  async list(auth: AuthContext, query: RoomListQuery = {}): Promise<RoomListResponse> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(RoomListCursorSchema, query.cursor);
    const rows = await this.rooms.listPage(auth.userId, cursor && { at: new Date(cursor.at), id: cursor.id }, query.limit);
    const next = nextCursorOf(rows);
    return roomList(rows, next ? encodeCursor(next) : null);
  }

  /** One room as I see it, with its members' read positions and the latest page of messages. */
  async detail(auth: AuthContext, roomId: string): Promise<RoomDetailResponse> {
    const me = await this.membership.requireMember(auth, roomId);
    const [room, page] = await Promise.all([this.viewFor(auth.userId, roomId), this.page(me, { after: me.joinedSeq, limit: FIRST_PAGE, from: 'newest' })]);
    return { room, ...page };
  }

  /** History by keyset: `before` pages back, `after` pages forward; never before I joined. */
  async history(auth: AuthContext, roomId: string, q: SeqPageQuery): Promise<MessagePage> {
    const me = await this.membership.requireMember(auth, roomId);
    if (q.after !== undefined) return this.page(me, { after: Math.max(q.after, me.joinedSeq), before: q.before, limit: q.limit, from: 'oldest' });
    return this.page(me, { after: me.joinedSeq, before: q.before, limit: q.limit, from: 'newest' });
  }

  /** The 1:1 room with that user (opened on first use) and its latest page. */
  async openDirect(auth: AuthContext, userId: string): Promise<RoomDetailResponse> {
    const room = await this.directRoom(auth, userId);
    return this.detail(auth, room.id);
  }

  /** The caller's 1:1 room with another active user, created (and announced to both) on first use. */
  async directRoom(auth: AuthContext, otherId: string): Promise<RoomEntity> {
    if (otherId === auth.userId) throw new AppError('VALIDATION_FAILED', 'You cannot open a 1:1 chat with yourself.');
    const existing = await this.rooms.findDirect(auth.userId, otherId);
    if (existing) return existing;
    const [other] = await this.rooms.activeUsers([otherId]);
    if (!other) throw new AppError('USER_NOT_FOUND', 'That user does not exist or is not approved yet.');
    const { room, created } = await this.rooms.getOrCreateDirect(auth.userId, otherId);
    if (created) this.announceNewRoom(room.id, [auth.userId, otherId], await this.rooms.snapshot([room.id]));
    return room;
  }

  /** A group of the caller and the listed active users, opened by a `created` system message. */
  async createGroup(auth: AuthContext, dto: CreateRoomRequest): Promise<Room> {
    const memberIds = [...new Set([auth.userId, ...dto.memberIds])];
    const roomId = randomUUID();
    const message = await this.rooms.transaction(async (em) => {
      const users = await this.requireActive(memberIds, em);
      const room: RoomEntity = Object.assign(new RoomEntity(), {
        id: roomId,
        kind: 'group' as const,
        name: dto.name,
        directKey: null,
        createdBy: auth.userId,
        lastSeq: 0,
        lastMessageAt: null,
        createdAt: new Date(),
        deletedAt: null,
      });
      await this.rooms.insertGroup(room, em);
      const others = users.filter((u) => u.id !== auth.userId);
      const { message: created } = await this.append(em, roomId, systemMessage(auth, 'created', others, dto.name));
      await this.rooms.addMembers(roomId, memberIds, 0, created.seq, em);
      return created;
    });
    this.announceNewRoom(roomId, memberIds, await this.rooms.snapshot([roomId]));
    this.announceMessage('group', memberIds, message);
    return this.viewFor(auth.userId, roomId);
  }

  /** Members add more members to a group; those already in are skipped. */
  async invite(auth: AuthContext, roomId: string, userIds: readonly string[]): Promise<Room> {
    await this.membership.requireMember(auth, roomId);
    const result = await this.rooms.transaction(async (em) => {
      await this.rooms.lockRoom(roomId, em);
      await this.membership.requireMember(auth, roomId, em);
      await this.requireGroup(roomId, em);
      const current = await this.membership.memberIds(roomId, em);
      const newIds = [...new Set(userIds)].filter((id) => !current.includes(id));
      if (newIds.length === 0) return null;
      const users = await this.requireActive(newIds, em);
      const { message: invited } = await this.append(em, roomId, systemMessage(auth, 'invited', users, null), { readerId: auth.userId });
      // Newcomers see the room from their invitation on, with nothing unread.
      await this.rooms.addMembers(roomId, newIds, invited.seq - 1, invited.seq, em);
      return { invited, current, newIds };
    });
    if (!result) return this.viewFor(auth.userId, roomId);
    // One read of the room serves the newcomers, those already in and the answer.
    const snap = await this.rooms.snapshot([roomId]);
    this.announceNewRoom(roomId, result.newIds, snap);
    this.realtime.toUsers(result.current, 'room_changed', { roomId, joined: memberViewsOf(roomId, result.newIds, snap) });
    this.announceMessage('group', [...result.current, ...result.newIds], result.invited);
    return this.viewIn(auth.userId, snap);
  }

  /**
   * Leave a group: a `left` system message, then my membership is gone. The last member out
   * takes the room with them: it is backed up and deleted as DELETE /api/delete-chat-room does.
   */
  async leave(auth: AuthContext, roomId: string): Promise<void> {
    await this.membership.requireMember(auth, roomId);
    const { left, remaining } = await this.rooms.transaction(async (em) => {
      await this.rooms.lockRoom(roomId, em);
      await this.membership.requireMember(auth, roomId, em);
      await this.requireGroup(roomId, em);
      const { message } = await this.append(em, roomId, systemMessage(auth, 'left', [], null));
      await this.rooms.removeMember(roomId, auth.userId, em);
      return { left: message, remaining: await this.membership.memberIds(roomId, em) };
    });
    this.realtime.toUsers([auth.userId], 'room_deleted', { roomId });
    if (remaining.length === 0) {
      await this.deletion.deleteAbandonedRoom(auth, roomId);
      return;
    }
    this.announceMessage('group', remaining, left);
    this.realtime.toUsers(remaining, 'room_changed', { roomId, left: [auth.userId] });
  }

  /** Any member may rename a group; every member hears of it. */
  async rename(auth: AuthContext, roomId: string, name: string): Promise<Room> {
    await this.membership.requireMember(auth, roomId);
    const memberIds = await this.rooms.transaction(async (em) => {
      await this.membership.requireMember(auth, roomId, em);
      await this.requireGroup(roomId, em);
      await this.rooms.rename(roomId, name, em);
      return this.membership.memberIds(roomId, em);
    });
    this.realtime.toUsers(memberIds, 'room_changed', { roomId, name });
    return this.viewFor(auth.userId, roomId);
  }

  /** Mute or unmute notifications of a room, for me (all my devices). */
  async mute(auth: AuthContext, roomId: string, muted: boolean): Promise<Room> {
    await this.membership.requireMember(auth, roomId);
    await this.rooms.setMuted(roomId, auth.userId, muted);
    const room = await this.viewFor(auth.userId, roomId);
    this.realtime.toUsers([auth.userId], 'room_updated', { room });
    return room;
  }

  /** Move my read pointer forward (to the end when no seq is given); it never moves back or past the end. */
  async markRead(auth: AuthContext, roomId: string, seq?: number): Promise<{ roomId: string; lastReadSeq: number }> {
    const me = await this.membership.requireMember(auth, roomId);
    const room = await this.rooms.findRoom(roomId);
    const lastSeq = room?.lastSeq ?? 0;
    const target = Math.min(seq ?? lastSeq, lastSeq);
    const lastReadSeq = target > me.lastReadSeq ? await this.rooms.advanceRead(roomId, auth.userId, target) : me.lastReadSeq;
    if (lastReadSeq > me.lastReadSeq) {
      // One more than a small room holds tells the two apart; a large room's members are read once per batch, not once per reader.
      const memberIds = await this.membership.memberIdsUpTo(roomId, READS_GATHERED_ABOVE + 1);
      if (memberIds.length > READS_GATHERED_ABOVE) this.largeRoomReads.add(`${roomId}:${auth.userId}`, { roomId, userId: auth.userId, lastReadSeq });
      else this.realtime.toUsers(memberIds, 'read', { roomId, userId: auth.userId, lastReadSeq });
    }
    return { roomId, lastReadSeq };
  }

  /** One `reads` per room to the room's members as they are now, encoded once. */
  private async tellReads(positions: readonly { roomId: string; userId: string; lastReadSeq: number }[]): Promise<void> {
    const byRoom = new Map<string, ReadPosition[]>();
    for (const { roomId, userId, lastReadSeq } of positions) {
      let list = byRoom.get(roomId);
      if (!list) byRoom.set(roomId, (list = []));
      list.push({ userId, lastReadSeq });
    }
    for (const [roomId, reads] of byRoom) this.realtime.toUsers(await this.membership.memberIds(roomId), 'reads', { roomId, reads });
  }

  /**
   * Append to a room's log inside the caller's transaction: take the next seq (locking the
   * room), run `afterLock`, insert, attach the file, and move the writer's own read pointer.
   * The caller checks access, before or in `afterLock`.
   */
  async append(
    em: EntityManager,
    roomId: string,
    input: NewMessage,
    opts: { readerId?: string; afterLock?: () => Promise<void>; attach?: (messageId: string) => Promise<FileRef> } = {},
  ): Promise<{ message: Message; kind: RoomEntity['kind'] }> {
    const at = new Date();
    const { lastSeq: seq, kind } = await this.rooms.nextSeq(roomId, at, em);
    // Checks that must see every commit before ours (a twin send, a membership change) go here.
    await opts.afterLock?.();
    const entity: MessageEntity = Object.assign(new MessageEntity(), { id: newMessageId(), roomId, seq, ...input, createdAt: at, deletedAt: null });
    await this.messages.insert(entity, em);
    const file = opts.attach ? await opts.attach(entity.id) : null;
    // The sender (or the actor of a system message) has read what they wrote.
    const reader = input.senderId ?? opts.readerId;
    if (reader) await this.rooms.moveReadPointer(roomId, reader, seq, em);
    // Joins and departures do not count as unread for members who were up to date.
    if (input.kind === 'system') await this.rooms.carryCaughtUpReaders(roomId, seq, em);
    return { message: { ...toMessage(entity, null), file }, kind };
  }

  /**
   * Push a committed message to every member's sockets, the sender's other devices included;
   * not to `fromSocket`, the socket that sent it, which gets it in its ack.
   */
  announceMessage(kind: RoomEntity['kind'], memberIds: readonly string[], message: Message, fromSocket?: string): void {
    this.realtime.toUsersExcept(fromSocket, memberIds, kind === 'direct' ? 'new_message' : 'group_message', message);
  }

  /** Each listed newcomer gets the whole room as they see it: one emit for each different view. */
  private announceNewRoom(roomId: string, userIds: readonly string[], snap: RoomsSnapshot): void {
    for (const { room, viewerIds } of roomViews(roomId, userIds, snap)) this.realtime.toUsers(viewerIds, 'room_created', { room });
  }

  private async viewFor(userId: string, roomId: string): Promise<Room> {
    return this.viewIn(userId, await this.rooms.snapshot([roomId], userId));
  }

  private viewIn(userId: string, snap: RoomsSnapshot): Room {
    const [room] = roomsFor(userId, snap);
    if (!room) throw new AppError('ROOM_NOT_MEMBER', 'You are not a member of that chat room.');
    return room;
  }

  private async page(me: RoomMemberEntity, w: { after: number; before?: number; limit: number; from: 'newest' | 'oldest' }): Promise<MessagePage> {
    const { messages, hasMore } = await this.messages.page(me.roomId, w);
    return { messages: toMessages(messages, await this.messages.filesOf(messages)), hasMore };
  }

  private async requireGroup(roomId: string, em: EntityManager): Promise<RoomEntity> {
    const room = await this.rooms.findRoom(roomId, em);
    if (!room) throw new AppError('ROOM_NOT_FOUND', 'That chat room does not exist (it may have been deleted).');
    if (room.kind !== 'group') throw new AppError('VALIDATION_FAILED', 'A 1:1 chat has exactly two members; start a group chat to add people.');
    return room;
  }

  private async requireActive(ids: readonly string[], em: EntityManager): Promise<MemberUser[]> {
    const users = await this.rooms.activeUsers(ids, em);
    if (users.length !== new Set(ids).size) {
      const found = new Set(users.map((u) => u.id));
      const missing = ids.filter((id) => !found.has(id));
      throw new AppError('USER_NOT_FOUND', 'Some of the chosen people do not exist or are not approved yet.', { userIds: missing });
    }
    return users;
  }
}

function systemMessage(auth: AuthContext, event: SystemMessageBody['event'], users: readonly MemberUser[], roomName: string | null): NewMessage {
  const body: SystemMessageBody = { event, actor: { id: auth.userId, name: auth.name }, users: users.map((u) => ({ id: u.id, name: u.name })), roomName };
  return { senderId: null, clientId: null, kind: 'system', body: JSON.stringify(body), fileId: null };
}
