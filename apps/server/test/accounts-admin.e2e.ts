import { randomUUID } from 'node:crypto';
import { ROUTES, type RouteDef } from '@hi-msg/contracts';
import request from 'supertest';
import { AuditLogEntity } from '../src/database/entities';
import { adminToken, bearer, register, signupBody } from './accounts.helpers';
import { createActiveUser, type TestUser } from './fixtures';
import { connectSocket, dialects, nextEvent, startServer, type TestServer } from './harness';

const routes = Object.entries(ROUTES) as [string, RouteDef][];
/** A concrete path for a route: a random uuid for every id, a plausible value for the rest. */
const pathOf = (r: RouteDef) => r.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'kind' ? 'user' : name === 'name' ? 'nothing.json' : randomUUID()));
const call = (server: TestServer, r: RouteDef) => {
  const agent = request(server.url);
  const path = pathOf(r);
  switch (r.method) {
    case 'GET':
      return agent.get(path);
    case 'POST':
      return agent.post(path);
    case 'PUT':
      return agent.put(path);
    case 'DELETE':
      return agent.delete(path);
  }
};

describe.each(dialects())('accounts: access and the directory on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let user: TestUser;
  beforeAll(async () => {
    server = await startServer(dialect);
    admin = await adminToken(server);
    user = await createActiveUser(server, { name: '최유나', department: '영업팀' });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(routes.filter(([, r]) => r.auth !== 'none'))('%s refuses a caller without a token (401)', async (_name, r) => {
    const res = await call(server, r);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it.each(routes.filter(([, r]) => r.auth !== 'none'))('%s refuses a forged token (401)', async (_name, r) => {
    const res = await call(server, r).set(bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'));
    expect(res.status).toBe(401);
  });

  it.each(routes.filter(([, r]) => r.auth === 'admin'))('%s refuses a normal user (403 ADMIN_ONLY)', async (_name, r) => {
    const res = await call(server, r).set(bearer(user.accessToken));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ADMIN_ONLY');
  });

  it('tells every connected admin at once when a signup or a reset request arrives', async () => {
    const socket = await connectSocket(server.url, admin);
    try {
      const signup = nextEvent(socket, 'admin_pending');
      expect((await register(server, signupBody())).status).toBe(201);
      expect(await signup).toEqual({ kind: 'signup', count: 1 });
      const reset = nextEvent(socket, 'admin_pending');
      const asked = await request(server.url).post('/api/password-reset/request').send({ employeeId: user.employeeId, email: `${user.employeeId}@example.com` });
      expect(asked.status).toBe(201);
      expect(await reset).toEqual({ kind: 'reset', count: 1 });
    } finally {
      socket.close();
    }
  });

  it('lists active users only, filtered by Korean name, employee id (any case) and department, paged to the end', async () => {
    const people = await Promise.all(
      ['가나다 김', '가나다 이', '가나다 박', '가나다 최', '가나다 정'].map((name, i) => createActiveUser(server, { name, department: i % 2 ? '인사팀' : '개발팀' })),
    );
    const pendingOne = await register(server, signupBody({ name: '가나다 대기' }));
    expect(pendingOne.status).toBe(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(server.url)
        .get('/api/users')
        .query({ q: '가나다', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(bearer(user.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.users.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.users.map((u: { name: string }) => u.name));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['가나다 김', '가나다 박', '가나다 이', '가나다 정', '가나다 최']);
    expect(pages).toBe(3);

    const byId = await request(server.url).get('/api/users').query({ q: people[2]!.employeeId.toUpperCase() }).set(bearer(user.accessToken));
    expect(byId.body.users.map((u: { id: string }) => u.id)).toEqual([people[2]!.id]);
    expect(byId.body.users[0]).toEqual({
      id: people[2]!.id,
      employeeId: people[2]!.employeeId,
      name: '가나다 박',
      email: `${people[2]!.employeeId}@example.com`,
      department: '개발팀',
      position: '사원',
      grade: 'G1',
      role: 'user',
      status: 'active',
    });

    const hr = await request(server.url).get('/api/users').query({ q: '가나다', department: '인사팀' }).set(bearer(user.accessToken));
    expect(hr.body.users.map((u: { name: string }) => u.name)).toEqual(['가나다 이', '가나다 최']);
    expect(hr.body.nextCursor).toBeNull();

    const wildcard = await request(server.url).get('/api/users').query({ q: '%' }).set(bearer(user.accessToken));
    expect(wildcard.body.users).toEqual([]);
  });

  it('racing signups for one employee id: exactly one wins, the other is told the id is taken', async () => {
    const a = signupBody();
    const b = signupBody({ employeeId: a.employeeId.toLowerCase() });
    const results = await Promise.all([register(server, a), register(server, b)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('EMPLOYEE_ID_TAKEN');
  });

  it('two admins deciding one signup at once: one decision, one audit row, the other gets USER_NOT_PENDING', async () => {
    const second = await createActiveUser(server, { role: 'admin' });
    const reg = await register(server, signupBody());
    const auditBefore = await server.db.manager.count(AuditLogEntity, { where: { target: reg.body.user.id } });
    const results = await Promise.all([
      request(server.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(admin)),
      request(server.url).put(`/api/reject-user/${reg.body.user.id}`).set(bearer(second.accessToken)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('USER_NOT_PENDING');
    expect(await server.db.manager.count(AuditLogEntity, { where: { target: reg.body.user.id } })).toBe(auditBefore + 1);
  });

  it('pages the audit log newest first', async () => {
    for (let i = 0; i < 3; i += 1) {
      const reg = await register(server, signupBody());
      expect((await request(server.url).put(`/api/reject-user/${reg.body.user.id}`).set(bearer(admin))).status).toBe(200);
    }
    const first = await request(server.url).get('/api/admin/audit-log').query({ limit: 2 }).set(bearer(admin));
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(server.url).get('/api/admin/audit-log').query({ limit: 2, cursor: first.body.nextCursor }).set(bearer(admin));
    const ids = [...first.body.entries, ...second.body.entries].map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(second.body.entries[0]).toMatchObject({ action: 'user.reject', actorId: expect.any(String), at: expect.stringMatching(/Z$/) });
  });
});
