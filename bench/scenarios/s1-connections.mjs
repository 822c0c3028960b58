// S1 connections: authenticated sockets ramped up on one process; how many are held, resident
// memory per connection, and event-loop delay p99 over the ramp and hold.
import { readFileSync } from 'node:fs';
import { clientsFor, forkWorker, loopbackSources } from '../lib/workers.mjs';
import { startBare } from '../lib/proc.mjs';
import { sleep, round } from '../lib/stats.mjs';
import { knob, row, startSeededHi } from './common.mjs';

// Each process may open at most RLIMIT_NOFILE descriptors; the server needs a few dozen for itself.
function reachableSockets(requested) {
  const limit = Number(process.env.BENCH_NOFILE ?? 0) || readNofile();
  return Math.min(requested, limit - 150);
}

function readNofile() {
  try {
    return Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1e9);
  } catch {
    return 1e9;
  }
}

async function ramp(target, clients, { workers: nWorkers, concurrency, holdMs, rampMaxMs }) {
  const workers = Array.from({ length: nWorkers }, () => forkWorker());
  try {
    await target.probe('gc');
    const before = await target.probe('reset');
    const t0 = performance.now();
    const share = Math.ceil(clients.length / nWorkers);
    const sources = loopbackSources(10);
    const results = await Promise.all(
      workers.map((w, i) =>
        w.call('connect', {
          urls: [target.url],
          clients: clients.slice(i * share, (i + 1) * share),
          localAddresses: sources,
          concurrency,
          timeoutMs: 30000,
          trackDeliveries: false,
          maxMs: rampMaxMs,
        }),
      ),
    );
    const rampS = (performance.now() - t0) / 1000;
    await sleep(holdMs);
    const counts = await Promise.all(workers.map((w) => w.call('count')));
    const held = counts.reduce((s, c) => s + c.connected, 0);
    const loaded = await target.probe('sample');
    await target.probe('gc');
    const after = await target.probe('sample');
    const errors = {};
    for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    await Promise.all(workers.map((w) => w.call('close')));
    return {
      requested: clients.length,
      held,
      failed: results.reduce((s, r) => s + r.failed, 0),
      errors,
      rampS: round(rampS),
      rssBeforeMB: round(before.rss / 2 ** 20),
      rssAfterMB: round(after.rss / 2 ** 20),
      kbPerSocket: held > 0 ? round((after.rss - before.rss) / 1024 / held) : null,
      lagP99Ms: round(loaded.lagP99Ms),
      lagMaxMs: round(loaded.lagMaxMs),
      serverCpuPct: round(loaded.cpuPct),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

export async function run() {
  const requested = knob('S1_SOCKETS', 20000);
  const sockets = reachableSockets(requested);
  const opts = { workers: 2, concurrency: knob('S1_CONCURRENCY', 100), holdMs: knob('S1_HOLD_MS', 5000), rampMaxMs: knob('S1_RAMP_MAX_MS', 100000) };
  const details = { requested, attempted: sockets, note: sockets < requested ? `RLIMIT_NOFILE caps one process at ${readNofile()} descriptors here` : '' };

  const { hi, db, users } = await startSeededHi({}, sockets, 'c');
  try {
    details.hi = await ramp(hi, clientsFor(hi, users), opts);
  } finally {
    await db.close();
    await hi.stop();
  }
  const bare = await startBare();
  try {
    details.bare = await ramp(bare, clientsFor(bare, users), opts);
  } finally {
    await bare.stop();
  }
  const h = details.hi;
  const b = details.bare;
  return {
    details,
    rows: [
      row('S1', 'sockets held', { ours: h.held, bare: b.held, target: '20,000', pass: h.held >= 20000, note: details.note }),
      row('S1', 'memory per socket', { ours: h.kbPerSocket, bare: b.kbPerSocket, unit: 'KB', target: '≤ 60 KB', pass: h.kbPerSocket !== null && h.kbPerSocket <= 60 }),
      row('S1', 'event-loop lag p99 (ramp+hold)', { ours: h.lagP99Ms, bare: b.lagP99Ms, unit: 'ms' }),
      row('S1', 'ramp time', { ours: h.rampS, bare: b.rampS, unit: 's' }),
    ],
  };
}
