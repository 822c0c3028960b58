import request from 'supertest';
import { PasswordResetEntity } from '../src/database/entities';
import { accountRowCounts, adminToken, bearer, login } from './accounts.helpers';
import { createActiveUser, type TestUser } from './fixtures';
import { dialects, startServer, type TestServer } from './harness';

describe.each(dialects())('password reset on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let user: TestUser;
  const email = () => `${user.employeeId}@example.com`;
  const ask = (employeeId: string, mail: string) => request(server.url).post('/api/password-reset/request').send({ employeeId, email: mail });
  const statusOf = async (ticket: string) => (await request(server.url).post('/api/password-reset/status').send({ ticket })).body.status as string;
  const resetWith = (ticket: string, newPassword: string) => request(server.url).post('/api/password-reset/reset').send({ ticket, newPassword });

  beforeAll(async () => {
    server = await startServer(dialect);
    admin = await adminToken(server);
    user = await createActiveUser(server, { name: '박지민' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a request that matches no account gets the same answer, stores nothing, and never leads anywhere', async () => {
    const before = await accountRowCounts(server);
    const wrongMail = await ask(user.employeeId, 'someone-else@example.com');
    const unknown = await ask('no-such-employee', 'x@example.com');
    for (const res of [wrongMail, unknown]) {
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), code: expect.stringMatching(/^\d{3} \d{3}$/) });
      expect(await statusOf(res.body.ticket)).toBe('pending');
      const reset = await resetWith(res.body.ticket, 'Brand-New-Pass-1!');
      expect(reset.status).toBe(409);
      expect(reset.body.error).toMatchObject({ code: 'RESET_NOT_APPROVED', details: { status: 'pending' } });
    }
    expect(await accountRowCounts(server)).toEqual(before);
  });

  it('request → pending → admin approves → reset with the ticket → new password works, every old session ends', async () => {
    const loggedIn = await login(server, user.employeeId, user.password);
    expect(loggedIn.status).toBe(200);

    const asked = await ask(user.employeeId.toUpperCase(), email().toUpperCase());
    expect(asked.status).toBe(201);
    const { requestId, ticket } = asked.body as { requestId: string; ticket: string };
    expect(await statusOf(ticket)).toBe('pending');
    const stored = await server.db.manager.findOneByOrFail(PasswordResetEntity, { id: requestId });
    expect(stored.ticketHash).not.toContain(ticket);

    const early = await resetWith(ticket, 'Brand-New-Pass-1!');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('RESET_NOT_APPROVED');

    const list = await request(server.url).get('/api/password-reset/requests').set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body.requests[0]).toMatchObject({ id: requestId, status: 'pending', decidedAt: null, user: { id: user.id, name: '박지민' } });

    const approved = await request(server.url).put(`/api/password-reset/approve/${requestId}`).set(bearer(admin));
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ status: 'approved' });
    const twice = await request(server.url).put(`/api/password-reset/reject/${requestId}`).set(bearer(admin));
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'RESET_ALREADY_DECIDED', details: { status: 'approved' } });
    expect(await statusOf(ticket)).toBe('approved');

    const weak = await resetWith(ticket, 'qwerty123');
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    expect(await statusOf(ticket)).toBe('approved');

    const done = await resetWith(ticket, 'Brand-New-Pass-1!');
    expect(done.status).toBe(204);
    expect(await statusOf(ticket)).toBe('completed');
    const reused = await resetWith(ticket, 'Another-New-Pass-2!');
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'RESET_NOT_APPROVED', details: { status: 'completed' } });

    expect((await login(server, user.employeeId, user.password)).status).toBe(401);
    expect((await login(server, user.employeeId, 'Brand-New-Pass-1!')).status).toBe(200);
    expect((await request(server.url).get('/api/users/me').set(bearer(user.accessToken))).status).toBe(401);
    expect((await request(server.url).get('/api/users/me').set(bearer(loggedIn.body.accessToken))).status).toBe(401);
    const refresh = await request(server.url).post('/api/auth/refresh').send({ refreshToken: loggedIn.body.refreshToken });
    expect(refresh.status).toBe(401);
    expect(refresh.body.error.code).toBe('INVALID_REFRESH_TOKEN');

    const audit = await request(server.url).get('/api/admin/audit-log').set(bearer(admin));
    expect(audit.body.entries[0]).toMatchObject({ action: 'password_reset.approve', target: user.id });
  });

  it('the reject path, and a newer request replacing an older one', async () => {
    const older = await ask(user.employeeId, email());
    const newer = await ask(user.employeeId, email());
    expect(await statusOf(older.body.ticket)).toBe('expired');
    const rejected = await request(server.url).put(`/api/password-reset/reject/${newer.body.requestId}`).set(bearer(admin));
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ status: 'rejected' });
    expect(await statusOf(newer.body.ticket)).toBe('rejected');
    const reset = await resetWith(newer.body.ticket, 'Brand-New-Pass-3!');
    expect(reset.status).toBe(409);
    expect(reset.body.error).toMatchObject({ code: 'RESET_NOT_APPROVED', details: { status: 'rejected' } });
  });

  it('the admin sees the code only the requester’s screen shows; asking again in someone’s name cannot take over an approved request', async () => {
    const victim = await createActiveUser(server, { name: '최유진' });
    const mail = `${victim.employeeId}@example.com`;
    const theirs = await ask(victim.employeeId, mail);
    const listed = async () => (await request(server.url).get('/api/password-reset/requests').set(bearer(admin))).body.requests as { id: string; status: string; code: string }[];
    expect((await listed()).find((r) => r.id === theirs.body.requestId)).toMatchObject({ status: 'pending', code: theirs.body.code });
    expect((await request(server.url).put(`/api/password-reset/approve/${theirs.body.requestId}`).set(bearer(admin))).status).toBe(200);

    // Someone who knows the employee ID and e-mail asks too: a new request, with another code, waiting for a decision.
    const later = await ask(victim.employeeId, mail);
    expect(later.body.code).not.toBe(theirs.body.code);
    const both = await listed();
    expect(both.find((r) => r.id === later.body.requestId)).toMatchObject({ status: 'pending', code: later.body.code });
    expect(await statusOf(theirs.body.ticket)).toBe('approved');
    expect((await resetWith(theirs.body.ticket, 'Mine-Again-Pass-7!')).status).toBe(204);
    expect((await login(server, victim.employeeId, 'Mine-Again-Pass-7!')).status).toBe(200);
  });

  it('a request left open past its day expires and can no longer be approved', async () => {
    const asked = await ask(user.employeeId, email());
    await server.db.manager.update(PasswordResetEntity, { id: asked.body.requestId }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await statusOf(asked.body.ticket)).toBe('expired');
    const late = await request(server.url).put(`/api/password-reset/approve/${asked.body.requestId}`).set(bearer(admin));
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'RESET_ALREADY_DECIDED', details: { status: 'expired' } });
  });

  it('deciding a request that does not exist is 404 RESET_NOT_FOUND', async () => {
    const res = await request(server.url).put('/api/password-reset/approve/7d1f3c1e-5b7a-4d8e-9f00-123456789abc').set(bearer(admin));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('RESET_NOT_FOUND');
  });
});
