import type { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import { type PasswordResetEntity, UserEntity } from '../database/entities';
import type { RealtimeService } from '../realtime/realtime.service';
import type { PendingNotifier } from '../users/pending.notifier';
import type { UsersRepository } from '../users/users.repository';
import type { PasswordResetRepository } from './password-reset.repository';
import { PasswordResetService } from './password-reset.service';
import type { SessionsRepository } from './sessions.repository';
import { Throttle } from './throttle';
import { sha256Hex } from './token.service';
import { failure, fakeDatabase } from '../../test/spec.helpers';

jest.mock('./password', () => ({ ...jest.requireActual('./password'), hashPassword: async (p: string) => `fake$${p}` }));

const ADMIN: AuthContext = { userId: 'admin-id', role: 'admin', sessionId: 's1', employeeId: 'admin', name: '관리자' };
const EMPLOYEE: AuthContext = { userId: 'u1', role: 'user', sessionId: 's2', employeeId: 'kim', name: '김' };

function setup() {
  const kim = Object.assign(new UserEntity(), { id: 'u1', employeeId: 'kim01', email: 'Kim01@Example.com', status: 'active', passwordHash: 'old' });
  const pendingLee = Object.assign(new UserEntity(), { id: 'u2', employeeId: 'lee01', email: 'lee01@example.com', status: 'pending', passwordHash: 'old' });
  const users = [kim, pendingLee];
  const rows = new Map<string, PasswordResetEntity>();
  const resets = {
    insert: async (r: PasswordResetEntity) => void rows.set(r.id, { ...r }),
    findById: async (id: string) => (rows.has(id) ? { ...rows.get(id)! } : null),
    findByTicketHash: async (h: string) => [...rows.values()].find((r) => r.ticketHash === h) ?? null,
    expireStale: async () => {
      for (const r of rows.values()) if ((r.status === 'pending' || r.status === 'approved') && r.expiresAt.getTime() <= Date.now()) r.status = 'expired';
    },
    supersedePending: async (userId: string) => {
      for (const r of rows.values()) if (r.userId === userId && r.status === 'pending') r.status = 'expired';
    },
    transition: async (id: string, from: string, to: Partial<PasswordResetEntity>) => {
      const r = rows.get(id);
      if (!r || r.status !== from || r.expiresAt.getTime() <= Date.now()) return false;
      Object.assign(r, to);
      return true;
    },
    countPending: async () => [...rows.values()].filter((r) => r.status === 'pending').length,
    listForAdmin: jest.fn(async () => []),
  };
  const usersRepo = {
    findByEmployeeId: async (id: string) => users.find((u) => u.employeeId.toLowerCase() === id.toLowerCase()) ?? null,
    findById: async (id: string) => users.find((u) => u.id === id) ?? null,
    setPassword: jest.fn(async (id: string, hash: string) => void (users.find((u) => u.id === id)!.passwordHash = hash)),
  };
  const sessions = { revokeAllForUser: jest.fn(async () => undefined) };
  const audit = { write: jest.fn(async () => undefined) };
  const realtime = { disconnectUser: jest.fn() };
  const notify = jest.fn(async () => undefined);
  const db = fakeDatabase();
  const service = new PasswordResetService(
    db,
    resets as unknown as PasswordResetRepository,
    usersRepo as unknown as UsersRepository,
    sessions as unknown as SessionsRepository,
    audit as unknown as AuditRepository,
    new Throttle(),
    { notify } as unknown as PendingNotifier,
    realtime as unknown as RealtimeService,
  );
  return { service, rows, kim, usersRepo, sessions, audit, realtime, notify, resets };
}

describe('PasswordResetService', () => {
  it('stores nothing for an unknown id, a wrong e-mail or an account that is not active, and answers the same', async () => {
    const { service, rows, notify } = setup();
    for (const dto of [
      { employeeId: 'nobody', email: 'x@example.com' },
      { employeeId: 'kim01', email: 'other@example.com' },
      { employeeId: 'lee01', email: 'lee01@example.com' },
    ]) {
      const res = await service.request(dto, '10.0.0.1');
      expect(res.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await service.status(res.ticket)).toBe('pending');
      expect((await failure(service.complete({ ticket: res.ticket, newPassword: 'Brand-New-Pass-1!' }))).code).toBe('RESET_NOT_APPROVED');
    }
    expect(rows.size).toBe(0);
    expect(notify).not.toHaveBeenCalled();
  });

  it('pending → approved → completed: sets the password, ends every session, closes the sockets', async () => {
    const { service, rows, kim, sessions, audit, realtime, notify } = setup();
    const { requestId, ticket } = await service.request({ employeeId: 'KIM01', email: 'kim01@example.com' }, '10.0.0.1');
    expect(rows.get(requestId)).toMatchObject({ status: 'pending', userId: 'u1', ticketHash: sha256Hex(ticket) });
    expect(notify).toHaveBeenCalledWith('reset', expect.any(Function));

    expect((await failure(service.complete({ ticket, newPassword: 'Brand-New-Pass-1!' }))).details).toEqual({ status: 'pending' });
    expect(await service.approve(ADMIN, requestId)).toBe('approved');
    expect(audit.write).toHaveBeenCalledWith({ actorId: 'admin-id', action: 'password_reset.approve', target: 'u1', detail: { requestId, employeeId: 'kim01' } }, { tx: true });
    expect(await service.status(ticket)).toBe('approved');

    expect((await failure(service.complete({ ticket, newPassword: 'KIM01' }))).code).toBe('WEAK_PASSWORD');
    expect(await service.status(ticket)).toBe('approved');
    await service.complete({ ticket, newPassword: 'Brand-New-Pass-1!' });
    expect(kim.passwordHash).toBe('fake$Brand-New-Pass-1!');
    expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', undefined, { tx: true });
    expect(realtime.disconnectUser).toHaveBeenCalledWith('u1', 'password_reset');
    expect(await service.status(ticket)).toBe('completed');
    expect((await failure(service.complete({ ticket, newPassword: 'Brand-New-Pass-2!' }))).details).toEqual({ status: 'completed' });
  });

  it('a decision is final: approving or rejecting twice is RESET_ALREADY_DECIDED, an unknown id RESET_NOT_FOUND', async () => {
    const { service, audit } = setup();
    const { requestId, ticket } = await service.request({ employeeId: 'kim01', email: 'kim01@example.com' }, '10.0.0.1');
    expect(await service.reject(ADMIN, requestId)).toBe('rejected');
    expect(await service.status(ticket)).toBe('rejected');
    const again = await failure(service.approve(ADMIN, requestId));
    expect(again.code).toBe('RESET_ALREADY_DECIDED');
    expect(again.details).toEqual({ status: 'rejected' });
    expect((await failure(service.approve(ADMIN, 'no-such-id'))).code).toBe('RESET_NOT_FOUND');
    expect(audit.write).toHaveBeenCalledTimes(1);
  });

  it('a newer request supersedes the older one; a stale one expires and cannot be approved', async () => {
    const { service, rows } = setup();
    const older = await service.request({ employeeId: 'kim01', email: 'kim01@example.com' }, '10.0.0.1');
    const newer = await service.request({ employeeId: 'kim01', email: 'kim01@example.com' }, '10.0.0.1');
    expect(await service.status(older.ticket)).toBe('expired');
    rows.get(newer.requestId)!.expiresAt = new Date(Date.now() - 1);
    expect(await service.status(newer.ticket)).toBe('expired');
    expect((await failure(service.approve(ADMIN, newer.requestId))).details).toEqual({ status: 'expired' });
  });

  it('only an admin lists or decides, checked before anything is read', async () => {
    const { service, resets } = setup();
    expect((await failure(service.list(EMPLOYEE))).code).toBe('ADMIN_ONLY');
    expect((await failure(service.approve(EMPLOYEE, 'x'))).code).toBe('ADMIN_ONLY');
    expect((await failure(service.reject(EMPLOYEE, 'x'))).code).toBe('ADMIN_ONLY');
    expect(resets.listForAdmin).not.toHaveBeenCalled();
  });
});
