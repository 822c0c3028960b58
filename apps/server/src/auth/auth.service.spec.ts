import type { AppConfig } from '../config/config';
import { type SessionEntity, UserEntity } from '../database/entities';
import type { PendingNotifier } from '../users/pending.notifier';
import type { UsersRepository } from '../users/users.repository';
import { AuthService } from './auth.service';
import { verifyPassword } from './password';
import type { SessionsRepository } from './sessions.repository';
import { DEFAULT_THROTTLE_LIMITS, Throttle } from './throttle';
import { TokenService } from './token.service';
import { failure as failed, fakeDatabase } from '../../test/spec.helpers';

// The rules under test do not depend on scrypt's cost; a transparent fake keeps this suite fast.
jest.mock('./password', () => ({
  ...jest.requireActual('./password'),
  hashPassword: async (p: string) => `fake$${p}`,
  verifyPassword: jest.fn(async (p: string, h: string) => h === `fake$${p}`),
  dummyPasswordHash: async () => 'fake$\u0000dummy',
}));

const PASSWORD = 'Correct-Horse-2026!';
const passwordHash = `fake$${PASSWORD}`;

function user(employeeId: string, status: UserEntity['status']): UserEntity {
  return Object.assign(new UserEntity(), {
    id: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    employeeId,
    name: '테스트',
    email: `${employeeId}@example.com`,
    department: '개발팀',
    position: '사원',
    grade: 'G1',
    passwordHash,
    role: 'user',
    status,
    tokenVersion: 0,
    createdAt: new Date(),
    approvedAt: null,
    approvedBy: null,
  });
}

/** AuthService over in-memory users and sessions; the throttle and token service are the real ones. */
function setup(users: UserEntity[], limits = DEFAULT_THROTTLE_LIMITS) {
  const sessions = new Map<string, SessionEntity>();
  const usersRepo = {
    findByEmployeeId: async (id: string) => users.find((u) => u.employeeId.toLowerCase() === id.toLowerCase()) ?? null,
    findById: async (id: string) => users.find((u) => u.id === id) ?? null,
  } as unknown as UsersRepository;
  const sessionsRepo = {
    insert: async (s: SessionEntity) => void sessions.set(s.id, { ...s }),
    findById: async (id: string) => (sessions.has(id) ? { ...sessions.get(id)! } : null),
    revoke: jest.fn(async (id: string) => void (sessions.get(id)!.revokedAt = new Date())),
    rotate: async (id: string, expected: string, next: string, expiresAt: Date) => {
      const s = sessions.get(id);
      if (!s || s.revokedAt || s.refreshHash !== expected) return false;
      Object.assign(s, { refreshHash: next, expiresAt, generation: s.generation + 1 });
      return true;
    },
  };
  const db = fakeDatabase();
  const pending = { notify: jest.fn() } as unknown as PendingNotifier;
  const tokens = new TokenService({ jwtSecret: 's'.repeat(48) } as AppConfig);
  const service = new AuthService(db, usersRepo, sessionsRepo as unknown as SessionsRepository, tokens, new Throttle(limits), pending);
  return { service, sessions, revoke: sessionsRepo.revoke };
}

const failure = async (p: Promise<unknown>) => (await failed(p)).code;

