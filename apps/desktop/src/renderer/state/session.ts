import { ALLOWED_EXTENSIONS, expandRoomList, MAX_FILE_BYTES, MAX_WATCH_PRESENCE_IDS, type ClientToServerEvents, type ErrorCode, type Message, type ReadPosition, type Room, type ServerToClientEvents, type SyncResult, type User } from '@hi-msg/contracts';
import { io, type Socket } from 'socket.io-client';
import type { Platform } from '../../shared/platform';
import { ApiError, isErrorCode, type ApiClient, type UploadHandle } from '../api/client';
import { newClientId } from '../lib/format';
import { Outbox, type KeyValueStore } from '../lib/outbox';
import { applyReads, carryCaughtUp, totalUnread } from '../lib/receipts';
import { applyRoomChange, mergeListedRoom } from '../lib/room-change';
import { Store } from '../lib/store';
import { mergeMessages, type OutboxItem } from '../lib/timeline';

export type HiSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Upload {
  id: string;
  roomId: string;
  name: string;
  progress: number;
  error?: string;
}

export interface ChatState {
  me: User;
  rooms: Record<string, Room>;
  roomsLoaded: boolean;
  messages: Record<string, Message[]>;
  hasMore: Record<string, boolean>;
  outbox: OutboxItem[];
  /** Presence of the people this client follows (room members, people shown), for the current connection. */
  online: Record<string, boolean>;
  /** roomId → userId → when the indicator expires (ms since epoch). */
  typing: Record<string, Record<string, number>>;
  users: Record<string, User>;
  uploads: Upload[];
  connected: boolean;
  /** True once the socket has connected; the offline banner shows only after that. */
  wasConnected: boolean;
  dnd: boolean;
  activeRoomId: string | null;
  /** Admins: signups and resets waiting for a decision, as last announced by the server. */
  adminPending: number;
}

