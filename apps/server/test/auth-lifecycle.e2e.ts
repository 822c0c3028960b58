import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { UserEntity } from '../src/database/entities';
import { InitialAdminService } from '../src/users/initial-admin.service';
import { UsersRepository } from '../src/users/users.repository';
import { adminToken, bearer, login, register, signupBody } from './accounts.helpers';
import { ADMIN_PASSWORD, dialects, startServer, type TestServer } from './harness';

describe.each(dialects())('account lifecycle on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startServer(dialect);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports health with the database in use', async () => {
    const res = await request(server.url).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: dialect });
  });

  it('signup → pending → approved → login → me → password change ends the other sessions', async () => {
    const body = signupBody({ name: '이서준' });
    const reg = await register(server, body);
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ employeeId: body.employeeId, name: '이서준', status: 'pending', role: 'user' });
    expect(reg.body.user).not.toHaveProperty('passwordHash');

    const early = await login(server, body.employeeId, body.password);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('ACCOUNT_PENDING');

    const pending = await request(server.url).get('/api/pending-users').set(bearer(admin));
    expect(pending.status).toBe(200);
    expect(pending.body.users.map((u: { id: string }) => u.id)).toContain(reg.body.user.id);

    const approved = await request(server.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(admin));
    expect(approved.status).toBe(200);
    expect(approved.body.user).toMatchObject({ id: reg.body.user.id, status: 'active' });
    const again = await request(server.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(admin));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('USER_NOT_PENDING');

    const first = await login(server, body.employeeId, body.password);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expiresIn: 3600, user: { id: reg.body.user.id, status: 'active' } });
    expect(first.body.refreshToken).toMatch(new RegExp(`^[0-9a-f-]{36}\\.[A-Za-z0-9_-]+$`));
    const second = await login(server, body.employeeId.toLowerCase(), body.password);
    expect(second.status).toBe(200);

    const me = await request(server.url).get('/api/users/me').set(bearer(first.body.accessToken));
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(first.body.user);

    const wrong = await request(server.url).put('/api/users/me/password').set(bearer(first.body.accessToken)).send({ currentPassword: 'not-my-password', newPassword: 'Another-Pass-2026!' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('WRONG_PASSWORD');
    const weak = await request(server.url).put('/api/users/me/password').set(bearer(first.body.accessToken)).send({ currentPassword: body.password, newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');

    const newPassword = 'Another-Pass-2026!';
    const changed = await request(server.url).put('/api/users/me/password').set(bearer(first.body.accessToken)).send({ currentPassword: body.password, newPassword });
    expect(changed.status).toBe(204);

    // This device stays signed in; the other one is out, access and refresh alike.
    expect((await request(server.url).get('/api/users/me').set(bearer(first.body.accessToken))).status).toBe(200);
    const other = await request(server.url).get('/api/users/me').set(bearer(second.body.accessToken));
    expect(other.status).toBe(401);
    expect(other.body.error.code).toBe('UNAUTHENTICATED');
    const otherRefresh = await request(server.url).post('/api/auth/refresh').send({ refreshToken: second.body.refreshToken });
    expect(otherRefresh.status).toBe(401);
    expect(otherRefresh.body.error.code).toBe('INVALID_REFRESH_TOKEN');

    const old = await login(server, body.employeeId, body.password);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(server, body.employeeId, newPassword)).status).toBe(200);

    const audit = await request(server.url).get('/api/admin/audit-log').set(bearer(admin));
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'user.approve', target: reg.body.user.id, detail: JSON.stringify({ employeeId: body.employeeId, name: '이서준' }) })]));
  });

  it('a rejected signup cannot log in, and its id and e-mail stay taken', async () => {
    const body = signupBody();
    const reg = await register(server, body);
    const rejected = await request(server.url).put(`/api/reject-user/${reg.body.user.id}`).set(bearer(admin));
    expect(rejected.status).toBe(200);
    expect(rejected.body.user.status).toBe('rejected');
    const res = await login(server, body.employeeId, body.password);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_REJECTED');
    // Wrong password on a rejected account: the same answer as for a stranger.
    const wrong = await login(server, body.employeeId, 'Wrong-Password-1');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');

    const approveRejected = await request(server.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(admin));
    expect(approveRejected.status).toBe(409);
    expect(approveRejected.body.error.code).toBe('USER_NOT_PENDING');

    const dupId = await register(server, signupBody({ employeeId: body.employeeId.toLowerCase() }));
    expect(dupId.status).toBe(409);
    expect(dupId.body.error.code).toBe('EMPLOYEE_ID_TAKEN');
    const dupEmail = await register(server, signupBody({ email: body.email.toUpperCase() }));
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.body.error.code).toBe('EMAIL_TAKEN');

    const audit = await request(server.url).get('/api/admin/audit-log').set(bearer(admin));
    expect(audit.body.entries[0]).toMatchObject({ action: 'user.reject', target: reg.body.user.id, actorId: expect.any(String) });
  });

  it('refuses weak passwords at signup: common ones and the employee id itself', async () => {
    const common = await register(server, signupBody({ password: 'Password123' }));
    expect(common.status).toBe(400);
    expect(common.body.error.code).toBe('WEAK_PASSWORD');
    const own = await register(server, signupBody({ employeeId: 'same-as-pw', password: 'SAME-AS-PW' }));
    expect(own.status).toBe(400);
    expect(own.body.error.code).toBe('WEAK_PASSWORD');
  });

  it('answers a wrong password and an unknown employee id identically', async () => {
    const unknown = await login(server, 'nobody-here', 'Whatever-Pass-1');
    const wrong = await login(server, 'admin', 'Whatever-Pass-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rotates refresh tokens; an old one ends the session', async () => {
    const res = await login(server, 'admin', ADMIN_PASSWORD);
    const first = res.body.refreshToken as string;
    const r1 = await request(server.url).post('/api/auth/refresh').send({ refreshToken: first });
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 3600 });
    expect(r1.body.refreshToken).not.toBe(first);
    expect((await request(server.url).get('/api/users/me').set(bearer(r1.body.accessToken))).status).toBe(200);
    const r2 = await request(server.url).post('/api/auth/refresh').send({ refreshToken: r1.body.refreshToken });
    expect(r2.status).toBe(200);

    // The first token again: reuse. The whole session ends, current token included.
    const reuse = await request(server.url).post('/api/auth/refresh').send({ refreshToken: first });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    const current = await request(server.url).post('/api/auth/refresh').send({ refreshToken: r2.body.refreshToken });
    expect(current.status).toBe(401);
    expect((await request(server.url).get('/api/users/me').set(bearer(r2.body.accessToken))).status).toBe(401);
  });

  it('a made-up secret for a live session is refused without ending it', async () => {
    const res = await login(server, 'admin', ADMIN_PASSWORD);
    const sessionId = (res.body.refreshToken as string).split('.')[0];
    const forged = await request(server.url).post('/api/auth/refresh').send({ refreshToken: `${sessionId}.${'A'.repeat(54)}` });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await request(server.url).post('/api/auth/refresh').send({ refreshToken: res.body.refreshToken })).status).toBe(200);
  });

  it('logout ends the session for access and refresh', async () => {
    const res = await login(server, 'admin', ADMIN_PASSWORD);
    const out = await request(server.url).post('/api/auth/logout').send({ refreshToken: res.body.refreshToken });
    expect(out.status).toBe(204);
    expect((await request(server.url).get('/api/users/me').set(bearer(res.body.accessToken))).status).toBe(401);
    const refresh = await request(server.url).post('/api/auth/refresh').send({ refreshToken: res.body.refreshToken });
    expect(refresh.status).toBe(401);
    expect((await request(server.url).post('/api/auth/logout').send({ refreshToken: res.body.refreshToken })).status).toBe(204);
  });

  it('did not write an initial-admin file when ADMIN_PASSWORD was given', () => {
    expect(existsSync(join(server.dataDir, 'initial-admin.txt'))).toBe(false);
  });
});

