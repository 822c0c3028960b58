import { Injectable } from '@nestjs/common';
import type { AdminRoomItem, AuditEntry, User } from '@hi-msg/contracts';
import { z } from 'zod';
import { access } from '../common/access';
import { AppError } from '../common/app-error';
import { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import { Database } from '../database/data-source';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { PendingNotifier } from '../users/pending.notifier';
import { toUserDto } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { AdminRoomsRepository } from './admin-rooms.repository';

const PENDING_LIST_LIMIT = 500;
const AuditCursorSchema = z.number().int().positive();
const RoomCursorSchema = z.object({ kind: z.enum(['direct', 'group']), name: z.string().max(200), id: z.string().max(64) }).strict();

/** Signup decisions and the audit log; every decision writes its audit row in the same transaction. */
@Injectable()
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly pending: PendingNotifier,
    private readonly rooms: AdminRoomsRepository,
  ) {}

  async pendingUsers(auth: AuthContext): Promise<User[]> {
    access.requireAdmin(auth);
    return (await this.users.listPending(PENDING_LIST_LIMIT)).map(toUserDto);
  }

  async approveUser(auth: AuthContext, id: string): Promise<User> {
    access.requireAdmin(auth);
    return this.decide(auth, id, 'active');
  }

  async rejectUser(auth: AuthContext, id: string): Promise<User> {
    access.requireAdmin(auth);
    return this.decide(auth, id, 'rejected');
  }

  /** Newest first, keyset-paged on the entry id. */
  async auditLog(auth: AuthContext, query: { cursor?: string; limit: number }): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    access.requireAdmin(auth);
    const before = query.cursor ? decodeCursor(AuditCursorSchema, query.cursor) : undefined;
    const rows = await this.audit.list(query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      entries: page.map((r) => ({ id: String(r.id), actorId: r.actorId, action: r.action, target: r.target, detail: r.detail, at: r.at.toISOString() })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** Every chat room, the admin's way to one they are not in (to delete it): groups by name, then 1:1 chats. */
  async roomList(auth: AuthContext, query: { q?: string; cursor?: string; limit: number }): Promise<{ rooms: AdminRoomItem[]; nextCursor: string | null }> {
    access.requireAdmin(auth);
    const from = query.cursor ? decodeCursor(RoomCursorSchema, query.cursor) : undefined;
    const rows = await this.rooms.page(query.limit + 1, query.q || undefined, from);
    const page = rows.slice(0, query.limit);
    const members = await this.rooms.members(page.map((r) => r.id));
    const last = page[page.length - 1];
    return {
      rooms: page.map((r) => {
        const m = members.get(r.id)!;
        return { id: r.id, kind: r.kind, name: r.name, memberCount: m.count, memberNames: m.names, lastSeq: r.lastSeq, lastMessageAt: r.lastMessageAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
      }),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ kind: last.kind, name: last.name ?? '', id: last.id }) : null,
    };
  }

  private async decide(auth: AuthContext, id: string, status: 'active' | 'rejected'): Promise<User> {
    const user = await this.db.transaction(async (em) => {
      if (!(await this.users.decide(id, status, auth.userId, em))) {
        const existing = await this.users.findById(id, em);
        if (!existing) throw new AppError('USER_NOT_FOUND', 'That user does not exist.');
        throw new AppError('USER_NOT_PENDING', `That account is not waiting for approval (it is ${existing.status}).`, { status: existing.status });
      }
      const decided = await this.users.findById(id, em);
      if (!decided) throw new AppError('USER_NOT_FOUND', 'That user does not exist.');
      const detail = { employeeId: decided.employeeId, name: decided.name };
      await this.audit.write({ actorId: auth.userId, action: status === 'active' ? 'user.approve' : 'user.reject', target: id, detail }, em);
      return decided;
    });
    await this.pending.notify('signup', () => this.users.countPending());
    return toUserDto(user);
  }
}
