// S6 a login storm while others chat: 1:1 rooms all online chat at a fixed rate; first calm,
// then with a crowd logging in at once (password hashing). Message send → recipient p99 in the
// storm should stay within 20% of the calm figure. Each target runs three pairs of windows and
// keeps the median pair; the note lists every pair's ratio.
import { clientsFor, forkWorker } from '../lib/workers.mjs';
import { ALL_CORES, configureBare, startBare } from '../lib/proc.mjs';
import { jsonBody, request } from '../lib/http-load.mjs';
import { BENCH_PASSWORD, seedRooms } from '../lib/seed.mjs';
import { round, summarize } from '../lib/stats.mjs';
import http from 'node:http';
import { knob, row, startSeededHi } from './common.mjs';
import { roomSpecs } from './s2-fanout.mjs';

/** Log in again and again from `concurrency` clients until `untilMs`; returns latencies and statuses. */
async function storm(url, users, { concurrency, untilMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const ms = [];
  const statuses = {};
  let k = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < untilMs) {
        const u = users[k++ % users.length];
        const req = jsonBody({ employeeId: u.employeeId, password: BENCH_PASSWORD, device: 'bench' });
        const res = await request(`${url}/api/login`, { method: 'POST', ...req, agent, keepBody: false });
        ms.push(res.ms);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  agent.destroy();
  return { ...summarize(ms), perSec: ms.length / ((performance.now() - t0) / 1000), statuses };
}

/** How much the chat's p99 grew from the calm window to the storm's. */
const growth = (r) => (r.calm.last.p99 ? r.storm.last.p99 / r.calm.last.p99 : null);

/**
 * `rounds` pairs of windows, calm then storm, on one set of connected chatters; the pair with
 * the median growth is kept, the others are listed. A p99 of 1,000 messages is the tenth
 * slowest: one pair can catch a slow spell of the machine that the next does not.
 */
async function calmThenStorm(target, chatters, rooms, loginUsers, { rate, durationMs, concurrency, rounds }) {
  const worker = forkWorker();
  try {
    await worker.call('connect', { urls: [target.url], clients: clientsFor(target, chatters), concurrency: 50 });
    const chatRooms = rooms.map((r) => ({ id: r.id, members: r.members }));
    const pairs = [];
    for (let i = 0; i < rounds; i++) {
      await target.probe('reset');
      const calm = await worker.call('chat', { rooms: chatRooms, mode: 'open', rate, warmupMs: 1000, durationMs });
      const calmServer = await target.probe('reset');
      // The storm starts first and outlasts the measured window.
      const stormUntil = performance.now() + 1000 + durationMs + 500;
      const stormRun = storm(target.url, loginUsers, { concurrency, untilMs: stormUntil });
      const during = await worker.call('chat', { rooms: chatRooms, mode: 'open', rate, warmupMs: 1000, durationMs });
      const logins = await stormRun;
      const stormServer = await target.probe('sample');
      pairs.push({ calm, calmServer, storm: during, stormServer, logins });
    }
    await worker.call('close');
    const byGrowth = [...pairs].sort((a, b) => (growth(a) ?? Infinity) - (growth(b) ?? Infinity));
    return { ...byGrowth[Math.floor((byGrowth.length - 1) / 2)], growthByRound: pairs.map((p) => round(growth(p), 2)), lostInAllRounds: pairs.reduce((n, p) => n + p.calm.lost + p.storm.lost, 0) };
  } finally {
    await worker.stop();
  }
}

export async function run() {
  const pairs = knob('S6_ROOMS', 100);
  const rate = knob('S6_RATE', 100);
  // 1,000 messages in each window: its p99 is the tenth slowest, not the fifth.
  const durationMs = knob('S6_DURATION_MS', 10000);
  const concurrency = knob('S6_LOGIN_CONCURRENCY', 16);
  const rounds = knob('S6_ROUNDS', 3);
  const details = { rooms: pairs, rate, durationMs, loginConcurrency: concurrency, rounds };
  const opts = { rate, durationMs, concurrency, rounds };
  let rooms;
  let loginBody;
  let users;
  // Pinned to one core like every scenario; then free to use every core, where the hashing
  // threads no longer share the event loop's core.
  for (const [key, core] of [['hi', undefined], ['hiAllCores', ALL_CORES]]) {
    const started = await startSeededHi({ core }, pairs * 2 + 100, 's');
    users = started.users;
    const hi = started.hi;
    try {
      rooms = await seedRooms(started.db, roomSpecs(users.slice(0, pairs * 2), 2));
      await started.db.close();
      const probe = await request(`${hi.url}/api/login`, { method: 'POST', ...jsonBody({ employeeId: users[pairs * 2].employeeId, password: BENCH_PASSWORD }) });
      loginBody = probe.body;
      details[`${key}LoginProbe`] = { status: probe.status, ms: round(probe.ms) };
      details[key] = await calmThenStorm(hi, users.slice(0, pairs * 2), rooms, users.slice(pairs * 2), opts);
    } finally {
      await hi.stop();
    }
  }
  const bare = await startBare();
  try {
    await configureBare(bare, '/bench/rooms', { rooms: rooms.map((r) => ({ id: r.id, kind: r.kind, members: r.members })) });
    await configureBare(bare, '/bench/canned', { routes: [{ method: 'POST', pattern: '^/api/login$', status: 200, body: loginBody }] });
    details.bare = await calmThenStorm(bare, users.slice(0, pairs * 2), rooms, users.slice(pairs * 2), opts);
  } finally {
    await bare.stop();
  }
  const h = details.hi;
  const all = details.hiAllCores;
  const b = details.bare;
  const inEachRound = (r) => `ratio in each round ${r.growthByRound.join(' / ')}`;
  return {
    details,
    rows: [
      row('S6', `chat p99 calm (${rate} msg/s)`, { ours: h.calm.last.p99, bare: b.calm.last.p99, unit: 'ms' }),
      row('S6', `chat p99 during login storm`, { ours: h.storm.last.p99, bare: b.storm.last.p99, unit: 'ms', note: `lost ${h.lostInAllRounds} in all rounds` }),
      row('S6', 'storm p99 ÷ calm p99', { ours: round(growth(h), 2), bare: round(growth(b), 2), target: '≤ 1.2', pass: growth(h) !== null && growth(h) <= 1.2, note: `${inEachRound(h)}; relay ${inEachRound(b)}` }),
      row('S6', `logins/s (${concurrency} at once)`, { ours: h.logins.perSec, bare: b.logins.perSec, note: `statuses ${JSON.stringify(h.logins.statuses)}` }),
      row('S6', 'login p99', { ours: h.logins.p99, bare: b.logins.p99, unit: 'ms' }),
      row('S6', 'server on every core: chat p99 calm', { ours: all.calm.last.p99, unit: 'ms', note: `taskset ${ALL_CORES}` }),
      row('S6', 'server on every core: chat p99 during storm', { ours: all.storm.last.p99, unit: 'ms', note: `${round(all.logins.perSec, 1)} logins/s, lost ${all.lostInAllRounds} in all rounds` }),
      row('S6', 'server on every core: storm p99 ÷ calm p99', { ours: round(growth(all), 2), target: '≤ 1.2', pass: growth(all) !== null && growth(all) <= 1.2, note: inEachRound(all) }),
    ],
  };
}
