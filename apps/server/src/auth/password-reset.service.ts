import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ResetRequestItem, type ResetStatus, resetCheckCode } from '@hi-msg/contracts';
import { access } from '../common/access';
import { AppError } from '../common/app-error';
import { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import { Database } from '../database/data-source';
import { PasswordResetEntity } from '../database/entities';
import { RealtimeService } from '../realtime/realtime.service';
import { PendingNotifier } from '../users/pending.notifier';
import { toUserDto } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { assertStrongPassword, hashPassword } from './password';
import { PasswordResetRepository } from './password-reset.repository';
import { SessionsRepository } from './sessions.repository';
import { Throttle } from './throttle';
import { sha256Hex } from './token.service';

/** An approved or pending request stays usable this long. */
export const RESET_REQUEST_TTL_MS = 24 * 3600 * 1000;
const ADMIN_LIST_LIMIT = 200;

/**
 * The 3-step reset: the employee asks (and holds a one-time ticket), an admin approves, the
 * employee sets a new password with the ticket. A request that matches no active account gets
 * the same answer with a ticket that leads nowhere: it reads as `pending` for ever, so neither
 * the request nor its status tells whether the account exists.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly db: Database,
    private readonly resets: PasswordResetRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
    private readonly throttle: Throttle,
    private readonly pending: PendingNotifier,
    private readonly realtime: RealtimeService,
  ) {}

  async request(dto: { employeeId: string; email: string }, clientAddress: string): Promise<{ requestId: string; ticket: string; code: string }> {
    await this.throttle.take('resetRequest', clientAddress);
    const ticket = randomBytes(32).toString('base64url');
    const requestId = randomUUID();
    const answer = { requestId, ticket, code: resetCheckCode(sha256Hex(ticket)) };
    const user = await this.users.findByEmployeeId(dto.employeeId.trim());
    if (user?.status !== 'active' || user.email.toLowerCase() !== dto.email.trim().toLowerCase()) return answer;
    const now = new Date();
    await this.db.transaction(async (em) => {
      // A request still waiting gives way to the newer one; one already approved stays theirs
      // who hold its ticket, whoever asks again meanwhile.
      await this.resets.supersedePending(user.id, em);
      await this.resets.insert(
        Object.assign(new PasswordResetEntity(), {
          id: requestId,
          userId: user.id,
          status: 'pending' as const,
          ticketHash: sha256Hex(ticket),
          requestedAt: now,
          expiresAt: new Date(now.getTime() + RESET_REQUEST_TTL_MS),
          decidedAt: null,
          decidedBy: null,
          completedAt: null,
        }),
        em,
      );
    });
    await this.pending.notify('reset', () => this.resets.countPending());
    return answer;
  }

  async status(ticket: string): Promise<ResetStatus> {
    await this.resets.expireStale();
    const row = await this.resets.findByTicketHash(sha256Hex(ticket));
    return row?.status ?? 'pending';
  }

  /** Only an approved, unexpired request sets the password; every session of the account ends. */
  async complete(dto: { ticket: string; newPassword: string }): Promise<void> {
    await this.resets.expireStale();
    const row = await this.resets.findByTicketHash(sha256Hex(dto.ticket));
    const user = row && (await this.users.findById(row.userId));
    if (!row || !user || row.status !== 'approved') throw this.notApproved(row?.status ?? 'pending');
    assertStrongPassword(dto.newPassword, user.employeeId);
    const passwordHash = await hashPassword(dto.newPassword);
    await this.db.transaction(async (em) => {
      const now = new Date();
      if (!(await this.resets.transition(row.id, 'approved', { status: 'completed', completedAt: now }, em))) throw this.notApproved('completed');
      await this.users.setPassword(user.id, passwordHash, em);
      await this.sessions.revokeAllForUser(user.id, undefined, em);
    });
    this.realtime.disconnectUser(user.id, 'password_reset');
  }

  async list(auth: AuthContext): Promise<ResetRequestItem[]> {
    access.requireAdmin(auth);
    await this.resets.expireStale();
    const rows = await this.resets.listForAdmin(ADMIN_LIST_LIMIT);
    return rows.map(({ request, user }) => ({
      id: request.id,
      user: toUserDto(user),
      status: request.status,
      requestedAt: request.requestedAt.toISOString(),
      decidedAt: request.decidedAt?.toISOString() ?? null,
      code: resetCheckCode(request.ticketHash),
    }));
  }

  async approve(auth: AuthContext, id: string): Promise<ResetStatus> {
    access.requireAdmin(auth);
    return this.decide(auth, id, 'approved');
  }

  async reject(auth: AuthContext, id: string): Promise<ResetStatus> {
    access.requireAdmin(auth);
    return this.decide(auth, id, 'rejected');
  }

  private async decide(auth: AuthContext, id: string, status: 'approved' | 'rejected'): Promise<ResetStatus> {
    await this.resets.expireStale();
    await this.db.transaction(async (em) => {
      const now = new Date();
      // An approval gives the employee a full day from now to set the new password.
      const change = status === 'approved' ? { status, decidedAt: now, decidedBy: auth.userId, expiresAt: new Date(now.getTime() + RESET_REQUEST_TTL_MS) } : { status, decidedAt: now, decidedBy: auth.userId };
      if (!(await this.resets.transition(id, 'pending', change, em))) {
        const row = await this.resets.findById(id, em);
        if (!row) throw new AppError('RESET_NOT_FOUND', 'That password-reset request does not exist.');
        throw new AppError('RESET_ALREADY_DECIDED', `That request is already ${row.status}.`, { status: row.status });
      }
      const row = await this.resets.findById(id, em);
      const user = row && (await this.users.findById(row.userId, em));
      const detail = { requestId: id, employeeId: user?.employeeId ?? null };
      await this.audit.write({ actorId: auth.userId, action: `password_reset.${status === 'approved' ? 'approve' : 'reject'}`, target: row?.userId ?? id, detail }, em);
    });
    await this.pending.notify('reset', () => this.resets.countPending());
    return status;
  }

  private notApproved(status: ResetStatus): AppError {
    const why: Record<ResetStatus, string> = {
      pending: 'Your request has not been approved yet.',
      approved: 'Your request is approved.',
      rejected: 'Your request was rejected. Ask your administrator.',
      completed: 'This ticket was already used. Ask for a new reset if you need one.',
      expired: 'This request has expired. Ask for a new reset.',
    };
    return new AppError('RESET_NOT_APPROVED', why[status], { status });
  }
}
