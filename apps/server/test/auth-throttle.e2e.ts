import request from 'supertest';
import { DEFAULT_THROTTLE_LIMITS } from '../src/auth/throttle';
import { register, signupBody } from './accounts.helpers';
import { createActiveUser, type TestUser } from './fixtures';
import { ADMIN_PASSWORD, dialects, startServer, type TestServer } from './harness';

/** Each test speaks from its own client address (the server trusts X-Forwarded-For from loopback here). */
describe.each(dialects())('throttling on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;
  const loginFrom = (address: string, employeeId: string, password: string) =>
    request(server.url).post('/api/login').set('x-forwarded-for', address).send({ employeeId, password });
  const expectThrottled = (res: request.Response) => {
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const seconds = Number(res.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(res.body.error.details).toEqual({ retryAfterSeconds: seconds });
  };

  beforeAll(async () => {
    server = await startServer(dialect, { env: { TRUST_PROXY: 'loopback' } });
    user = await createActiveUser(server);
  });
  afterAll(async () => {
    await server.close();
  });

  // Every failed guess costs a full scrypt, so the two login tests share one guessing address.
  const GUESSER = '10.3.0.1';

  it('locks one account after repeated wrong passwords, even against the right one, from any address', async () => {
    for (let i = 0; i < DEFAULT_THROTTLE_LIMITS.loginAccount.points; i += 1) {
      expect((await loginFrom(GUESSER, 'admin', `Wrong-Guess-${i}`)).status).toBe(401);
    }
    expectThrottled(await loginFrom('10.1.1.1', 'ADMIN', ADMIN_PASSWORD));
    // Someone else is not affected.
    expect((await loginFrom('10.1.1.1', user.employeeId, user.password)).status).toBe(200);
  });

  it('stops one address guessing across many accounts', async () => {
    const { loginAddress, loginAccount } = DEFAULT_THROTTLE_LIMITS;
    // The guesses at the admin above came from this address too.
    for (let i = loginAccount.points; i < loginAddress.points; i += 1) {
      expect((await loginFrom(GUESSER, `nobody-${i}`, 'Wrong-Guess-1')).status).toBe(401);
    }
    expectThrottled(await loginFrom(GUESSER, user.employeeId, user.password));
    expect((await loginFrom('10.3.0.2', user.employeeId, user.password)).status).toBe(200);
  });

  it('counts guesses sent all at once as they arrive: no more than the limit get their password checked', async () => {
    const target = await createActiveUser(server);
    const { points } = DEFAULT_THROTTLE_LIMITS.loginAccount;
    const all = await Promise.all(Array.from({ length: points + 6 }, (_, i) => loginFrom(`10.6.0.${i + 1}`, target.employeeId, `Wrong-Guess-${i}`)));
    expect(all.filter((r) => r.status === 401)).toHaveLength(points);
    all.filter((r) => r.status !== 401).forEach(expectThrottled);
    expectThrottled(await loginFrom('10.6.1.1', target.employeeId, target.password));
  });

  // Skipped on MySQL: the limiter does not touch the database, and 32 password checks once are enough.
  (dialect === 'sqlite' ? it : it.skip)('a right password gives its attempt back to the address: a floor behind one address keeps signing in', async () => {
    const { loginAddress } = DEFAULT_THROTTLE_LIMITS;
    for (let i = 0; i < loginAddress.points + 2; i += 1) expect((await loginFrom('10.7.0.1', user.employeeId, user.password)).status).toBe(200);
  });

  it('limits signups and reset requests per address', async () => {
    for (let i = 0; i < DEFAULT_THROTTLE_LIMITS.register.points; i += 1) {
      // Weak passwords: refused after counting, without the cost of a hash.
      expect((await register(server, signupBody({ password: 'password1' })).set('x-forwarded-for', '10.4.0.1')).status).toBe(400);
    }
    expectThrottled(await register(server, signupBody()).set('x-forwarded-for', '10.4.0.1'));
    expect((await register(server, signupBody()).set('x-forwarded-for', '10.4.0.2')).status).toBe(201);

    const ask = (address: string) => request(server.url).post('/api/password-reset/request').set('x-forwarded-for', address).send({ employeeId: 'nobody', email: 'nobody@example.com' });
    for (let i = 0; i < DEFAULT_THROTTLE_LIMITS.resetRequest.points; i += 1) expect((await ask('10.5.0.1')).status).toBe(201);
    expectThrottled(await ask('10.5.0.1'));
    expect((await ask('10.5.0.2')).status).toBe(201);
  });
});
