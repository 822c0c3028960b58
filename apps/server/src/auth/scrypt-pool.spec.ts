import { scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../common/app-error';
import { ScryptPool, type ScryptTask } from './scrypt-pool';

// Each hash here takes some tens of milliseconds (N=2^15), long enough for hashes to overlap.
const task = (password: string): ScryptTask => ({ password, salt: Buffer.from(`salt-${password}`), keyLength: 32, N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
const PROBE = join(__dirname, '..', '..', 'test', 'fixtures', 'scrypt-probe-worker.mjs');

/** A pool whose threads report into `stats`: [running, most at once, started, nice]. */
function probedPool(threads: number, maxWaiting: number): { pool: ScryptPool; stats: Int32Array } {
  const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const pool = new ScryptPool({ threads, maxWaiting, workerFile: PROBE, workerData: { stats: shared } });
  return { pool, stats: new Int32Array(shared) };
}

describe('ScryptPool', () => {
  const pools: ScryptPool[] = [];
  const open = (threads: number, maxWaiting: number) => {
    const probed = probedPool(threads, maxWaiting);
    pools.push(probed.pool);
    return probed;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('derives the same key as scrypt on this thread', async () => {
    const { pool } = open(1, 4);
    const key = await pool.derive(task('Correct-Horse-2026!'));
    const t = task('Correct-Horse-2026!');
    expect(Buffer.isBuffer(key)).toBe(true);
    expect(key.equals(scryptSync(t.password, t.salt, t.keyLength, { N: t.N, r: t.r, p: t.p, maxmem: t.maxmem }))).toBe(true);
  });

  it('never runs more hashes at once than it has threads, and uses them all', async () => {
    const { pool, stats } = open(2, 10);
    const keys = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.derive(task(`pw-${i}`))));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(8);
    expect(Atomics.load(stats, 2)).toBe(8);
    expect(Atomics.load(stats, 1)).toBe(2);
    expect(pool.pending).toBe(0);
  });

  it('refuses with RATE_LIMITED and a retry hint once every thread is busy and the queue is full', async () => {
    const { pool, stats } = open(1, 2);
    const accepted = [0, 1, 2].map((i) => pool.derive(task(`queued-${i}`)));
    const refused = await pool.derive(task('one-too-many')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('RATE_LIMITED');
    expect((refused as AppError).status).toBe(429);
    const { retryAfterSeconds } = (refused as AppError).details as { retryAfterSeconds: number };
    expect(Number.isInteger(retryAfterSeconds)).toBe(true);
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // The accepted ones all finish; the refused one never reached a thread.
    await Promise.all(accepted);
    expect(Atomics.load(stats, 2)).toBe(3);
    expect(Atomics.load(stats, 1)).toBe(1);
    // Once the queue has drained, hashes are taken again.
    await expect(pool.derive(task('later'))).resolves.toHaveLength(32);
  });

  it('hashes at the lowest scheduling priority where threads have their own (Linux)', async () => {
    const { pool, stats } = open(1, 1);
    await pool.derive(task('nice'));
    if (process.platform === 'linux') expect(Atomics.load(stats, 3)).toBe(19);
  });

  it('ends its threads on close and starts fresh ones for a later hash', async () => {
    const { pool, stats } = open(1, 4);
    await pool.derive(task('before-close'));
    const running = pool.derive(task('running-at-close'));
    const waiting = pool.derive(task('waiting-at-close'));
    await pool.close();
    // What had started finishes; what still waited is refused.
    await expect(running).resolves.toHaveLength(32);
    await expect(waiting).rejects.toThrow();
    expect(pool.pending).toBe(0);
    await expect(pool.derive(task('after-close'))).resolves.toHaveLength(32);
    expect(Atomics.load(stats, 2)).toBe(3);
  });
});
