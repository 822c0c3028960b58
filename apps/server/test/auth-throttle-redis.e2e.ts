import request from 'supertest';
import { startServer, type TestServer } from './harness';

const ready = Boolean(process.env.TEST_MYSQL_URL && process.env.TEST_REDIS_URL);
const why = 'set TEST_MYSQL_URL and TEST_REDIS_URL';
if (!ready) console.warn(`shared login throttle test skipped: ${why}`);
const maybe = ready ? describe : describe.skip;

maybe(ready ? 'login throttle shared by two server processes through Redis' : `login throttle through Redis (skipped: ${why})`, () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL! };
    a = await startServer('mysql', { env });
    if (a.config.db.type !== 'mysql') throw new Error('expected MariaDB');
    b = await startServer('mysql', { env, mysqlUrl: a.config.db.url });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('counts failed logins for one account across both processes', async () => {
    const attempt = (server: TestServer) => request(server.url).post('/api/login').send({ employeeId: 'guessed-account', password: 'wrong-password-1' });
    // Ten failures, alternating: each process alone has seen only five.
    for (let i = 0; i < 10; i += 1) expect((await attempt(i % 2 === 0 ? a : b)).status).toBe(401);
    for (const server of [a, b]) {
      const res = await attempt(server);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
