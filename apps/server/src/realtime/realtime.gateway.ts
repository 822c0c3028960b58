import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  type Ack,
  AuthenticateEventSchema,
  ChatEventSchema,
  type ClientToServerEvents,
  DeleteMessageEventSchema,
  type ErrorBody,
  type PresenceChange,
  ReadEventSchema,
  type ServerToClientEvents,
  SyncEventSchema,
  TypingEventSchema,
  WatchPresenceEventSchema,
} from '@hi-msg/contracts';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AccessResolver } from '../auth/auth.guard';
import { SessionsRepository } from '../auth/sessions.repository';
import { AppError, messageOf, toErrorBody } from '../common/app-error';
import { Batcher } from '../common/batcher';
import type { AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { ContactsRepository } from './contacts.repository';
import { EventWindow } from './event-window';
import { PRESENCE_STORE, type PresenceStore, presenceChannel } from './presence.store';
import { RealtimeService, userChannel } from './realtime.service';

interface SocketData {
  auth: AuthContext;
  /** When the socket's session was last found live. */
  checkedAt: number;
  /** What the socket has left of its event budget. */
  events: EventWindow;
}
type HiSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HiServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Events a socket may send per second, in a burst; more answer RATE_LIMITED. */
export const SOCKET_EVENTS_PER_SECOND = 30;
/** How stale a socket's "session is live" check may get before it is made again. */
const SESSION_RECHECK_MS = 15_000;
/**
 * A socket that would follow more people than this follows everyone instead: one Socket.IO room
 * rather than one per person, so people who all follow each other (an all-staff room, the
 * directory) cost memory in proportion to sockets, not to their square.
 */
export const FOLLOW_EVERYONE_AFTER = 200;
/** How long comings and goings are gathered before their followers hear of them. */
export const PRESENCE_BATCH_MS = 1000;
/** The Socket.IO room of the sockets that follow everyone's presence. */
const PRESENCE_EVERYONE = 'presence:*';

/** Answers one client event on one socket; never rejects (a failure is the ack's error envelope). */
type EventHandler = (socket: HiSocket, payload: unknown) => Promise<Ack<object>>;

/**
 * A listener's arguments as Socket.IO passes them: the ack is the last one when it is a
 * function; one argument before it is the payload, several are an array (which no schema takes).
 */
function payloadAndAck(args: unknown[]): { payload: unknown; ack: ((res: Ack<object>) => void) | undefined } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (res: Ack<object>) => void) : undefined;
  const count = ack ? args.length - 1 : args.length;
  return { payload: count === 1 ? args[0] : count === 0 ? undefined : args.slice(0, count), ack };
}

/** The error a refused handshake carries: its message is the code, its data the envelope body. */
function handshakeError(err: unknown): Error {
  const { body } = toErrorBody(err);
  return Object.assign(new Error(body.code), { data: body });
}

/**
 * The Socket.IO side of the product. Authenticates at the handshake, keeps each user's sockets
 * in one channel, and turns every client event into a service call: rate limited, parsed with
 * the contracts' schema, authorized by the service, answered with an ack in the envelope's shape.
 * Events are plain Socket.IO listeners rather than Nest message handlers: a send is the hottest
 * path there is, and Nest's per-event pipeline (observables, guards, pipes and interceptors this
 * gateway does not use) cost more CPU than the parsing, the limit and the ack together.
 */
@WebSocketGateway({ cors: { origin: true } })
export class RealtimeGateway implements OnGatewayInit<HiServer>, OnGatewayConnection<HiSocket>, OnGatewayDisconnect<HiSocket>, OnModuleDestroy {
  private readonly log = new Logger('Realtime');
  private sweep: NodeJS.Timeout | undefined;
  private server: HiServer | undefined;

  constructor(
    private readonly access: AccessResolver,
    private readonly sessions: SessionsRepository,
    private readonly realtime: RealtimeService,
    private readonly messages: MessagesService,
    private readonly rooms: RoomsService,
    private readonly contacts: ContactsRepository,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
  ) {}

