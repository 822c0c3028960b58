import type { SessionsRepository } from '../auth/sessions.repository';
import { Throttle } from '../auth/throttle';
import type { AuthContext } from '../common/auth-context';
import { UserEntity } from '../database/entities';
import type { UsersRepository } from './users.repository';
import type { RealtimeService } from '../realtime/realtime.service';
import { UsersService } from './users.service';
import { failure, fakeDatabase } from '../../test/spec.helpers';

jest.mock('../auth/password', () => ({
  ...jest.requireActual('../auth/password'),
  hashPassword: async (p: string) => `fake$${p}`,
  verifyPassword: async (p: string, h: string) => h === `fake$${p}`,
}));

const ME: AuthContext = { userId: 'u1', role: 'user', sessionId: 'my-session', employeeId: 'kim01', name: '김' };
const TX = { tx: true };

function setup() {
  const me = Object.assign(new UserEntity(), { id: 'u1', employeeId: 'kim01', name: '김', passwordHash: 'fake$Current-Pass-1!', status: 'active' });
  const users = {
    findById: async (id: string) => (id === 'u1' ? me : null),
    setPassword: jest.fn(async (_id: string, hash: string) => void (me.passwordHash = hash)),
    listActive: jest.fn(async (f: { limit: number }) =>
      Array.from({ length: Math.min(f.limit, 3) }, (_, i) => Object.assign(new UserEntity(), { id: `id${i}`, name: `이름${i}`, status: 'active' })),
    ),
  };
  const sessions = { revokeAllForUser: jest.fn(async () => undefined) };
  const db = fakeDatabase(TX);
  const realtime = { disconnectOtherSessions: jest.fn(async () => undefined) };
  const service = new UsersService(db, users as unknown as UsersRepository, sessions as unknown as SessionsRepository, new Throttle(), realtime as unknown as RealtimeService);
  return { service, me, users, sessions, realtime };
}

describe('UsersService.changePassword', () => {
  it('needs the current password and refuses weak new ones, changing nothing', async () => {
    const { service, users, sessions, realtime } = setup();
    expect((await failure(service.changePassword(ME, { currentPassword: 'nope', newPassword: 'Brand-New-1!' }))).code).toBe('WRONG_PASSWORD');
    expect((await failure(service.changePassword(ME, { currentPassword: 'Current-Pass-1!', newPassword: 'qwerty123' }))).code).toBe('WEAK_PASSWORD');
    expect((await failure(service.changePassword(ME, { currentPassword: 'Current-Pass-1!', newPassword: 'KIM01' }))).code).toBe('WEAK_PASSWORD');
    expect(users.setPassword).not.toHaveBeenCalled();
    expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
    expect(realtime.disconnectOtherSessions).not.toHaveBeenCalled();
  });

  it('sets the new password and ends every session but the caller’s, in one transaction', async () => {
    const { service, me, sessions, realtime } = setup();
    await service.changePassword(ME, { currentPassword: 'Current-Pass-1!', newPassword: 'Brand-New-1!' });
    expect(me.passwordHash).toBe('fake$Brand-New-1!');
    expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'my-session', TX);
    expect(realtime.disconnectOtherSessions).toHaveBeenCalledWith('u1', 'my-session', 'password_changed');
  });
});

describe('UsersService.list', () => {
  it('asks for one row more than the page to know whether another page follows', async () => {
    const { service, users } = setup();
    const page = await service.list(ME, { limit: 2 });
    expect(users.listActive).toHaveBeenCalledWith(expect.objectContaining({ limit: 3 }));
    expect(page.users.map((u) => u.id)).toEqual(['id0', 'id1']);
    expect(page.nextCursor).toEqual(expect.any(String));
    await service.list(ME, { limit: 2, cursor: page.nextCursor! });
    expect(users.listActive).toHaveBeenLastCalledWith(expect.objectContaining({ after: { name: '이름1', id: 'id1' } }));
    const all = await service.list(ME, { limit: 5 });
    expect(all.nextCursor).toBeNull();
  });
});
