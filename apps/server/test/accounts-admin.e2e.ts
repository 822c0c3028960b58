import { randomUUID } from 'node:crypto';
import { type AdminRoomItem, ROUTES, type RouteDef } from '@hi-msg/contracts';
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

  const list = (query: Record<string, string | number>, token = admin) => request(server.url).get('/api/admin/rooms').query(query).set(bearer(token));

  it('finds rooms the admin is not in, by room or member name, page by page, and the admin deletes one', async () => {
    const [kim, lee, park] = await Promise.all([createActiveUser(server, { name: '김철수' }), createActiveUser(server, { name: '이영희' }), createActiveUser(server, { name: '박민수' })]);
    const mk = async (owner: typeof kim, name: string, members: (typeof kim)[]) => (await request(server.url).post('/api/create-chat-room').set(bearer(owner.accessToken)).send({ name, memberIds: members.map((m) => m.id) })).body.room.id as string;
    const sales = await mk(kim, '영업 2팀 (비공개)', [lee]);
    const hr = await mk(lee, '인사팀_50%', [park]);
    const direct = (await request(server.url).get(`/api/messages/${park.id}`).set(bearer(kim.accessToken))).body.room.id as string;

    // Everything, two at a time: each room once, groups by name before 1:1 chats.
    const seen: AdminRoomItem[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i += 1) {
      const res = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...(res.body.rooms as AdminRoomItem[]));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining([sales, hr, direct]));
    const groups = seen.filter((r) => r.kind === 'group');
    expect(seen.slice(0, groups.length).every((r) => r.kind === 'group')).toBe(true);
    expect(seen.find((r) => r.id === direct)).toMatchObject({ kind: 'direct', name: null, memberCount: 2, memberNames: ['김철수', '박민수'] });

    // By room name (LIKE's own characters are plain text), and by a member's name.
    expect(((await list({ q: '50%' })).body.rooms as AdminRoomItem[]).map((r) => r.id)).toEqual([hr]);
    expect(((await list({ q: '영희' })).body.rooms as AdminRoomItem[]).map((r) => r.id).sort()).toEqual([sales, hr].sort());

    // A group everyone left is removed with the last departure, and leaves the list.
    for (const u of [lee, park]) expect((await request(server.url).post(`/api/chat-rooms/${hr}/leave`).set(bearer(u.accessToken))).status).toBe(204);
    expect(((await list({ q: '인사팀' })).body.rooms as AdminRoomItem[]).map((r) => r.id)).toEqual([]);

    expect((await request(server.url).delete(`/api/delete-chat-room/${sales}`).set(bearer(admin))).status).toBe(204);
    expect(((await list({ q: '영업' })).body.rooms as AdminRoomItem[]).map((r) => r.id)).toEqual([]);
  });

  it('is for admins only, and refuses a bad query or cursor', async () => {
    const user = await createActiveUser(server);
    const refused = await list({}, user.accessToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ADMIN_ONLY');
    const bads: Record<string, string | number>[] = [{ limit: 0 }, { limit: 201 }, { cursor: 'not-a-cursor' }, { q: 'x'.repeat(101) }, { offset: 5 }];
    for (const bad of bads) {
      const res = await list(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