describe.each(dialects())('first start on %s', (dialect) => {
  // ADMIN_PASSWORD unset (the harness sets one by default).
  const env = { ADMIN_PASSWORD: undefined as unknown as string, ADMIN_EMPLOYEE_ID: 'boss' };

  it('creates the admin once with a random password in DATA_DIR/initial-admin.txt (0600), and keeps it on restart', async () => {
    const first = await startServer(dialect, { env });
    let mysqlUrl: string | undefined;
    try {
      const file = join(first.dataDir, 'initial-admin.txt');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /password=(\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const res = await login(first, 'boss', password!);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ role: 'admin', status: 'active' });
      mysqlUrl = first.config.db.type === 'mysql' ? first.config.db.url : undefined;
      // A restart on the same data neither adds an admin nor changes the password.
      const again = await startServer(dialect, { dataDir: first.dataDir, mysqlUrl, env });
      try {
        expect(await again.db.manager.count(UserEntity, { where: { role: 'admin' } })).toBe(1);
        expect((await login(again, 'boss', password!)).status).toBe(200);
      } finally {
        await again.close();
      }
    } finally {
      await first.close();
    }
  });

  it('two processes starting at once create exactly one admin', async () => {
    const server = await startServer(dialect);
    try {
      await server.db.manager.delete(UserEntity, { role: 'admin' });
      const config = { ...server.config, admin: { employeeId: 'boss', password: undefined } };
      const starts = [0, 1].map(() => new InitialAdminService(config, server.app.get(UsersRepository)));
      await Promise.all(starts.map((s) => s.onApplicationBootstrap()));
      const admins = await server.db.manager.find(UserEntity, { where: { role: 'admin' } });
      expect(admins.map((a) => a.employeeId)).toEqual(['boss']);
      const password = /password=(\S+)/.exec(readFileSync(join(server.dataDir, 'initial-admin.txt'), 'utf8'))?.[1];
      expect((await login(server, 'boss', password!)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
