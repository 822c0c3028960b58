import { AppError } from '../common/app-error';
import { DEFAULT_THROTTLE_LIMITS, Throttle } from './throttle';

const limits = { ...DEFAULT_THROTTLE_LIMITS, loginAccount: { points: 3, windowSeconds: 60 }, register: { points: 2, windowSeconds: 120 } };

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe('Throttle', () => {
  it('refuses a key once its failures reach the limit, with the wait in seconds', async () => {
    const t = new Throttle(limits);
    for (let i = 0; i < 3; i += 1) {
      await t.assertOpen('loginAccount', 'kim');
      await t.record('loginAccount', 'kim');
    }
    const err = await t.assertOpen('loginAccount', 'kim').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RATE_LIMITED');
    const { retryAfterSeconds } = (err as AppError).details as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    // Other keys and other kinds are counted apart.
    expect(await codeOf(t.assertOpen('loginAccount', 'lee'))).toBeUndefined();
    expect(await codeOf(t.assertOpen('loginAddress', 'kim'))).toBeUndefined();
  });

  it('recording past the limit does not throw; the next check does', async () => {
    const t = new Throttle(limits);
    for (let i = 0; i < 5; i += 1) await t.record('loginAccount', 'park');
    expect(await codeOf(t.assertOpen('loginAccount', 'park'))).toBe('RATE_LIMITED');
  });

  it('clear forgets the failures', async () => {
    const t = new Throttle(limits);
    for (let i = 0; i < 3; i += 1) await t.record('loginAccount', 'choi');
    await t.clear('loginAccount', 'choi');
    expect(await codeOf(t.assertOpen('loginAccount', 'choi'))).toBeUndefined();
  });

  it('take lets the allowed number through and refuses the next', async () => {
    const t = new Throttle(limits);
    expect(await codeOf(t.take('register', '10.0.0.1'))).toBeUndefined();
    expect(await codeOf(t.take('register', '10.0.0.1'))).toBeUndefined();
    expect(await codeOf(t.take('register', '10.0.0.1'))).toBe('RATE_LIMITED');
    expect(await codeOf(t.take('register', '10.0.0.2'))).toBeUndefined();
  });
});
