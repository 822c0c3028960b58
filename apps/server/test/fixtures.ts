import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../src/auth/password';
import { SessionsRepository } from '../src/auth/sessions.repository';
import { TokenService } from '../src/auth/token.service';
import { UserEntity } from '../src/database/entities';
import type { TestServer } from './harness';

export interface TestUser {
  id: string;
  employeeId: string;
  name: string;
  password: string;
  accessToken: string;
  sessionId: string;
}

let counter = 0;
let sharedHash: Promise<string> | undefined;
const FIXTURE_PASSWORD = 'Fixture-Pass-2026!';

/**
 * An approved user with a live session, written straight to the database so messaging and
 * file tests do not depend on the signup flow. Every fixture user's password is FIXTURE_PASSWORD.
 */
export async function createActiveUser(server: TestServer, over: Partial<Pick<UserEntity, 'name' | 'department' | 'role' | 'employeeId'>> = {}): Promise<TestUser> {
  counter += 1;
  const id = randomUUID();
  const employeeId = over.employeeId ?? `e${Date.now().toString(36)}${counter}`;
  sharedHash ??= hashPassword(FIXTURE_PASSWORD);
  const user: UserEntity = Object.assign(new UserEntity(), {
    id,
    employeeId,
    name: over.name ?? `사용자 ${counter}`,
    email: `${employeeId}@example.com`,
    department: over.department ?? '개발팀',
    position: '사원',
    grade: 'G1',
    passwordHash: await sharedHash,
    role: over.role ?? 'user',
    status: 'active' as const,
    tokenVersion: 0,
    createdAt: new Date(),
    approvedAt: new Date(),
    approvedBy: null,
  });
  await server.db.manager.insert(UserEntity, user);
  const session = await newSession(server, id);
  return { id, employeeId, name: user.name, password: FIXTURE_PASSWORD, ...session };
}

/** Another live session (device) for the same user. */
export async function newSession(server: TestServer, userId: string): Promise<{ accessToken: string; sessionId: string }> {
  const sessionId = randomUUID();
  await server.app.get(SessionsRepository).insert({
    id: sessionId,
    userId,
    refreshHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    generation: 0,
    device: 'test',
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 30 * 86400_000),
    revokedAt: null,
  });
  return { sessionId, accessToken: server.app.get(TokenService).signAccess({ userId, sessionId }) };
}
