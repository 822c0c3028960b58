// What the scenarios share: starting a seeded server, result rows, and knobs from the environment.
import { openDb, seedUsers } from '../lib/seed.mjs';
import { startHi } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';

/** An integer knob: BENCH_<NAME> from the environment, else the default. */
export function knob(name, fallback) {
  const v = process.env[`BENCH_${name}`];
  return v === undefined || v === '' ? fallback : Number(v);
}

/** A result row: our figure, the bare relay's, their ratio, and the target. */
export function row(scenario, metric, { ours, bare = null, unit = '', target = '', pass = null, note = '' }) {
  const ratio = typeof ours === 'number' && typeof bare === 'number' && bare !== 0 ? round(ours / bare, 3) : null;
  return { scenario, metric, unit, ours: round(ours), bare: round(bare), ratio, target, pass, note };
}

/** Start the server and seed `users` users with live sessions, straight into its database. */
export async function startSeededHi(opts, users, prefix = 'b') {
  const hi = await startHi(opts);
  const db = await openDb(hi);
  try {
    const seeded = users > 0 ? await seedUsers(db, hi, users, prefix) : [];
    return { hi, db, users: seeded };
  } catch (err) {
    await db.close();
    await hi.stop();
    throw err;
  }
}

/**
 * Run `measure` with the server's figures reset before and read after: the result gains
 * `server.lagMaxMs`, the longest the event loop was held meanwhile (a p99 far above it comes from
 * elsewhere: the load generator, the machine), and `server.cpuMs`, the CPU time the server used.
 */
export async function withServerFigures(hi, measure) {
  await hi.probe('reset');
  const t0 = performance.now();
  const result = await measure();
  const wallMs = performance.now() - t0;
  const s = await hi.probe('sample');
  return { ...result, server: { lagMaxMs: round(s.lagMaxMs, 1), stalls: s.stalls, cpuMs: (s.cpuPct / 100) * wallMs } };
}

/** The server's CPU time per request of a `withServerFigures` load run without warmup, in µs. */
export const cpuPerRequestUs = (figures) => round((figures.server.cpuMs * 1000) / figures.n, 0);

/** `n` and the noun, singular for one: "1 stall", "3 stalls". */
export const counted = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const MB = 1024 * 1024;
export const mb = (bytes) => round(bytes / MB, 1);
