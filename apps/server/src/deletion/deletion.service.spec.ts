import type { AuditRepository } from '../common/audit.repository';
import type { AuthContext } from '../common/auth-context';
import type { MembershipRepository } from '../common/membership.repository';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { Database } from '../database/data-source';
import type { RoomEntity, UserEntity } from '../database/entities';
import type { FilesRepository } from '../files/files.repository';
import type { FilesService } from '../files/files.service';
import type { RealtimeService } from '../realtime/realtime.service';
import type { BackupWriter } from './backup.writer';
import type { DeletionRepository } from './deletion.repository';
import { DeletionService } from './deletion.service';
import type { RoomPurger } from './room-purger';

const admin: AuthContext = { userId: 'admin-1', role: 'admin', sessionId: 's', employeeId: 'admin', name: '관리자' };
const member: AuthContext = { userId: 'user-1', role: 'user', sessionId: 's', employeeId: 'E1', name: '직원' };

function setup(room: Partial<RoomEntity> | null = null) {
  const transaction = jest.fn();
  const realtime = { toUsers: jest.fn(), disconnectUser: jest.fn() };
  const purger = { purge: jest.fn() };
  const membership = { requireMember: jest.fn().mockResolvedValue({}) };
  const begin = jest.fn().mockRejectedValue(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
  const repo = {
    findUser: jest.fn().mockResolvedValue({ id: 'user-2', employeeId: 'E2', name: '떠나는 직원' } as UserEntity),
    findRoom: jest.fn().mockResolvedValue(room),
  };
  const service = new DeletionService(
    { transaction } as unknown as Database,
    repo as unknown as DeletionRepository,
    {} as FilesRepository,
    {} as FilesService,
    {} as SessionsRepository,
    membership as unknown as MembershipRepository,
    {} as AuditRepository,
    realtime as unknown as RealtimeService,
    { begin } as unknown as BackupWriter,
    purger as unknown as RoomPurger,
  );
  return { service, transaction, realtime, begin, purger, membership };
}

describe('DeletionService', () => {
  it('deletes nothing and answers BACKUP_FAILED when the backup cannot be written', async () => {
    const { service, transaction, realtime, begin } = setup();
    await expect(service.deleteUser(admin, 'user-2')).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
    expect(begin).toHaveBeenCalled();
    expect(transaction).not.toHaveBeenCalled();
    expect(realtime.disconnectUser).not.toHaveBeenCalled();
  });

  it('refuses non-admins and the admin themself before writing anything', async () => {
    const { service, begin } = setup();
    await expect(service.deleteUser(member, 'user-2')).rejects.toMatchObject({ code: 'ADMIN_ONLY' });
    await expect(service.deleteUser(admin, admin.userId)).rejects.toMatchObject({ code: 'CANNOT_DELETE_SELF' });
    expect(begin).not.toHaveBeenCalled();
  });

  it('lets only the creator (or an admin) delete a group, and only an admin delete a 1:1 chat', async () => {
    const group = setup({ id: 'r', kind: 'group', createdBy: 'someone-else' });
    await expect(group.service.deleteRoom(member, 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(group.begin).not.toHaveBeenCalled();
    const direct = setup({ id: 'r', kind: 'direct', createdBy: member.userId });
    await expect(direct.service.deleteRoom(member, 'r')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The creator gets past the check (and here stops at the failing backup).
    const own = setup({ id: 'r', kind: 'group', createdBy: member.userId });
    await expect(own.service.deleteRoom(member, 'r')).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
    expect(own.transaction).not.toHaveBeenCalled();
    expect(own.purger.purge).not.toHaveBeenCalled();
    // A creator who left is refused as any outsider is.
    const left = setup({ id: 'r', kind: 'group', createdBy: member.userId });
    left.membership.requireMember.mockRejectedValue(Object.assign(new Error('not a member'), { code: 'ROOM_NOT_MEMBER' }));
    await expect(left.service.deleteRoom(member, 'r')).rejects.toMatchObject({ code: 'ROOM_NOT_MEMBER' });
    expect(left.begin).not.toHaveBeenCalled();
  });
});