const DND_KEY = 'hiMsg.dnd';
const ACK_TIMEOUT_MS = 10_000;
const TYPING_TTL_MS = 6_000;
/** A refused handshake is tried again after 1.5 s, doubling while the server cannot renew the token, up to this. */
const HANDSHAKE_RETRY_MAX_MS = 30_000;
/** Rooms per page of the room list (the first page fills the screen many times over), and how many pages at most. */
const ROOM_PAGE = 50;
const MAX_ROOM_PAGES = 200;
/** Errors after which sending the same message again cannot succeed. */
const FINAL_SEND_ERRORS = new Set(['VALIDATION_FAILED', 'ROOM_NOT_FOUND', 'ROOM_NOT_MEMBER', 'FILE_NOT_FOUND', 'FILE_ALREADY_SENT', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE']);

/**
 * The name of a room as the user sees it: the group's name, or the other person in a 1:1. A
 * deleted account (a 1:1 partner gone, a member without a profile) shows as `unknownName`.
 */
export function roomTitle(room: Room, myId: string, unknownName = ''): string {
  if (room.kind === 'group') return room.name ?? room.members.map((m) => m.name || unknownName).join(', ');
  const other = room.members.find((m) => m.userId !== myId);
  return other?.name || room.name || unknownName;
}

export interface SessionDeps {
  api: ApiClient;
  platform: Platform;
  serverUrl: string;
  storage: KeyValueStore;
  /** Called when the server ends the session: revoked, or `account_deleted` when an admin deleted this account. */
  onSignedOut: (reason?: string) => void;
  /** A notification was clicked or the tray asked for a room. */
  onOpenRoom: (roomId: string) => void;
  translateNotify?: (m: Message, room: Room) => { title: string; body: string };
  /** The text of an admin's notice about a waiting signup or reset request. */
  translateAdminNotice?: (kind: 'signup' | 'reset') => { title: string; body: string };
  /**
   * A second window of the same app (Electron's admin window): the main window already owns the
   * badge, the notifications and the active room, so this one stays quiet.
   */
  quiet?: boolean;
  /** Injected in tests; the app uses socket.io-client. */
  connect?: (url: string, token: () => string) => HiSocket;
}

/**
 * Everything a signed-in user has: rooms, messages, the outbox and the one socket. Components
 * read `store`; actions go through the methods here.
 */
export class ChatSession {
  readonly store: Store<ChatState>;
  readonly socket: HiSocket;
  private readonly outbox: Outbox;
  private flushing = false;
  private unsubs: (() => void)[] = [];
  private lastBadge = -1;
  private stopped = false;
  /** Handshakes refused in a row, for the backoff. */
  private refusedHandshakes = 0;
  private handshakeRetry: ReturnType<typeof setTimeout> | undefined;
  /** Rooms whose skipped messages are being asked for, with where a further gap starts, to ask for next. */
  private readonly filling = new Map<string, number | null>();
  /** Uploads under way, by their row's id, so that one can be cancelled. */
  private readonly uploading = new Map<string, UploadHandle>();
  /** The server's clock at the last sync: deletions since then, among messages held, come back on the next. */
  private syncedAt: string | undefined;
  private typingTimer: ReturnType<typeof setInterval>;
  /** Everyone whose presence this client shows: members of its rooms and the people on screen. */
  private readonly wanted = new Set<string>();
  /** Of those, the ones asked for on the current connection (the server forgets with the socket). */
  private readonly watched = new Set<string>();

  constructor(private readonly deps: SessionDeps, me: User) {
    this.outbox = new Outbox(deps.storage, me.id);
    this.store = new Store<ChatState>({
      me,
      rooms: {},
      roomsLoaded: false,
      messages: {},
      hasMore: {},
      outbox: this.outbox.list(),
      online: {},
      typing: {},
      users: {},
      uploads: [],
      connected: false,
      wasConnected: false,
      dnd: deps.storage.getItem(DND_KEY) === '1',
      activeRoomId: null,
      adminPending: 0,
    });
    const connect = deps.connect ?? ((url, token) => io(url, { auth: (cb) => cb({ token: token() }), reconnectionDelayMax: 5000 }) as HiSocket);
    this.socket = connect(deps.serverUrl, () => deps.api.accessToken ?? '');
    this.wireSocket();
    if (!deps.quiet) this.unsubs.push(this.store.subscribe(() => this.syncBadge()));
    this.unsubs.push(deps.platform.onOpenRoom((roomId) => deps.onOpenRoom(roomId)));
    this.unsubs.push(deps.platform.onDoNotDisturbChanged((on) => this.setDnd(on, false)));
    deps.platform.setDoNotDisturb(this.store.get().dnd);
    const onOffline = () => this.socket.disconnect();
    const onOnline = () => this.socket.connect();
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    const onVisible = () => this.markActiveRead();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    this.unsubs.push(() => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    });
    this.typingTimer = setInterval(() => this.expireTyping(), 2000);
  }

  get me(): User {
    return this.store.get().me;
  }

  stop(): void {
    this.stopped = true;
    this.unsubs.forEach((u) => u());
    clearInterval(this.typingTimer);
    clearTimeout(this.handshakeRetry);
    for (const id of [...this.uploading.keys()]) this.cancelUpload(id);
    this.socket.removeAllListeners();
    this.socket.disconnect();
    if (this.deps.quiet) return;
    this.deps.platform.setBadgeCount(0);
    this.deps.platform.setActiveRoom(null);
  }

  /** The new access token goes to the live socket too. */
  reauthenticate(token: string): void {
    if (this.socket.connected) this.socket.emit('authenticate', { token }, () => undefined);
  }

  private wireSocket(): void {
    const s = this.socket;
    s.on('connect', () => {
      this.refusedHandshakes = 0;
      this.store.set({ connected: true, wasConnected: true });
      this.flushWatches();
      void this.afterConnect();
    });
    // Presence heard on a closed connection is stale; the next one brings it again.
    s.on('disconnect', () => {
      this.watched.clear();
      this.store.set({ connected: false, online: {} });
    });
    s.on('connect_error', () => {
      // A refused handshake is not retried by socket.io: renew the token and try again, backing
      // off while the server cannot renew it (restarting). A refused renewal ends the session.
      if (s.active || !navigator.onLine || this.stopped) return;
      clearTimeout(this.handshakeRetry);
      const wait = Math.min(HANDSHAKE_RETRY_MAX_MS, 1500 * 2 ** this.refusedHandshakes);
      this.refusedHandshakes += 1;
      this.handshakeRetry = setTimeout(() => {
        void this.deps.api.refresh().then(() => {
          if (!this.stopped && this.deps.api.refreshToken) s.connect();
        });
      }, wait);
    });
    const onMessage = (m: Message) => this.receive(m);
    s.on('new_message', onMessage);
    s.on('group_message', onMessage);
    s.on('chat', onMessage);
    s.on('message_deleted', (m) => this.messageDeleted(m));
    s.on('read', ({ roomId, userId, lastReadSeq }) => this.applyReadPositions(roomId, [{ userId, lastReadSeq }]));
    s.on('reads', ({ roomId, reads }) => this.applyReadPositions(roomId, reads));
    s.on('typing', ({ roomId, userId, typing }) => {
      if (userId === this.me.id) return;
      this.store.set((st) => {
        const room = { ...(st.typing[roomId] ?? {}) };
        if (typing) room[userId] = Date.now() + TYPING_TTL_MS;
        else delete room[userId];
        return { typing: { ...st.typing, [roomId]: room } };
      });
    });
    s.on('user_list', ({ users }) => this.store.set((st) => ({ online: { ...st.online, ...Object.fromEntries(users.map((u) => [u.userId, true])) } })));
    s.on('presence', ({ users }) => {
      this.store.set((st) => ({ online: { ...st.online, ...Object.fromEntries(users.map((u) => [u.userId, u.online])) } }));
      // Someone not in the directory came online: a newly approved colleague.
      const known = this.store.get().users;
      if (users.some((u) => u.online && u.userId !== this.me.id && !known[u.userId])) void this.loadUsers().catch(() => undefined);
    });
    s.on('room_created', ({ room }) => this.putRoom(room));
    s.on('room_updated', ({ room }) => this.putRoom(room));
    // A room not held yet comes whole with the room list or `room_created`.
    s.on('room_changed', (change) => {
      const room = this.store.get().rooms[change.roomId];
      if (room) this.putRoom(applyRoomChange(room, change));
    });
    s.on('room_deleted', ({ roomId }) => this.dropRoom(roomId));
    s.on('user_deleted', ({ userId }) => this.userDeleted(userId));
    s.on('admin_pending', ({ kind, count }) => {
      const grew = count > this.store.get().adminPending;
      this.store.set({ adminPending: count });
      if (grew && !this.deps.quiet && this.me.role === 'admin' && !this.store.get().dnd) {
        const text = this.deps.translateAdminNotice?.(kind) ?? { title: 'Hi_Msg', body: kind };
        this.deps.platform.notify({ roomId: 'admin', kind: 'admin', ...text });
      }
    });
    s.on('session_revoked', ({ reason }) => this.deps.onSignedOut(reason));
  }

  private async afterConnect(): Promise<void> {
    try {
      await this.syncMissed();
      await this.loadRooms();
    } catch (err) {
      console.warn('sync after connect failed', err);
    }
    await this.flushOutbox();
    this.markActiveRead();
  }

  /**
   * Ask for everything after the last seq held in each room whose messages are loaded, and the
   * deletions since the last sync; again while the server says it told only part of those.
   */
  private async syncMissed(): Promise<void> {
    for (let pass = 0; pass < 10 && (await this.syncPass()); pass += 1);
  }

  /** One catch-up; true when deletions remain to be asked for. */
  private async syncPass(): Promise<boolean> {
    let deletedHasMore = false;
    let pending = Object.entries(this.store.get().messages)
      .filter(([, list]) => list.length > 0)
      .map(([roomId, list]) => ({ roomId, afterSeq: list[list.length - 1]!.seq }));
    // Always one round, even with nothing held: it fixes the server time deletions are asked from.
    for (let round = 0; round < 20 && (round === 0 || pending.length > 0); round += 1) {
      const res = await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('sync', { rooms: pending, limit: 200, ...(round === 0 && this.syncedAt ? { deletedSince: this.syncedAt } : {}) });
      if (!res.ok) throw new ApiError(res.error.code, res.error.message);
      const result: SyncResult = res;
      if (round === 0) {
        this.syncedAt = result.serverTime;
        deletedHasMore = result.deletedHasMore === true;
      }
      const next: { roomId: string; afterSeq: number }[] = [];
      for (const r of result.rooms) {
        this.upsertMessages(r.roomId, [...r.deleted, ...r.messages]);
        this.applyReadPositions(r.roomId, r.readPositions);
        const list = this.store.get().messages[r.roomId] ?? [];
        if (r.hasMore && list.length > 0) next.push({ roomId: r.roomId, afterSeq: list[list.length - 1]!.seq });
      }
      for (const id of result.removedRoomIds) this.dropRoom(id);
      pending = next;
    }
    return deletedHasMore;
  }

  /**
   * My rooms, page by page, most recent first: the first page draws the list at once and the
   * rest follow. Once the last page is in, rooms held from before that the server no longer
   * lists are dropped; rooms that arrived by events meanwhile are kept.
   */
  async loadRooms(): Promise<void> {
    // Rooms held now, with their last seq: one that moves meanwhile may have jumped ahead of the
    // page being read (the list is ordered by activity) and is kept, not taken for gone.
    const before = new Map(Object.values(this.store.get().rooms).map((r) => [r.id, r.lastSeq]));
    const listed = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_ROOM_PAGES; page += 1) {
      const res = await this.deps.api.call('rooms', { query: { limit: ROOM_PAGE, ...(cursor ? { cursor } : {}) } });
      const rooms = expandRoomList(res);
      this.watchPresence(rooms.flatMap((r) => r.members.map((m) => m.userId)));
      for (const r of rooms) listed.add(r.id);
      this.store.set((st) => ({ rooms: { ...st.rooms, ...Object.fromEntries(rooms.map((r) => [r.id, mergeListedRoom(r, st.rooms[r.id], st.messages[r.id] ?? [], this.me.id)])) }, roomsLoaded: true }));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    this.store.set((st) => {
      const next = Object.fromEntries(Object.entries(st.rooms).filter(([id, r]) => listed.has(id) || !before.has(id) || r.lastSeq > before.get(id)!));
      return { rooms: next, messages: pick(st.messages, next), hasMore: pick(st.hasMore, next) };
    });
    this.deps.platform.setMutedRooms(
      Object.values(this.store.get().rooms)
        .filter((r) => r.muted)
        .map((r) => r.id),
    );
  }

  async loadUsers(): Promise<void> {
    const all: User[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i += 1) {
      const page = await this.deps.api.call('users', { query: { limit: 200, cursor } });
      all.push(...page.users);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    this.store.set({ users: Object.fromEntries(all.map((u) => [u.id, u])) });
  }

  /** Load a room's members and latest page; marks it read when it is the open room. */
  async openRoom(roomId: string): Promise<void> {
    const detail = await this.deps.api.call('room', { params: { roomId } });
    this.putRoom(detail.room);
    this.upsertMessages(roomId, detail.messages);
    this.store.set((st) => (st.hasMore[roomId] === undefined || (st.messages[roomId]?.length ?? 0) <= detail.messages.length ? { hasMore: { ...st.hasMore, [roomId]: detail.hasMore } } : {}));
    this.markActiveRead();
  }

  /** Open (or reuse) the 1:1 room with a person; returns its id. */
  async openDirect(userId: string): Promise<string> {
    const detail = await this.deps.api.call('directHistory', { params: { userId } });
    this.putRoom(detail.room);
    this.upsertMessages(detail.room.id, detail.messages);
    this.store.set((st) => ({ hasMore: { ...st.hasMore, [detail.room.id]: detail.hasMore } }));
    return detail.room.id;
  }

  /** The previous page of history, by keyset on seq. */
  async loadOlder(roomId: string): Promise<void> {
    const list = this.store.get().messages[roomId] ?? [];
    if (list.length === 0 || this.store.get().hasMore[roomId] === false) return;
    const page = await this.deps.api.call('roomMessages', { params: { roomId }, query: { before: list[0]!.seq, limit: 100 } });
    this.upsertMessages(roomId, page.messages);
    this.store.set((st) => ({ hasMore: { ...st.hasMore, [roomId]: page.hasMore } }));
  }

  setActiveRoom(roomId: string | null): void {
    this.store.set({ activeRoomId: roomId });
    if (!this.deps.quiet) this.deps.platform.setActiveRoom(roomId);
    this.markActiveRead();
  }

  /** The open room is read up to its last message, when the window is visible. */
  markActiveRead(): void {
    const { activeRoomId, rooms } = this.store.get();
    // Read means seen: the window in front, not merely open behind another app (focus brings it back here).
    if (!activeRoomId || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    const room = rooms[activeRoomId];
    if (!room || room.lastSeq <= room.lastReadSeq) return;
    const seq = room.lastSeq;
    this.applyReadPositions(activeRoomId, [{ userId: this.me.id, lastReadSeq: seq }]);
    if (this.socket.connected) this.socket.emit('read', { roomId: activeRoomId, seq }, () => undefined);
    else void this.deps.api.call('markRead', { params: { roomId: activeRoomId }, body: { seq } }).catch(() => undefined);
  }

  /** Queue a text message; it is sent now if connected, or when the connection returns. */
  send(roomId: string, body: string): void {
    const item: OutboxItem = { clientId: newClientId(), roomId, body, createdAt: new Date().toISOString() };
    this.store.set({ outbox: this.outbox.add(item) });
    void this.flushOutbox();
  }

  /** Upload a file with progress, then send it as a message. Too large or a type never allowed: refused here at once. */
  sendFile(roomId: string, file: File): UploadHandle | null {
    const id = newClientId();
    const refused = uploadRefusal(file);
    this.store.set((st) => ({ uploads: [...st.uploads, { id, roomId, name: file.name, progress: 0, ...(refused ? { error: refused } : {}) }] }));
    if (refused) return null;
    const setUpload = (patch: Partial<Upload> | null) =>
      this.store.set((st) => ({ uploads: patch === null ? st.uploads.filter((u) => u.id !== id) : st.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u)) }));
    const handle = this.deps.api.upload(file, (progress) => setUpload({ progress }));
    this.uploading.set(id, handle);
    handle.promise.then(
      (ref) => {
        this.uploading.delete(id);
        setUpload(null);
        const item: OutboxItem = { clientId: newClientId(), roomId, fileId: ref.id, fileName: ref.name, createdAt: new Date().toISOString() };
        this.store.set({ outbox: this.outbox.add(item) });
        void this.flushOutbox();
      },
      (err: unknown) => {
        // Cancelled: the row is gone already and nothing is sent.
        if (!this.uploading.delete(id)) return;
        setUpload({ error: err instanceof ApiError ? err.code : 'INTERNAL' });
      },
    );
    return handle;
  }

  /** Stop an upload under way: nothing is sent and its row goes. */
  cancelUpload(id: string): void {
    const handle = this.uploading.get(id);
    this.uploading.delete(id);
    handle?.abort();
    this.dismissUpload(id);
  }

  dismissUpload(id: string): void {
    this.store.set((st) => ({ uploads: st.uploads.filter((u) => u.id !== id) }));
  }

  /** Send what waits in the outbox, oldest first, each with its own clientId. */
  async flushOutbox(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const item = this.outbox.list().find((i) => !i.error);
        if (!item || !this.socket.connected) return;
        let res;
        try {
          res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat', {
            roomId: item.roomId,
            clientId: item.clientId,
            ...(item.body !== undefined ? { body: item.body } : {}),
            ...(item.fileId !== undefined ? { fileId: item.fileId } : {}),
          });
        } catch {
          return; // no ack in time: the item stays and is sent again on the next connect
        }
        if (res.ok) this.receive(res.message);
        else if (res.error.code === 'RATE_LIMITED') await new Promise((r) => setTimeout(r, 1000));
        else if (FINAL_SEND_ERRORS.has(res.error.code)) this.store.set({ outbox: this.outbox.update(item.clientId, { error: res.error.code }) });
        else return;
      }
    } finally {
      this.flushing = false;
    }
  }

  retryPending(clientId: string): void {
    this.store.set({ outbox: this.outbox.update(clientId, { error: undefined }) });
    void this.flushOutbox();
  }

  discardPending(clientId: string): void {
    this.store.set({ outbox: this.outbox.remove(clientId) });
  }

  async deleteMessage(messageId: string): Promise<void> {
    let message: Message;
    if (this.socket.connected) {
      const res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('delete_message', { messageId });
      if (!res.ok) throw new ApiError(res.error.code, res.error.message);
      message = res.message;
    } else {
      message = (await this.deps.api.call('deleteMessage', { params: { id: messageId } })).message;
    }
    this.upsertMessages(message.roomId, [message]);
  }

  typing(roomId: string, typing: boolean): void {
    if (this.socket.connected) this.socket.emit('typing', { roomId, typing });
  }

  async createGroup(name: string, memberIds: string[]): Promise<Room> {
    const { room } = await this.deps.api.call('createRoom', { body: { name, memberIds } });
    this.putRoom(room);
    return room;
  }

  async invite(roomId: string, userIds: string[]): Promise<void> {
    const { room } = await this.deps.api.call('invite', { params: { roomId }, body: { userIds } });
    this.putRoom(room);
  }

  async leave(roomId: string): Promise<void> {
    await this.deps.api.call('leave', { params: { roomId } });
    this.dropRoom(roomId);
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.deps.api.call('deleteRoom', { params: { id: roomId } });
    this.dropRoom(roomId);
  }

  async rename(roomId: string, name: string): Promise<void> {
    const { room } = await this.deps.api.call('renameRoom', { params: { roomId }, body: { name } });
    this.putRoom(room);
  }

  async setMuted(roomId: string, muted: boolean): Promise<void> {
    const { room } = await this.deps.api.call('mute', { params: { roomId }, body: { muted } });
    this.putRoom(room);
    this.deps.platform.setMutedRooms(Object.values(this.store.get().rooms).filter((r) => r.muted).map((r) => r.id));
  }

  setDnd(on: boolean, tellPlatform = true): void {
    this.deps.storage.setItem(DND_KEY, on ? '1' : '0');
    this.store.set({ dnd: on });
    if (tellPlatform) this.deps.platform.setDoNotDisturb(on);
  }

  /** A message arrived (echo, broadcast or ack): store it, move counters, maybe notify. */
  receive(m: Message): void {
    const st = this.store.get();
    const mine = m.senderId === this.me.id;
    if (mine && m.clientId) this.store.set({ outbox: this.outbox.remove(m.clientId) });
    const room = st.rooms[m.roomId];
    if (!room) {
      // A room new to this client (someone opened a 1:1 or added me): fetch the list, then tell.
      void this.loadRooms().then(
        () => !mine && this.maybeNotify(m),
        () => undefined,
      );
      return;
    }
    const isNew = m.seq > room.lastSeq;
    // A seq skipped: something sent meanwhile never reached this connection (lost between server
    // processes, say). Ask for it now rather than at the next reconnect.
    if (m.seq > room.lastSeq + 1) void this.fillGap(room.id, room.lastSeq);
    this.upsertMessages(m.roomId, [m]);
    if (isNew) {
      let next: Room = { ...this.store.get().rooms[m.roomId]!, lastSeq: m.seq, lastMessage: m, lastMessageAt: m.createdAt };
      if (m.kind === 'system') next = carryCaughtUp(next, m.seq);
      else if (!mine && m.seq > next.lastReadSeq) next = { ...next, unreadCount: next.unreadCount + 1 };
      this.putRoom(next);
    }
    if (mine) this.applyReadPositions(m.roomId, [{ userId: this.me.id, lastReadSeq: m.seq }]);
    else if (isNew) {
      this.markActiveRead();
      this.maybeNotify(m);
    }
  }

  /**
   * The messages after `afterSeq`, asked for one request at a time per room (a gap found
   * meanwhile is asked for next); those from others that came before the newest held count as unread.
   */
  private async fillGap(roomId: string, afterSeq: number): Promise<void> {
    const queued = this.filling.get(roomId);
    if (queued !== undefined) {
      this.filling.set(roomId, Math.min(queued ?? afterSeq, afterSeq));
      return;
    }
    if (!this.socket.connected) return;
    this.filling.set(roomId, null);
    try {
      const res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('sync', { rooms: [{ roomId, afterSeq }], limit: 200 });
      if (!res.ok) return;
      const result: SyncResult = res;
      const found = result.rooms.find((r) => r.roomId === roomId);
      const room = this.store.get().rooms[roomId];
      if (!found || !room) return;
      const held = new Set((this.store.get().messages[roomId] ?? []).map((x) => x.id));
      // What came live is counted already; anything newer will be when it comes.
      const missed = found.messages.filter((x) => x.seq < room.lastSeq && !held.has(x.id));
      this.upsertMessages(roomId, found.messages);
      this.applyReadPositions(roomId, found.readPositions);
      const unread = missed.filter((x) => x.senderId !== this.me.id && x.kind !== 'system' && !x.deletedAt && x.seq > room.lastReadSeq).length;
      if (unread > 0) this.addUnread(roomId, unread);
    } catch {
      // The next reconnect's sync brings them.
    } finally {
      const next = this.filling.get(roomId);
      this.filling.delete(roomId);
      if (next !== undefined && next !== null) void this.fillGap(roomId, next);
    }
  }

  /** A tombstone: shown in place of the message; one I had not read yet no longer counts as unread, as on the server. */
  private messageDeleted(m: Message): void {
    const st = this.store.get();
    const room = st.rooms[m.roomId];
    const held = st.messages[m.roomId]?.find((x) => x.id === m.id);
    const wasUnread = room && !held?.deletedAt && m.senderId !== this.me.id && m.kind !== 'system' && m.seq > room.lastReadSeq && m.seq <= room.lastSeq;
    this.upsertMessages(m.roomId, [m]);
    if (wasUnread) this.addUnread(m.roomId, -1);
  }

  /** Move a held room's unread count by `delta`, never below zero. */
  private addUnread(roomId: string, delta: number): void {
    this.store.set((st) => {
      const room = st.rooms[roomId];
      return room ? { rooms: { ...st.rooms, [roomId]: { ...room, unreadCount: Math.max(0, room.unreadCount + delta) } } } : {};
    });
  }

  private maybeNotify(m: Message): void {
    if (this.deps.quiet) return;
    const { rooms, activeRoomId, dnd } = this.store.get();
    const room = rooms[m.roomId];
    if (!room || room.muted || dnd || m.kind === 'system') return;
    if (activeRoomId === m.roomId && document.visibilityState === 'visible' && document.hasFocus()) return;
    const text = this.deps.translateNotify?.(m, room) ?? { title: roomTitle(room, this.me.id), body: m.body ?? m.file?.name ?? '' };
    this.deps.platform.notify({ roomId: m.roomId, ...text });
  }

  private upsertMessages(roomId: string, incoming: Message[]): void {
    if (incoming.length === 0) return;
    this.store.set((st) => {
      const merged = mergeMessages(st.messages[roomId] ?? [], incoming);
      const room = st.rooms[roomId];
      // A tombstone of the room's last message changes its preview too.
      const last = room?.lastMessage ? incoming.find((m) => m.id === room.lastMessage!.id) : undefined;
      const rooms = last && room ? { ...st.rooms, [roomId]: { ...room, lastMessage: last } } : st.rooms;
      return merged === st.messages[roomId] && rooms === st.rooms ? {} : { messages: { ...st.messages, [roomId]: merged }, rooms };
    });
  }

  /** Members' read positions in one room, applied in one store update. */
  private applyReadPositions(roomId: string, positions: readonly ReadPosition[]): void {
    this.store.set((st) => {
      const room = st.rooms[roomId];
      if (!room) return {};
      const next = applyReads(room, positions, this.me.id);
      return next === room ? {} : { rooms: { ...st.rooms, [roomId]: next } };
    });
  }

  /**
   * Show these people's presence: the server is asked once per connection (in lists it accepts)
   * and tells of changes from then on. Asked again after a reconnect; a refused list is asked
   * again with the next call.
   */
  watchPresence(userIds: Iterable<string>): void {
    for (const id of userIds) if (id !== this.me.id) this.wanted.add(id);
    this.flushWatches();
  }

  private flushWatches(): void {
    if (!this.socket.connected) return;
    const fresh = [...this.wanted].filter((id) => !this.watched.has(id));
    for (let i = 0; i < fresh.length; i += MAX_WATCH_PRESENCE_IDS) {
      const userIds = fresh.slice(i, i + MAX_WATCH_PRESENCE_IDS);
      for (const id of userIds) this.watched.add(id);
      const socket = this.socket;
      void socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('watch_presence', { userIds })
        .then((res) => {
          if (!res.ok) throw new ApiError(res.error.code, res.error.message);
          const online = new Set(res.online);
          if (socket.connected) this.store.set((st) => ({ online: { ...st.online, ...Object.fromEntries(userIds.map((id) => [id, online.has(id)])) } }));
        })
        .catch(() => {
          for (const id of userIds) this.watched.delete(id);
        });
    }
  }

  /**
   * An admin deleted an account. Their messages stay, from a departed employee; the server ended
   * their memberships, so they leave member lists (a 1:1 room stays, titled as departed), the
   * directory and the online map. My own account: signed out.
   */
  private userDeleted(userId: string): void {
    if (userId === this.me.id) {
      this.deps.onSignedOut('account_deleted');
      return;
    }
    this.store.set((st) => {
      const { [userId]: _u, ...users } = st.users;
      const { [userId]: _o, ...online } = st.online;
      const rooms = Object.fromEntries(Object.entries(st.rooms).map(([id, r]) => [id, r.members.some((m) => m.userId === userId) ? { ...r, members: r.members.filter((m) => m.userId !== userId) } : r]));
      return { users, online, rooms };
    });
  }

  private putRoom(room: Room): void {
    // New members (a room created or joined, an invitation): follow their presence too.
    if (this.store.get().rooms[room.id]?.members !== room.members) this.watchPresence(room.members.map((m) => m.userId));
    this.store.set((st) => ({ rooms: { ...st.rooms, [room.id]: room } }));
  }

  private dropRoom(roomId: string): void {
    this.store.set((st) => {
      const { [roomId]: _r, ...rooms } = st.rooms;
      const { [roomId]: _m, ...messages } = st.messages;
      return { rooms, messages, activeRoomId: st.activeRoomId === roomId ? null : st.activeRoomId };
    });
  }

  private expireTyping(): void {
    const now = Date.now();
    const { typing } = this.store.get();
    let changed = false;
    const next: ChatState['typing'] = {};
    for (const [roomId, users] of Object.entries(typing)) {
      next[roomId] = {};
      for (const [u, until] of Object.entries(users)) {
        if (until > now) next[roomId][u] = until;
        else changed = true;
      }
    }
    if (changed) this.store.set({ typing: next });
  }

  private syncBadge(): void {
    const total = totalUnread(Object.values(this.store.get().rooms));
    if (total === this.lastBadge) return;
    this.lastBadge = total;
    this.deps.platform.setBadgeCount(total);
  }
}

/** Why a file cannot be sent, known before uploading (the server still checks the content). */
export function uploadRefusal(file: Pick<File, 'name' | 'size'>): ErrorCode | null {
  if (file.size > MAX_FILE_BYTES) return 'FILE_TOO_LARGE';
  const ext = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
  return (ALLOWED_EXTENSIONS as string[]).includes(ext) ? null : 'FILE_TYPE_NOT_ALLOWED';
}

function pick<T>(map: Record<string, T>, keep: Record<string, unknown>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).filter(([k]) => k in keep));
}

/** The translated text for an error code, with a fallback for unknown codes. */
export function errorCodeOf(err: unknown): string {
  if (err instanceof ApiError) return err.code;
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) return (err as { code: string }).code;
  return 'INTERNAL';
}
