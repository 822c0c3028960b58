import type { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import { AuditLogEntity, UserEntity } from '../database/entities';
import type { PendingNotifier } from '../users/pending.notifier';
import type { UsersRepository } from '../users/users.repository';
import type { AdminRoomsRepository } from './admin-rooms.repository';
import { AdminService } from './admin.service';
import { failure, fakeDatabase } from '../../test/spec.helpers';

const ADMIN: AuthContext = { userId: 'admin-id', role: 'admin', sessionId: 's1', employeeId: 'admin', name: '관리자' };
const EMPLOYEE: AuthContext = { userId: 'u9', role: 'user', sessionId: 's2', employeeId: 'kim', name: '김' };
const TX = { tx: true };

function setup() {
  const users = new Map<string, UserEntity>(
    ['pending', 'active'].map((status, i) => [
      `u${i}`,
      Object.assign(new UserEntity(), { id: `u${i}`, employeeId: `e${i}`, name: `이름${i}`, email: `e${i}@x.co`, department: 'd', position: 'p', grade: 'g', role: 'user', status }),
    ]),
  );
  const repo = {
    decide: jest.fn(async (id: string, status: 'active' | 'rejected') => {
      const u = users.get(id);
      if (!u || u.status !== 'pending') return false;
      u.status = status;
      return true;
    }),
    findById: async (id: string) => users.get(id) ?? null,
    listPending: jest.fn(async () => [...users.values()].filter((u) => u.status === 'pending')),
    countPending: async () => [...users.values()].filter((u) => u.status === 'pending').length,
  };
  const entries = Array.from({ length: 5 }, (_, i) => Object.assign(new AuditLogEntity(), { id: 5 - i, actorId: 'a', action: 'user.approve', target: 't', detail: null, at: new Date(0) }));
  const audit = {
    write: jest.fn(async () => undefined),
    list: jest.fn(async (limit: number, before?: number) => entries.filter((e) => before === undefined || e.id < before).slice(0, limit)),
  };
  const notify = jest.fn(async () => undefined);
  const db = fakeDatabase(TX);
  const service = new AdminService(db, repo as unknown as UsersRepository, audit as unknown as AuditRepository, { notify } as unknown as PendingNotifier, {} as AdminRoomsRepository);
  return { service, repo, audit, notify };
}

describe('AdminService', () => {
  it('approves a pending signup, with its audit row in the same transaction, and updates the admins’ count', async () => {
    const { service, audit, notify } = setup();
    const user = await service.approveUser(ADMIN, 'u0');
    expect(user).toMatchObject({ id: 'u0', status: 'active' });
    expect(user).not.toHaveProperty('passwordHash');
    expect(audit.write).toHaveBeenCalledWith({ actorId: 'admin-id', action: 'user.approve', target: 'u0', detail: { employeeId: 'e0', name: '이름0' } }, TX);
    expect(notify).toHaveBeenCalledWith('signup', expect.any(Function));
  });

  it('refuses to decide an account that is not pending (409) or does not exist (404), writing no audit row', async () => {
    const { service, audit } = setup();
    const notPending = await failure(service.rejectUser(ADMIN, 'u1'));
    expect(notPending.code).toBe('USER_NOT_PENDING');
    expect(notPending.details).toEqual({ status: 'active' });
    expect((await failure(service.approveUser(ADMIN, 'missing'))).code).toBe('USER_NOT_FOUND');
    expect(audit.write).not.toHaveBeenCalled();
  });

  it('checks admin first, before reading or writing anything', async () => {
    const { service, repo, audit } = setup();
    expect((await failure(service.approveUser(EMPLOYEE, 'u0'))).code).toBe('ADMIN_ONLY');
    expect((await failure(service.rejectUser(EMPLOYEE, 'u0'))).code).toBe('ADMIN_ONLY');
    expect((await failure(service.pendingUsers(EMPLOYEE))).code).toBe('ADMIN_ONLY');
    expect((await failure(service.auditLog(EMPLOYEE, { limit: 10 }))).code).toBe('ADMIN_ONLY');
    expect(repo.decide).not.toHaveBeenCalled();
    expect(repo.listPending).not.toHaveBeenCalled();
    expect(audit.list).not.toHaveBeenCalled();
  });

  it('pages the audit log with an opaque cursor until the end', async () => {
    const { service } = setup();
    const first = await service.auditLog(ADMIN, { limit: 2 });
    expect(first.entries.map((e) => e.id)).toEqual(['5', '4']);
    const second = await service.auditLog(ADMIN, { limit: 2, cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.id)).toEqual(['3', '2']);
    const last = await service.auditLog(ADMIN, { limit: 2, cursor: second.nextCursor! });
    expect(last.entries.map((e) => e.id)).toEqual(['1']);
    expect(last.nextCursor).toBeNull();
    expect((await failure(service.auditLog(ADMIN, { limit: 2, cursor: 'garbage' }))).code).toBe('VALIDATION_FAILED');
  });
});