  afterInit(server: HiServer): void {
    this.server = server;
    this.realtime.attach(server as unknown as Server);
    // Comings and goings found by the store itself (a process that crashed or left, a stall):
    // their followers, on any process, hear it from here, at once (a process leaving is told
    // before its sockets close).
    this.presence.onChange((userIds, online) => this.tellPresence(userIds.map((userId) => ({ userId, online }))));
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.access.resolve(typeof token === 'string' ? token : undefined).then(
        (auth) => {
          socket.data.auth = auth;
          socket.data.checkedAt = Date.now();
          socket.data.events = new EventWindow(SOCKET_EVENTS_PER_SECOND, 1000);
          next();
        },
        (err: unknown) => next(handshakeError(err)),
      );
    });
    // Idle sockets too lose access soon after their session is revoked or their account removed.
    this.sweep = setInterval(() => void this.recheckSessions(), SESSION_RECHECK_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.presenceChanges.stop();
  }

  /**
   * Comings and goings of this process's users, told a batch at a time, each as they stand when
   * it goes (read from the store, so two processes never leave a stale state last). A user who
   * comes and goes within one batch is told once.
   */
  private readonly presenceChanges = new Batcher<string, true>(
    PRESENCE_BATCH_MS,
    () => true,
    async (batch) => {
      const userIds = [...batch.keys()];
      const online = new Set(await this.presence.onlineAmong(userIds));
      this.tellPresence(userIds.map((userId) => ({ userId, online: online.has(userId) })));
    },
    (err) => this.log.warn(`telling presence failed: ${String(err)}`),
  );

  /** One event, encoded once, to every socket that follows any of these users or everyone. */
  private tellPresence(users: PresenceChange[]): void {
    if (users.length === 0) return;
    this.server?.to([PRESENCE_EVERYONE, ...users.map((u) => presenceChannel(u.userId))]).emit('presence', { users });
  }

  /**
   * Presence goes only to those who care: a socket follows the users it shares a room with (and
   * those it asks to watch), gets a snapshot of just them, and its user's comings and goings go to
   * their followers. Nothing here grows with the number of people online.
   */
  async handleConnection(socket: HiSocket): Promise<void> {
    // Nest drops the promise: a failure here (the presence store or the database unreachable)
    // would be an unhandled rejection, which ends the process. The socket goes instead; the
    // client reconnects and tries again.
    try {
      await this.connect(socket);
    } catch (err) {
      this.log.error(`a connection could not be set up, so it was closed: ${messageOf(err)}`);
      socket.disconnect(true);
    }
  }

  async handleDisconnect(socket: HiSocket): Promise<void> {
    try {
      await this.disconnect(socket);
    } catch (err) {
      this.log.error(`presence not updated for a closed socket: ${messageOf(err)}`);
    }
  }

  private async connect(socket: HiSocket): Promise<void> {
    // Listening before the first await, so no event the client sends once connected goes unheard.
    for (const [event, listener] of this.listeners) socket.on(event, listener);
    const { userId } = socket.data.auth;
    await socket.join(userChannel(userId));
    const contacts = await this.contacts.of(userId);
    const first = await this.presence.connect(userId, socket.id);
    // Gone while we were counting it: take it back out, or the user would stay online forever.
    if (socket.disconnected) {
      await this.disconnect(socket);
      return;
    }
    const online = await this.follow(socket, contacts);
    socket.emit('user_list', { users: [userId, ...online].map((id) => ({ userId: id })) });
    if (first) this.presenceChanges.add(userId, true);
  }

  private async disconnect(socket: HiSocket): Promise<void> {
    const auth = socket.data.auth as AuthContext | undefined;
    if (!auth) return;
    if (await this.presence.disconnect(auth.userId, socket.id)) this.presenceChanges.add(auth.userId, true);
  }

  /**
   * Follow these users' presence on this socket; which of them are online now. Joined before the
   * store is read, so a change after the read arrives as `presence` and none falls in between.
   * Past FOLLOW_EVERYONE_AFTER people the socket follows everyone.
   */
  private async follow(socket: HiSocket, userIds: readonly string[]): Promise<string[]> {
    // A closed socket has left its rooms for good; joining now would keep them forever.
    if (socket.disconnected || userIds.length === 0) return [];
    if (!socket.rooms.has(PRESENCE_EVERYONE)) {
      // Its own room and its user's are not people.
      const followed = socket.rooms.size - 2;
      if (followed + userIds.length > FOLLOW_EVERYONE_AFTER) {
        await socket.join(PRESENCE_EVERYONE);
        // Those it followed one by one are among everyone now.
        for (const room of [...socket.rooms]) if (room !== PRESENCE_EVERYONE && room.startsWith(presenceChannel(''))) await socket.leave(room);
      } else {
        await socket.join(userIds.map(presenceChannel));
      }
    }
    return this.presence.onlineAmong(userIds);
  }

  /** Each client event and how it is answered. */
  private readonly handlers: Record<keyof ClientToServerEvents, EventHandler> = {
    chat: (socket, payload) => this.run(socket, ChatEventSchema, payload, async (auth, dto) => ({ message: await this.messages.send(auth, dto, socket.id) })),
    read: (socket, payload) =>
      this.run(socket, ReadEventSchema, payload, async (auth, dto) => {
        const { lastReadSeq } = await this.rooms.markRead(auth, dto.roomId, dto.seq);
        return { lastReadSeq };
      }),
    delete_message: (socket, payload) => this.run(socket, DeleteMessageEventSchema, payload, async (auth, dto) => ({ message: await this.messages.delete(auth, dto.messageId) })),
    sync: (socket, payload) => this.run(socket, SyncEventSchema, payload, (auth, dto) => this.messages.sync(auth, dto)),
    // Typing has no ack of its own: a refusal comes back as an `error` event (and the ack, if one was given).
    typing: async (socket, payload) => {
      const res = await this.run(socket, TypingEventSchema, payload, async (auth, dto) => {
        await this.messages.typing(auth, dto.roomId, dto.typing);
        return {};
      });
      if (!res.ok) socket.emit('error', res.error);
      return res;
    },
    // A fresh access token for the same user on a live socket (the old one is about to expire):
    // the one event a socket whose session check is due may still send.
    authenticate: (socket, payload) =>
      this.run(
        socket,
        AuthenticateEventSchema,
        payload,
        async (_auth, { token }) => {
          const auth = await this.access.resolve(token);
          if (auth.userId !== socket.data.auth.userId) throw new AppError('FORBIDDEN', 'That token belongs to someone else; log in again on this socket.');
          socket.data.auth = auth;
          socket.data.checkedAt = Date.now();
          return {};
        },
        false,
      ),
    // People the client shows who share no room with its user (the directory): presence follows for them too.
    watch_presence: (socket, payload) =>
      this.run(socket, WatchPresenceEventSchema, payload, async (_auth, dto) => {
        return { online: await this.follow(socket, [...new Set(dto.userIds)]) };
      }),
  };

  /**
   * One listener per event, shared by every socket (Socket.IO calls it with the socket as
   * `this`), so a connection costs no closures. The ack, when given, gets the handler's answer.
   */
  private readonly listeners = Object.entries(this.handlers).map(([event, handle]) => {
    const log = this.log;
    const listener = function (this: HiSocket, ...args: unknown[]): void {
      const { payload, ack } = payloadAndAck(args);
      handle(this, payload)
        .then(ack)
        .catch((err: unknown) => log.error(`answering ${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    };
    return [event as keyof ClientToServerEvents, listener] as const;
  });

  /**
   * Rate limit, re-check the session when due (unless `recheckSession` is false), parse, then
   * run; every failure becomes `{ ok: false, error }` and the socket stays usable.
   */
  private async run<S extends z.ZodType, R extends object>(
    socket: HiSocket,
    schema: S,
    payload: unknown,
    fn: (auth: AuthContext, dto: z.output<S>) => Promise<R>,
    recheckSession = true,
  ): Promise<Ack<R>> {
    try {
      const now = Date.now();
      const waitMs = socket.data.events.take(now);
      if (waitMs > 0) throw new AppError('RATE_LIMITED', 'Too many messages at once. Wait a moment and try again.', { retryAfterMs: waitMs });
      if (recheckSession && now - socket.data.checkedAt >= SESSION_RECHECK_MS) await this.ensureLive(socket);
      return { ok: true, ...(await fn(socket.data.auth, parse(schema, payload))) };
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status >= 500) this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      return { ok: false, error: body satisfies ErrorBody };
    }
  }

  /** A revoked session or removed account closes the socket. */
  private async ensureLive(socket: HiSocket): Promise<void> {
    if (await this.stillLive(socket)) return;
    throw new AppError('UNAUTHENTICATED', 'Your session has ended. Log in again.');
  }

  /** Whether the socket's session is still live; a dead one is told why and closed. `cache` shares answers within one sweep. */
  private async stillLive(socket: HiSocket, cache?: Map<string, Promise<boolean>>): Promise<boolean> {
    const { auth } = socket.data;
    let check = cache?.get(auth.sessionId);
    if (!check) {
      check = this.sessions.findLive(auth.sessionId, auth.userId).then((live) => live !== null && live.user.status === 'active');
      cache?.set(auth.sessionId, check);
    }
    if (await check) {
      socket.data.checkedAt = Date.now();
      return true;
    }
    socket.emit('session_revoked', { reason: 'Your session has ended. Log in again.' });
    socket.disconnect(true);
    return false;
  }

  /** Re-check the sessions of sockets not checked lately (all of them when forced) and close the dead ones; one query per session. */
  async recheckSessions(force = false): Promise<void> {
    const sockets = this.server ? [...this.server.of('/').sockets.values()] : [];
    const cache = new Map<string, Promise<boolean>>();
    for (const socket of sockets) {
      if (socket.connected && (force || Date.now() - socket.data.checkedAt >= SESSION_RECHECK_MS)) {
        await this.stillLive(socket, cache).catch((err: unknown) => this.log.warn(`session re-check failed: ${String(err)}`));
      }
    }
  }
}
