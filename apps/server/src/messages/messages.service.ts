import { Injectable } from '@nestjs/common';
import type { Message, SendMessageRequest, SyncEventSchema, SyncResult, SyncRoomResult } from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { MembershipRepository, notMember, roomNotFound } from '../common/membership.repository';
import { MessageEntity } from '../database/entities';
import { FilesService } from '../files/files.service';
import { RealtimeService } from '../realtime/realtime.service';
import { isUniqueViolation } from '../database/driver-errors';
import { RoomsRepository } from '../rooms/rooms.repository';
import { RoomsService } from '../rooms/rooms.service';
import { newMessageId } from './message-id';
import { toMessage, toMessages } from './message.view';
import { MessagesRepository } from './messages.repository';
import { SendRepository, sendKey } from './send.repository';

/** How far before the client's last sync deletions are looked for again. */
const SYNC_CLOCK_SLACK_MS = 60_000;
/** Most tombstones one sync reports; a client further behind reloads its rooms. */
const MAX_SYNC_DELETIONS = 1000;

/** Thrown inside the send transaction to roll it back when the clientId is already stored. */
class AlreadyStored extends Error {
  constructor() {
    super('already stored');
  }
}

/** Sends taken into one transaction at most; more wait for the next. */
const MAX_BATCH = 64;
/** Send transactions committing at once in this process; while they run, new sends gather into the next. */
const MAX_BATCHES_IN_FLIGHT = 8;

interface SendInput {
  auth: AuthContext;
  /** The socket the send came on; it learns of the message from its ack, not from the broadcast. */
  fromSocket?: string;
  roomId: string;
  clientId: string;
  body: string | null;
  fileId: string | null;
}

interface QueuedSend extends SendInput {
  /** `${senderId} ${clientId}`: one send per key in a batch, and the key a stored twin is found by. */
  key: string;
  resolve(message: Message): void;
  reject(err: unknown): void;
}

/** A committed send, ready to be announced. */
interface Sent {
  message: Message;
  kind: 'direct' | 'group';
  memberIds: string[];
}

function newMessage(s: SendInput, seq: number, at: Date): MessageEntity {
  const m = new MessageEntity();
  m.id = newMessageId();
  m.roomId = s.roomId;
  m.seq = seq;
  m.senderId = s.auth.userId;
  m.clientId = s.clientId;
  m.kind = s.fileId ? 'file' : 'text';
  m.body = s.body;
  m.fileId = s.fileId;
  m.createdAt = at;
  m.deletedAt = null;
  return m;
}

/** Answer a queued send with how its promise ends. */
function settle(s: QueuedSend, result: Promise<Message>): Promise<void> {
  return result.then(s.resolve, s.reject);
}