describe('AuthService.login', () => {
  it('checks the password before the account status, so a stranger learns nothing', async () => {
    const { service, sessions } = setup([user('pend', 'pending'), user('rej', 'rejected')]);
    expect(await failure(service.login({ employeeId: 'pend', password: 'wrong-one' }, 'a'))).toBe('INVALID_CREDENTIALS');
    expect(await failure(service.login({ employeeId: 'rej', password: 'wrong-one' }, 'a'))).toBe('INVALID_CREDENTIALS');
    expect(await failure(service.login({ employeeId: 'nobody', password: 'wrong-one' }, 'a'))).toBe('INVALID_CREDENTIALS');
    expect(await failure(service.login({ employeeId: 'pend', password: PASSWORD }, 'a'))).toBe('ACCOUNT_PENDING');
    expect(await failure(service.login({ employeeId: 'rej', password: PASSWORD }, 'a'))).toBe('ACCOUNT_REJECTED');
    expect(sessions.size).toBe(0);
    // The unknown id was still checked against a hash, like a known one.
    expect(verifyPassword).toHaveBeenCalledWith('wrong-one', 'fake$\u0000dummy');
  });

  it('an active account gets a session and a token pair', async () => {
    const active = user('kim', 'active');
    const { service, sessions } = setup([active]);
    const res = await service.login({ employeeId: 'KIM', password: PASSWORD, device: 'desktop' }, 'a');
    expect(res.user.id).toBe(active.id);
    expect(res.expiresIn).toBe(3600);
    const [sessionId] = res.refreshToken.split('.');
    expect(sessions.get(sessionId!)).toMatchObject({ userId: active.id, device: 'desktop', revokedAt: null });
    expect(sessions.get(sessionId!)!.refreshHash).not.toContain(res.refreshToken.split('.')[1]);
  });

  it('a success clears the account’s failures; the limit counts only failures in a row', async () => {
    const { service } = setup([user('lee', 'active')], { ...DEFAULT_THROTTLE_LIMITS, loginAccount: { points: 2, windowSeconds: 60 } });
    expect(await failure(service.login({ employeeId: 'lee', password: 'x1' }, 'a'))).toBe('INVALID_CREDENTIALS');
    await service.login({ employeeId: 'lee', password: PASSWORD }, 'a');
    expect(await failure(service.login({ employeeId: 'lee', password: 'x2' }, 'a'))).toBe('INVALID_CREDENTIALS');
    expect(await failure(service.login({ employeeId: 'lee', password: 'x3' }, 'a'))).toBe('INVALID_CREDENTIALS');
    expect(await failure(service.login({ employeeId: 'lee', password: PASSWORD }, 'a'))).toBe('RATE_LIMITED');
  });
});

describe('AuthService.refresh', () => {
  it('rotates; the old token presented again ends the session', async () => {
    const { service, revoke } = setup([user('park', 'active')]);
    const { refreshToken: first } = await service.login({ employeeId: 'park', password: PASSWORD }, 'a');
    const second = await service.refresh(first);
    expect(second.refreshToken).not.toBe(first);
    const third = await service.refresh(second.refreshToken);
    expect(revoke).not.toHaveBeenCalled();
    expect(await failure(service.refresh(first))).toBe('INVALID_REFRESH_TOKEN');
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(await failure(service.refresh(third.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('a secret this server never minted is refused without ending the session', async () => {
    const { service, revoke } = setup([user('choi', 'active')]);
    const { refreshToken } = await service.login({ employeeId: 'choi', password: PASSWORD }, 'a');
    const [sessionId] = refreshToken.split('.');
    expect(await failure(service.refresh(`${sessionId}.${'A'.repeat(54)}`))).toBe('INVALID_REFRESH_TOKEN');
    expect(await failure(service.refresh('not-a-token'))).toBe('INVALID_REFRESH_TOKEN');
    expect(revoke).not.toHaveBeenCalled();
    await expect(service.refresh(refreshToken)).resolves.toMatchObject({ expiresIn: 3600 });
  });

  it('two refreshes racing with the same token: one wins, the session then ends', async () => {
    const { service, sessions } = setup([user('jung', 'active')]);
    const { refreshToken } = await service.login({ employeeId: 'jung', password: PASSWORD }, 'a');
    const results = await Promise.allSettled([service.refresh(refreshToken), service.refresh(refreshToken)]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(sessions.get(refreshToken.split('.')[0]!)!.revokedAt).not.toBeNull();
  });

  it('an account that is no longer active cannot refresh', async () => {
    const u = user('han', 'active');
    const { service, revoke } = setup([u]);
    const { refreshToken } = await service.login({ employeeId: 'han', password: PASSWORD }, 'a');
    u.status = 'rejected';
    expect(await failure(service.refresh(refreshToken))).toBe('INVALID_REFRESH_TOKEN');
    expect(revoke).toHaveBeenCalledTimes(1);
  });
});
