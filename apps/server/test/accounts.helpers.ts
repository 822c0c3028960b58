import request from 'supertest';
import { AuditLogEntity, PasswordResetEntity, SessionEntity, UserEntity } from '../src/database/entities';
import { ADMIN_PASSWORD, type TestServer } from './harness';

let seq = 0;

/** A signup body no other test uses; the password is strong and not the employee id. */
export function signupBody(over: Record<string, unknown> = {}) {
  seq += 1;
  const tag = `${Date.now().toString(36)}${seq}`;
  return {
    employeeId: `K${tag}`,
    password: `Strong-Pass-${tag}!`,
    name: `김하늘 ${seq}`,
    email: `k${tag}@example.com`,
    department: '개발팀',
    position: '사원',
    grade: 'G2',
    ...over,
  };
}

export function register(server: TestServer, body: Record<string, unknown>) {
  return request(server.url).post('/api/register').send(body);
}

export function login(server: TestServer, employeeId: string, password: string) {
  return request(server.url).post('/api/login').send({ employeeId, password });
}

/** The admin created at first start, logged in with the harness's ADMIN_PASSWORD. */
export async function adminToken(server: TestServer): Promise<string> {
  const res = await login(server, 'admin', ADMIN_PASSWORD);
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Row counts of every table the account routes write, to prove a refused request changed nothing. */
export async function accountRowCounts(server: TestServer): Promise<Record<string, number>> {
  const m = server.db.manager;
  const [users, sessions, resets, audit] = await Promise.all([
    m.count(UserEntity),
    m.count(SessionEntity),
    m.count(PasswordResetEntity),
    m.count(AuditLogEntity),
  ]);
  const live = await m.createQueryBuilder(SessionEntity, 's').where('s.revoked_at IS NULL').getCount();
  return { users, sessions, liveSessions: live, resets, audit };
}