/** Sending, deleting and catching up on messages. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly rooms: RoomsRepository,
    private readonly roomLog: RoomsService,
    private readonly membership: MembershipRepository,
    private readonly files: FilesService,
    private readonly realtime: RealtimeService,
    private readonly log: SendRepository,
  ) {}

  private readonly queue: QueuedSend[] = [];
  private draining = false;
  private batchesInFlight = 0;

  /**
   * Send once per (sender, clientId): a retry, even one racing the first attempt, gets the
   * stored message back. Answers only after commit; then every member's sockets hear of it.
   * Sends that arrive while earlier ones are committing share one transaction (one commit to
   * wait for instead of many); a send with a file goes alone.
   */
  async send(auth: AuthContext, dto: SendMessageRequest, fromSocket?: string): Promise<Message> {
    const roomId = dto.roomId ?? (await this.roomLog.directRoom(auth, dto.toUserId!)).id;
    const { clientId } = dto;
    const body = dto.body ?? null;
    const fileId = dto.fileId ?? null;
    if (fileId) return this.sendAlone({ auth, fromSocket, roomId, clientId, body, fileId });
    return new Promise<Message>((resolve, reject) => {
      this.queue.push({ auth, fromSocket, roomId, clientId, body, fileId, key: sendKey(auth.userId, clientId), resolve, reject });
      this.drain();
    });
  }

  /** Start the next batch when a slot is free; sends arriving in the same turn of the event loop join it. */
  private drain(): void {
    if (this.draining || this.batchesInFlight >= MAX_BATCHES_IN_FLIGHT || this.queue.length === 0) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      const batch = this.queue.splice(0, MAX_BATCH);
      if (batch.length === 0) return;
      this.batchesInFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.batchesInFlight -= 1;
        this.drain();
      });
      this.drain();
    });
  }

  private async runBatch(batch: readonly QueuedSend[]): Promise<void> {
    const leaders = new Map<string, QueuedSend>();
    const twins: QueuedSend[] = [];
    for (const s of batch) {
      if (leaders.has(s.key)) twins.push(s);
      else leaders.set(s.key, s);
    }
    if (leaders.size === 1 && twins.length === 0) return settle(batch[0]!, this.sendAlone(batch[0]!));
    let outcomes: Map<QueuedSend, Sent | Error>;
    try {
      outcomes = await this.rooms.transaction((em) => this.appendBatch([...leaders.values()], em));
    } catch {
      // The batch failed as a whole (a twin raced in from another room or process, a deadlock
      // outlasted its retries): each send on its own, which answers each one rightly.
      await Promise.all(batch.map((s) => settle(s, this.sendAlone(s))));
      return;
    }
    for (const [s, outcome] of outcomes) {
      if (outcome instanceof AlreadyStored) await settle(s, this.storedOrThrow(s).then((m) => this.announceAgain(m, s.fromSocket)));
      else if (outcome instanceof Error) s.reject(outcome);
      else {
        this.roomLog.announceMessage(outcome.kind, outcome.memberIds, outcome.message, s.fromSocket);
        s.resolve(outcome.message);
      }
    }
    // A second send of the same (sender, clientId) in one batch answers with what the first stored.
    await Promise.all(twins.map((s) => settle(s, this.sendAlone(s))));
  }

  /**
   * One transaction for several sends: lock their rooms, read members and stored twins, then
   * append every accepted message. A refused send (no room, not a member, already stored) takes
   * no seq and does not hold back the others.
   */
  private async appendBatch(sends: readonly QueuedSend[], em: EntityManager): Promise<Map<QueuedSend, Sent | Error>> {
    const at = new Date();
    const { rooms, stored } = await this.log.lockRooms(
      sends.map((s) => s.roomId),
      sends.map((s) => ({ senderId: s.auth.userId, clientId: s.clientId })),
      em,
    );
    const outcomes = new Map<QueuedSend, Sent | Error>();
    const appended: MessageEntity[] = [];
    for (const s of sends) {
      const room = rooms.get(s.roomId);
      if (!room) outcomes.set(s, roomNotFound());
      else if (stored.has(s.key)) outcomes.set(s, new AlreadyStored());
      else if (!room.memberIds.includes(s.auth.userId)) outcomes.set(s, notMember());
      else {
        room.lastSeq += 1;
        const entity = newMessage(s, room.lastSeq, at);
        appended.push(entity);
        outcomes.set(s, { message: toMessage(entity, null), kind: room.kind, memberIds: room.memberIds });
      }
    }
    await this.log.appendMany(appended, at, em);
    return outcomes;
  }

  /** One send in its own transaction: four statements, the seq straight from its UPDATE. */
  private async sendAlone(input: SendInput): Promise<Message> {
    const { auth, roomId, fileId } = input;
    let sent: Sent;
    try {
      sent = await this.rooms.transaction(async (em) => {
        const at = new Date();
        const taken = await this.log.takeSeq(roomId, auth.userId, input.clientId, at, em);
        if (!taken) throw roomNotFound();
        // Under the room's lock, a twin of this send that committed first is visible, and so is every membership change.
        const { seq, context: ctx } = taken;
        if (ctx.storedId) throw new AlreadyStored();
        if (!ctx.senderIsMember) throw notMember();
        const entity = newMessage(input, seq, at);
        await this.log.insert(entity, em);
        const file = fileId ? await this.files.attachToMessage(auth, fileId, entity.id, em) : null;
        return { message: { ...toMessage(entity, null), file }, kind: ctx.kind, memberIds: ctx.memberIds };
      });
    } catch (err) {
      // A retry of a stored message, or a twin racing into another room: answer with the stored one.
      const raced = err instanceof AlreadyStored || isUniqueViolation(err) ? await this.stored(auth.userId, input.clientId) : null;
      if (raced) return this.announceAgain(raced, input.fromSocket);
      throw err;
    }
    this.roomLog.announceMessage(sent.kind, sent.memberIds, sent.message, input.fromSocket);
    return sent.message;
  }

  /**
   * A retry of a message stored already is told to the members again: the first attempt's
   * broadcast may never have gone out (its process stopped right after the commit, or the event
   * was lost between processes). Clients keep one copy of a message, so a second hearing is harmless.
   */
  private async announceAgain(message: Message, fromSocket: string | undefined): Promise<Message> {
    const room = await this.rooms.findRoom(message.roomId);
    if (room) this.roomLog.announceMessage(room.kind, await this.membership.memberIds(message.roomId), message, fromSocket);
    return message;
  }

  private async storedOrThrow(s: SendInput): Promise<Message> {
    const m = await this.stored(s.auth.userId, s.clientId);
    if (!m) throw new Error(`message ${s.clientId} was seen stored and is gone`);
    return m;
  }

  /** Turn my own message into a tombstone (seq kept, body and file gone) and tell every member. */
  async delete(auth: AuthContext, messageId: string): Promise<Message> {
    const found = await this.messages.findById(messageId);
    if (!found) throw new AppError('MESSAGE_NOT_FOUND', 'That message does not exist.');
    if (found.senderId !== auth.userId) throw new AppError('NOT_MESSAGE_SENDER', 'You can only delete messages you sent.');
    await this.membership.requireMember(auth, found.roomId);
    if (found.deletedAt) return toMessage(found, null);
    const { message, removeBytes } = await this.rooms.transaction(async (em) => {
      const removeBytes = await this.files.removeForMessage(messageId, em);
      const at = new Date();
      await this.messages.tombstone(messageId, at, em);
      return { message: toMessage({ ...found, body: null, fileId: null, deletedAt: at }, null), removeBytes };
    });
    await removeBytes();
    this.realtime.toUsers(await this.membership.memberIds(found.roomId), 'message_deleted', message);
    return message;
  }

  /**
   * Catch-up after a reconnect: for each room the client lists, what came after its seq
   * (tombstones included), paged, with everyone's read positions; plus the rooms it should
   * add or drop. Only rooms the caller belongs to are read.
   */
  async sync(auth: AuthContext, req: z.output<typeof SyncEventSchema>): Promise<SyncResult> {
    const mine = new Map((await this.membership.membershipsOf(auth.userId)).map((m) => [m.roomId, m]));
    const asked = new Map(req.rooms.map((r) => [r.roomId, r.afterSeq]));
    const addedRoomIds = [...mine.keys()].filter((id) => !asked.has(id));
    const removedRoomIds = [...asked.keys()].filter((id) => !mine.has(id));
    const roomIds = [...asked.keys()].filter((id) => mine.has(id));
    const [rooms, members] = await Promise.all([this.rooms.roomsByIds(roomIds), this.rooms.membersOf(roomIds)]);
    const lastSeq = new Map(rooms.map((r) => [r.id, r.lastSeq]));
    const pages = new Map<string, { messages: MessageEntity[]; hasMore: boolean }>();
    for (const roomId of roomIds) {
      const after = Math.max(asked.get(roomId)!, mine.get(roomId)!.joinedSeq);
      // Only rooms that moved past the client's seq cost a query.
      if ((lastSeq.get(roomId) ?? 0) > after) pages.set(roomId, await this.messages.page(roomId, { after, limit: req.limit, from: 'oldest' }));
    }
    const serverTime = new Date();
    // Deletions the client missed among messages it already holds. The window reaches back a
    // little before its last sync, so clocks of several server processes need not agree exactly.
    const tombstones = req.deletedSince ? await this.messages.deletedSince(roomIds, new Date(Date.parse(req.deletedSince) - SYNC_CLOCK_SLACK_MS), MAX_SYNC_DELETIONS) : [];
    const deleted = tombstones.filter((m) => m.seq <= asked.get(m.roomId)! && m.seq > mine.get(m.roomId)!.joinedSeq);
    // A full answer may have left deletions out: the next sync starts at the last one told (the
    // slack it takes off is added here, or a minute of more than a full answer would come back
    // again and again), not from now.
    const deletedHasMore = tombstones.length === MAX_SYNC_DELETIONS;
    const toldUpTo = deletedHasMore ? new Date(tombstones[tombstones.length - 1]!.deletedAt!.getTime() + SYNC_CLOCK_SLACK_MS) : serverTime;
    const files = await this.messages.filesOf([...pages.values()].flatMap((p) => p.messages));
    const result: SyncRoomResult[] = roomIds.map((roomId) => {
      const page = pages.get(roomId);
      return {
        roomId,
        messages: page ? toMessages(page.messages, files) : [],
        hasMore: page?.hasMore ?? false,
        deleted: toMessages(
          deleted.filter((m) => m.roomId === roomId),
          new Map(),
        ),
        readPositions: members.filter((m) => m.roomId === roomId).map((m) => ({ userId: m.userId, lastReadSeq: m.lastReadSeq })),
      };
    });
    return { rooms: result, addedRoomIds, removedRoomIds, serverTime: toldUpTo.toISOString(), deletedHasMore };
  }

  /** Tell the room's other members that I am typing (or stopped). */
  async typing(auth: AuthContext, roomId: string, typing: boolean): Promise<void> {
    await this.membership.requireMember(auth, roomId);
    const others = (await this.membership.memberIds(roomId)).filter((id) => id !== auth.userId);
    this.realtime.toUsers(others, 'typing', { roomId, userId: auth.userId, typing });
  }

  private async stored(senderId: string, clientId: string): Promise<Message | null> {
    const m = await this.messages.findByClientId(senderId, clientId);
    return m ? this.withFile(m) : null;
  }

  private async withFile(m: MessageEntity): Promise<Message> {
    return toMessages([m], await this.messages.filesOf([m]))[0]!;
  }
}
