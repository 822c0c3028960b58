import request from 'supertest';
import { accountRowCounts, adminToken, bearer, signupBody } from './accounts.helpers';
import { createActiveUser } from './fixtures';
import { dialects, startServer, type TestServer } from './harness';

type Who = 'none' | 'user' | 'admin';
interface Case {
  name: string;
  method: 'get' | 'post' | 'put';
  path: string;
  who: Who;
  /** A raw string is sent as-is with content-type application/json. */
  body?: unknown;
  query?: Record<string, string | string[]>;
  contentType?: string;
  status: number;
  code: string;
}

const good = signupBody();
const long = (n: number) => 'x'.repeat(n);
const UUID = '0b5e8f4e-2f7c-4a57-9d0e-6a1c2b3d4e5f';

const CASES: Case[] = [
  // register
  { name: 'register: malformed JSON', method: 'post', path: '/api/register', who: 'none', body: '{"employeeId": "a",', status: 400, code: 'MALFORMED_JSON' },
  { name: 'register: no body', method: 'post', path: '/api/register', who: 'none', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: text/plain body', method: 'post', path: '/api/register', who: 'none', body: JSON.stringify(good), contentType: 'text/plain', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: array body', method: 'post', path: '/api/register', who: 'none', body: [good], status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: missing name', method: 'post', path: '/api/register', who: 'none', body: { ...good, name: undefined }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: extra field role', method: 'post', path: '/api/register', who: 'none', body: { ...good, role: 'admin' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: extra field status', method: 'post', path: '/api/register', who: 'none', body: { ...good, status: 'active' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: employeeId a number', method: 'post', path: '/api/register', who: 'none', body: { ...good, employeeId: 12345 }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: employeeId with spaces', method: 'post', path: '/api/register', who: 'none', body: { ...good, employeeId: 'a b c' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: employeeId 33 chars', method: 'post', path: '/api/register', who: 'none', body: { ...good, employeeId: long(33) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: name 65 chars', method: 'post', path: '/api/register', who: 'none', body: { ...good, name: '가'.repeat(65) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: blank department', method: 'post', path: '/api/register', who: 'none', body: { ...good, department: '   ' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: bad email', method: 'post', path: '/api/register', who: 'none', body: { ...good, email: 'not-an-email' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: password 7 chars', method: 'post', path: '/api/register', who: 'none', body: { ...good, password: 'Ab1!xyz' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: password 129 chars', method: 'post', path: '/api/register', who: 'none', body: { ...good, password: long(129) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'register: common password', method: 'post', path: '/api/register', who: 'none', body: { ...good, password: 'iloveyou1' }, status: 400, code: 'WEAK_PASSWORD' },
  { name: 'register: body over 256 kB', method: 'post', path: '/api/register', who: 'none', body: { ...good, name: long(300_000) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  // login
  { name: 'login: malformed JSON', method: 'post', path: '/api/login', who: 'none', body: '{', status: 400, code: 'MALFORMED_JSON' },
  { name: 'login: missing password', method: 'post', path: '/api/login', who: 'none', body: { employeeId: 'admin' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'login: extra field', method: 'post', path: '/api/login', who: 'none', body: { employeeId: 'admin', password: 'x', remember: true }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'login: password an object', method: 'post', path: '/api/login', who: 'none', body: { employeeId: 'admin', password: { $gt: '' } }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'login: employeeId 65 chars', method: 'post', path: '/api/login', who: 'none', body: { employeeId: long(65), password: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'login: empty password', method: 'post', path: '/api/login', who: 'none', body: { employeeId: 'admin', password: '' }, status: 400, code: 'VALIDATION_FAILED' },
  // refresh and logout
  { name: 'refresh: missing token', method: 'post', path: '/api/auth/refresh', who: 'none', body: {}, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'refresh: token a number', method: 'post', path: '/api/auth/refresh', who: 'none', body: { refreshToken: 42 }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'refresh: token 513 chars', method: 'post', path: '/api/auth/refresh', who: 'none', body: { refreshToken: long(513) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'refresh: extra field', method: 'post', path: '/api/auth/refresh', who: 'none', body: { refreshToken: 'a.b', device: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'refresh: not shaped like a token', method: 'post', path: '/api/auth/refresh', who: 'none', body: { refreshToken: 'garbage' }, status: 401, code: 'INVALID_REFRESH_TOKEN' },
  { name: 'refresh: unknown session', method: 'post', path: '/api/auth/refresh', who: 'none', body: { refreshToken: `${UUID}.${'A'.repeat(54)}` }, status: 401, code: 'INVALID_REFRESH_TOKEN' },
  { name: 'logout: missing token', method: 'post', path: '/api/auth/logout', who: 'none', body: {}, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'logout: malformed JSON', method: 'post', path: '/api/auth/logout', who: 'none', body: '{"refreshToken"', status: 400, code: 'MALFORMED_JSON' },
  // the directory and my account
  { name: 'users: limit 0', method: 'get', path: '/api/users', who: 'user', query: { limit: '0' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: limit 201', method: 'get', path: '/api/users', who: 'user', query: { limit: '201' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: limit not a number', method: 'get', path: '/api/users', who: 'user', query: { limit: 'ten' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: unknown parameter', method: 'get', path: '/api/users', who: 'user', query: { sort: 'name' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: q twice', method: 'get', path: '/api/users', who: 'user', query: { q: ['a', 'b'] }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: q 65 chars', method: 'get', path: '/api/users', who: 'user', query: { q: long(65) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'users: forged cursor', method: 'get', path: '/api/users', who: 'user', query: { cursor: 'bm90LWpzb24' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'password: missing currentPassword', method: 'put', path: '/api/users/me/password', who: 'user', body: { newPassword: 'Another-Pass-2026!' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'password: new one 7 chars', method: 'put', path: '/api/users/me/password', who: 'user', body: { currentPassword: 'Fixture-Pass-2026!', newPassword: 'Ab1!xyz' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'password: extra field', method: 'put', path: '/api/users/me/password', who: 'user', body: { currentPassword: 'Fixture-Pass-2026!', newPassword: 'Another-Pass-2026!', userId: UUID }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'password: wrong current one', method: 'put', path: '/api/users/me/password', who: 'user', body: { currentPassword: 'not-it', newPassword: 'Another-Pass-2026!' }, status: 400, code: 'WRONG_PASSWORD' },
  { name: 'password: malformed JSON', method: 'put', path: '/api/users/me/password', who: 'user', body: '{"currentPassword": }', status: 400, code: 'MALFORMED_JSON' },
  // admin decisions
  { name: 'approve-user: id not a uuid', method: 'put', path: '/api/approve-user/123', who: 'admin', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'approve-user: SQL in the id', method: 'put', path: `/api/approve-user/${encodeURIComponent("' OR 1=1 --")}`, who: 'admin', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'approve-user: unknown user', method: 'put', path: `/api/approve-user/${UUID}`, who: 'admin', status: 404, code: 'USER_NOT_FOUND' },
  { name: 'reject-user: id not a uuid', method: 'put', path: '/api/reject-user/not-a-uuid', who: 'admin', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reject-user: unknown user', method: 'put', path: `/api/reject-user/${UUID}`, who: 'admin', status: 404, code: 'USER_NOT_FOUND' },
  { name: 'audit-log: limit 0', method: 'get', path: '/api/admin/audit-log', who: 'admin', query: { limit: '0' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'audit-log: forged cursor', method: 'get', path: '/api/admin/audit-log', who: 'admin', query: { cursor: 'eyJ4Ijox' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'audit-log: unknown parameter', method: 'get', path: '/api/admin/audit-log', who: 'admin', query: { before: '5' }, status: 400, code: 'VALIDATION_FAILED' },
  // password reset
  { name: 'reset request: missing email', method: 'post', path: '/api/password-reset/request', who: 'none', body: { employeeId: 'admin' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset request: bad email', method: 'post', path: '/api/password-reset/request', who: 'none', body: { employeeId: 'admin', email: 'admin' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset request: extra field', method: 'post', path: '/api/password-reset/request', who: 'none', body: { employeeId: 'admin', email: 'a@b.co', userId: UUID }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset request: employeeId 65 chars', method: 'post', path: '/api/password-reset/request', who: 'none', body: { employeeId: long(65), email: 'a@b.co' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset status: missing ticket', method: 'post', path: '/api/password-reset/status', who: 'none', body: {}, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset status: ticket 257 chars', method: 'post', path: '/api/password-reset/status', who: 'none', body: { ticket: long(257) }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset status: ticket a number', method: 'post', path: '/api/password-reset/status', who: 'none', body: { ticket: 7 }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset: missing newPassword', method: 'post', path: '/api/password-reset/reset', who: 'none', body: { ticket: 'abc' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset: newPassword 7 chars', method: 'post', path: '/api/password-reset/reset', who: 'none', body: { ticket: 'abc', newPassword: 'Ab1!xyz' }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset: extra field', method: 'post', path: '/api/password-reset/reset', who: 'none', body: { ticket: 'abc', newPassword: 'Another-Pass-2026!', userId: UUID }, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset: unknown ticket', method: 'post', path: '/api/password-reset/reset', who: 'none', body: { ticket: 'abc', newPassword: 'Another-Pass-2026!' }, status: 409, code: 'RESET_NOT_APPROVED' },
  { name: 'reset approve: id not a uuid', method: 'put', path: '/api/password-reset/approve/1', who: 'admin', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset approve: unknown request', method: 'put', path: `/api/password-reset/approve/${UUID}`, who: 'admin', status: 404, code: 'RESET_NOT_FOUND' },
  { name: 'reset reject: id not a uuid', method: 'put', path: '/api/password-reset/reject/zzz', who: 'admin', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reset reject: unknown request', method: 'put', path: `/api/password-reset/reject/${UUID}`, who: 'admin', status: 404, code: 'RESET_NOT_FOUND' },
];

describe.each(dialects())('bad input on the account routes (%s)', (dialect) => {
  let server: TestServer;
  const tokens: Record<Who, string | undefined> = { none: undefined, user: undefined, admin: undefined };
  beforeAll(async () => {
    server = await startServer(dialect);
    tokens.admin = await adminToken(server);
    tokens.user = (await createActiveUser(server)).accessToken;
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(CASES)('$name → $status $code, nothing changed', async (c) => {
    const before = await accountRowCounts(server);
    let req = request(server.url)[c.method](c.path);
    const token = tokens[c.who];
    if (token) req = req.set(bearer(token));
    if (c.query) req = req.query(c.query);
    if (typeof c.body === 'string') req = req.set('content-type', c.contentType ?? 'application/json').send(c.body);
    else if (c.body !== undefined) req = req.send(c.body as object);
    const res = await req;
    expect(res.status).toBe(c.status);
    expect(res.body).toEqual({ error: { code: c.code, message: expect.any(String), ...(res.body.error?.details !== undefined ? { details: expect.anything() } : {}) } });
    expect(JSON.stringify(res.body)).not.toMatch(/at .+\.(ts|js):\d+|SQLITE|\bER_[A-Z]|QueryFailedError/);
    expect(await accountRowCounts(server)).toEqual(before);
  });
});
