import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type BackupItem, parseSystemBody } from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import { access } from '../common/access';
import { AppError, messageOf } from '../common/app-error';
import { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import { MembershipRepository } from '../common/membership.repository';
import { SessionsRepository } from '../auth/sessions.repository';
import { Database } from '../database/data-source';
import type { MessageEntity, RoomEntity, UserEntity } from '../database/entities';
import { FilesRepository, pathsOf } from '../files/files.repository';
import { FilesService } from '../files/files.service';
import { RealtimeService } from '../realtime/realtime.service';
import { DEPARTED, formatTime, messageJson, messageText, personLabel, profileJson, profileText, roomLabel, section, titleText } from './backup.format';
import { type BackupDraft, type BackupKind, BackupWriter } from './backup.writer';
import { DeletionRepository, type PersonRef } from './deletion.repository';
import { RoomPurger } from './room-purger';

const PAGE = 500;

/** Thrown inside the deletion transaction when messages arrived after the backup read them. */
class BackupOutdated extends Error {}

/** Thrown inside the deletion of a room its last member left, when it has a member again. */
class RoomInUse extends Error {}

/**
 * Writes the messages of a backup a page at a time, each page in one write to the JSON array and
 * one to the transcript: a long history never sits in memory whole, and a write per message
 * (two trips through the thread pool each) made a backup of 100,000 messages wait 20 s.
 */
class MessagePages {
  private first = true;
  constructor(private readonly draft: BackupDraft) {}

  async write(entries: readonly { item: unknown; line: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const json = entries.map((e, i) => (this.first && i === 0 ? '\n' : ',\n') + JSON.stringify(e.item)).join('');
    this.first = false;
    await this.draft.json.write(json);
    await this.draft.text.write(entries.map((e) => e.line).join(''));
  }
}

/** `{...head, "messages": [` — the open head of a backup document whose messages stream after it. */
function openDocument(head: Record<string, unknown>): string {
  return JSON.stringify(head).slice(0, -1) + ',"messages":[';
}

/**
 * Deleting a user or a room: the backup is written (and fsynced) first; only then does one
 * transaction remove the data. If the backup fails, nothing is deleted.
 */
/** How often groups left empty but not removed are looked for. */
const ABANDONED_SWEEP_EVERY_MS = 60 * 60 * 1000;

@Injectable()
export class DeletionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Deletion');
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly db: Database,
    private readonly repo: DeletionRepository,
    private readonly files: FilesRepository,
    private readonly filesService: FilesService,
    private readonly sessions: SessionsRepository,
    private readonly membership: MembershipRepository,
    private readonly audit: AuditRepository,
    private readonly realtime: RealtimeService,
    private readonly backups: BackupWriter,
    private readonly purger: RoomPurger,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () => {
      this.sweeping = this.sweepAbandonedRooms().catch((err: unknown) => {
        this.log.warn(`Could not look for groups left empty: ${messageOf(err)}`);
        return 0;
      });
    };
    sweep();
    this.sweeper = setInterval(sweep, ABANDONED_SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
  }

  /**
   * Groups whose last member left but which were not removed (the backup failed, or the process
   * stopped between the departure and the backup): backed up and removed now, in the name of
   * whoever left last, as the departure would have. How many were removed.
   */
  async sweepAbandonedRooms(): Promise<number> {
    let removed = 0;
    for (const { room, last } of await this.repo.abandonedRooms()) {
      const body = last?.kind === 'system' ? parseSystemBody(last.body) : null;
      const leaverId = body?.event === 'left' ? body.actor.id : room.createdBy;
      const leaver = leaverId ? await this.repo.findUser(leaverId) : null;
      const auth: AuthContext = { userId: leaverId ?? '', role: 'user', sessionId: '', employeeId: leaver?.employeeId ?? '', name: leaver?.name ?? body?.actor.name ?? '' };
      if (await this.deleteAbandonedRoom(auth, room.id)) removed += 1;
    }
    return removed;
  }

  /** Admin: back up a user's chat logs, then remove the account; their messages stay, from a departed employee. */
  async deleteUser(auth: AuthContext, userId: string): Promise<void> {
    access.requireAdmin(auth);
    if (userId === auth.userId) throw new AppError('CANNOT_DELETE_SELF', 'You cannot delete your own account. Ask another administrator.');
    const user = await this.repo.findUser(userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 'That user does not exist (they may already have been deleted).');

    const { unsent, notify, emptied } = await this.backupThenDelete(
      'user',
      user.employeeId,
      (draft, at) => this.writeUserBackup(draft, at, auth, user),
      async (em, backedUp, backup) => {
        // No send of theirs is left uncommitted past this point, and none can start.
        const roomIds = await this.repo.lockMemberships(userId, em);
        // A message sent after the backup read their history: back up again.
        if (await this.repo.sentSince(userId, backedUp, em)) throw new BackupOutdated();
        const unsent = await this.files.deleteRows(await this.files.findUnsentByUploader(userId, em), em);
        await this.sessions.revokeAllForUser(userId, undefined, em);
        const members = await this.repo.membersOf(roomIds, em);
        const notify = [...new Set(members.map((m) => m.userId))].filter((id) => id !== userId);
        // Rooms they were the last member of: nobody can open them again.
        const emptied = roomIds.filter((id) => !members.some((m) => m.roomId === id && m.userId !== userId));
        if (!(await this.repo.deleteUser(userId, em))) throw new AppError('USER_NOT_FOUND', 'That user was deleted meanwhile.');
        await this.audit.write({ actorId: auth.userId, action: 'user.delete', target: userId, detail: { employeeId: user.employeeId, name: user.name, backup } }, em);
        return { unsent, notify, emptied };
      },
    );

    await this.filesService.unlinkAll(pathsOf(unsent));
    this.realtime.disconnectUser(userId, 'account_deleted');
    this.realtime.toUsers(notify, 'user_deleted', { userId });
    for (const roomId of emptied) await this.deleteAbandonedRoom(auth, roomId);
  }

  /** A group's creator or an admin (1:1 rooms: admins only): back up the room's log, then remove it and its files. */
  async deleteRoom(auth: AuthContext, roomId: string): Promise<void> {
    const room = await this.requireRoomDeleter(auth, roomId);
    const { notify } = await this.removeRoom(auth, room, 'room.delete');
    this.realtime.toUsers(notify, 'room_deleted', { roomId });
  }

  /**
   * A room its last member has left: nobody can see it again, so it is backed up and removed like
   * a deleted room, in the name of whoever left last. False when it is gone, or has a member again.
   */
  async deleteAbandonedRoom(auth: AuthContext, roomId: string): Promise<boolean> {
    const room = await this.repo.findRoom(roomId);
    if (!room) return false;
    try {
      await this.removeRoom(auth, room, 'room.delete_abandoned', true);
      return true;
    } catch (err) {
      if (err instanceof RoomInUse || (err instanceof AppError && err.code === 'ROOM_NOT_FOUND')) return false;
      // Whoever left has left; the empty room waits for the next attempt (or an admin's delete).
      this.log.error(`Room ${roomId}, left by its last member, was not deleted: ${messageOf(err)}`);
      return false;
    }
  }

  /**
   * Back up the room's log, then in one transaction remove its members and files and mark it
   * deleted; its messages are removed after, a step at a time. Returns who was in it.
   */
  private async removeRoom(auth: AuthContext, room: RoomEntity, action: string, onlyIfEmpty = false): Promise<{ notify: string[] }> {
    const roomId = room.id;
    const { files, notify } = await this.backupThenDelete(
      'room',
      room.id,
      (draft, at) => this.writeRoomBackup(draft, at, auth, room),
      async (em, backedUpSeq, backup) => {
        // Holding the room's lock: a message sent after the backup read the log means back up again.
        const lastSeq = await this.repo.lockLastSeq(roomId, em);
        if (lastSeq === null) throw new AppError('ROOM_NOT_FOUND', 'That chat room was deleted meanwhile.');
        if (lastSeq > backedUpSeq) throw new BackupOutdated();
        const notify = await this.membership.memberIds(roomId, em);
        if (onlyIfEmpty && notify.length > 0) throw new RoomInUse();
        const files = await this.files.deleteRows(await this.files.findByRoom(roomId, em), em);
        await this.repo.markRoomDeleted(roomId, new Date(), em);
        await this.audit.write({ actorId: auth.userId, action, target: roomId, detail: { kind: room.kind, name: room.name, backup } }, em);
        return { files, notify };
      },
    );
    this.purger.purge(roomId);
    await this.filesService.unlinkAll(pathsOf(files));
    return { notify };
  }

  /** Admin: every backup, newest first. */
  async listBackups(auth: AuthContext): Promise<BackupItem[]> {
    access.requireAdmin(auth);
    return this.backups.list();
  }

  /** Admin: one backup file to download. */
  async openBackup(auth: AuthContext, kind: BackupKind, name: string) {
    access.requireAdmin(auth);
    const file = await this.backups.open(kind, name);
    if (!file) throw new AppError('NOT_FOUND', 'There is no backup by that name.');
    return file;
  }

  private async requireRoomDeleter(auth: AuthContext, roomId: string): Promise<RoomEntity> {
    const room = await this.repo.findRoom(roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND', 'That chat room does not exist (it may have been deleted).');
    if (auth.role === 'admin') return room;
    if (room.kind === 'group' && room.createdBy === auth.userId) {
      // A creator who has left is an outsider like any other.
      await this.membership.requireMember(auth, roomId);
      return room;
    }
    throw new AppError('FORBIDDEN', room.kind === 'group' ? 'Only the group’s creator or an administrator can delete it.' : 'Only an administrator can delete a 1:1 chat.');
  }

  /**
   * Write the backup, then run the deletion in one transaction. `fill` returns how much of the
   * history it wrote; `remove` throws BackupOutdated when more arrived meanwhile, and the whole
   * thing runs again (the outdated backup is removed).
   */
  private async backupThenDelete<T, B>(
    kind: BackupKind,
    label: string,
    fill: (draft: BackupDraft, at: Date) => Promise<B>,
    remove: (em: EntityManager, backedUp: B, backup: string[]) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { names, backedUp } = await this.writeBackup(kind, label, fill);
      try {
        return await this.db.transactionRetrying((em) => remove(em, backedUp, names));
      } catch (err) {
        await this.backups.remove(kind, names);
        if (!(err instanceof BackupOutdated)) throw err;
        if (attempt >= 3) throw new AppError('CONFLICT', 'New messages kept arriving while the backup was written. Try the deletion again.');
      }
    }
  }

  /** Write a backup, or fail with BACKUP_FAILED having deleted nothing. */
  private async writeBackup<B>(kind: BackupKind, label: string, fill: (draft: BackupDraft, at: Date) => Promise<B>): Promise<{ names: string[]; backedUp: B }> {
    const at = new Date();
    let draft: BackupDraft | undefined;
    try {
      draft = await this.backups.begin(kind, label, at);
      const backedUp = await fill(draft, at);
      return { names: await draft.commit(), backedUp };
    } catch (err) {
      await draft?.abort();
      this.log.error(`Backup of ${kind} ${label} failed: ${messageOf(err)}`);
      throw new AppError(
        'BACKUP_FAILED',
        'The chat log backup could not be written, so nothing was deleted. Check that the backup folder (BACKUP_DIR) exists and the server can write to it, then try again.',
      );
    }
  }

  /** Returns how many messages of theirs it wrote, room by room. */
  private async writeUserBackup(draft: BackupDraft, at: Date, auth: AuthContext, user: UserEntity): Promise<Map<string, number>> {
    const roomIds = await this.repo.roomIdsOf(user.id);
    const [rooms, members] = await Promise.all([this.repo.findRooms(roomIds), this.repo.membersOf(roomIds)]);
    const people = await this.repo.people([auth.userId, ...members.map((m) => m.userId)]);
    const namesIn = (roomId: string) => members.filter((m) => m.roomId === roomId).map((m) => people.get(m.userId)?.name ?? DEPARTED);
    const labels = new Map(rooms.map((r) => [r.id, roomLabel(r, namesIn(r.id))]));
    const roomsJson = rooms.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      label: labels.get(r.id),
      members: members.filter((m) => m.roomId === r.id).map((m) => ({ userId: m.userId, name: people.get(m.userId)?.name ?? null, joinedAt: m.joinedAt.toISOString() })),
    }));

    await draft.json.write(openDocument({ kind: 'user', backedUpAt: at.toISOString(), deletedBy: this.actor(auth), user: profileJson(user), rooms: roomsJson }));
    await draft.text.write(titleText('Hi_Msg 삭제된 사용자 대화 기록', at, people.get(auth.userId)));
    await draft.text.write(section('프로필') + profileText(user) + '\n');
    await draft.text.write(section('참여한 대화방', rooms.length) + rooms.map((r) => `- ${labels.get(r.id)}  [${r.id}]\n`).join(''));
    await draft.text.write(section('보낸 메시지'));

    const pages = new MessagePages(draft);
    const written = new Map<string, number>();
    let count = 0;
    const keys = await this.repo.messageKeysBySender(user.id);
    for (let i = 0; i < keys.length; i += PAGE) {
      // A message whose room was deleted meanwhile is gone from the page.
      const page = await this.repo.messagesByIds(keys.slice(i, i + PAGE).map((k) => k.id));
      await this.labelRoomsLeft(page, labels);
      const fileMap = await this.files.findByIds(page.flatMap((m) => (m.fileId ? [m.fileId] : [])));
      await pages.write(
        page.map((m) => {
          const file = m.fileId ? fileMap.get(m.fileId) : undefined;
          const label = labels.get(m.roomId) ?? m.roomId;
          return { item: messageJson(m, file, { room: label }), line: messageText(m, file, label) };
        }),
      );
      for (const m of page) written.set(m.roomId, (written.get(m.roomId) ?? 0) + 1);
      count += page.length;
    }
    await draft.json.write('\n]}\n');
    await draft.text.write(`\n총 ${count}개의 메시지\n`);
    return written;
  }

  /** Returns the last seq it covers: every message up to it was committed and written. */
  private async writeRoomBackup(draft: BackupDraft, at: Date, auth: AuthContext, room: RoomEntity): Promise<number> {
    const members = await this.repo.membersOf([room.id]);
    const people = await this.repo.people([auth.userId, ...members.map((m) => m.userId), ...(room.createdBy ? [room.createdBy] : [])]);
    const memberNames = members.map((m) => people.get(m.userId)?.name ?? DEPARTED);
    const label = roomLabel(room, memberNames);

    await draft.json.write(
      openDocument({
        kind: 'room',
        backedUpAt: at.toISOString(),
        deletedBy: this.actor(auth),
        room: { id: room.id, kind: room.kind, name: room.name, createdBy: room.createdBy, createdAt: room.createdAt.toISOString(), lastSeq: room.lastSeq },
        members: members.map((m) => {
          const p = people.get(m.userId);
          return { userId: m.userId, employeeId: p?.employeeId ?? null, name: p?.name ?? null, department: p?.department ?? null, joinedAt: m.joinedAt.toISOString() };
        }),
      }),
    );
    await draft.text.write(titleText('Hi_Msg 삭제된 대화방 기록', at, people.get(auth.userId)));
    await draft.text.write(
      [`대화방: ${label}`, `ID: ${room.id}`, `만든 사람: ${room.createdBy ? personLabel(people.get(room.createdBy)) : '-'}`, `만든 시각: ${formatTime(room.createdAt)}`].join('\n') + '\n',
    );
    await draft.text.write(section('멤버', members.length) + members.map((m) => `- ${personLabel(people.get(m.userId))}\n`).join(''));
    await draft.text.write(section('메시지', `마지막 번호 #${room.lastSeq}`));

    const pages = new MessagePages(draft);
    let afterSeq = 0;
    for (;;) {
      const page = await this.repo.messagesOfRoom(room.id, afterSeq, PAGE);
      if (page.length === 0) break;
      await this.addPeople(people, page);
      const fileMap = await this.files.findByIds(page.flatMap((m) => (m.fileId ? [m.fileId] : [])));
      await pages.write(
        page.map((m) => {
          const file = m.fileId ? fileMap.get(m.fileId) : undefined;
          const sender = m.senderId ? people.get(m.senderId) : undefined;
          const senderName = m.kind === 'system' ? '시스템' : personLabel(sender);
          return { item: messageJson(m, file, { senderId: m.senderId, senderName: sender?.name ?? null, senderEmployeeId: sender?.employeeId ?? null }), line: messageText(m, file, senderName) };
        }),
      );
      afterSeq = page[page.length - 1].seq;
    }
    await draft.json.write('\n]}\n');
    return Math.max(room.lastSeq, afterSeq);
  }

  /** Rooms a user sent messages in but has left: name them too. */
  private async labelRoomsLeft(page: readonly MessageEntity[], labels: Map<string, string>): Promise<void> {
    const missing = [...new Set(page.map((m) => m.roomId))].filter((id) => !labels.has(id));
    for (const r of await this.repo.findRooms(missing)) labels.set(r.id, `${roomLabel(r, [])} (나간 대화방)`);
  }

  /** Senders not yet named (people who left the room still have names). */
  private async addPeople(people: Map<string, PersonRef>, page: readonly MessageEntity[]): Promise<void> {
    const missing = page.flatMap((m) => (m.senderId && !people.has(m.senderId) ? [m.senderId] : []));
    for (const [id, p] of await this.repo.people(missing)) people.set(id, p);
  }

  private actor(auth: AuthContext) {
    return { id: auth.userId, employeeId: auth.employeeId, name: auth.name };
  }
}
