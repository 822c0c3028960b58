// S2 fan-out: rooms of 2, 10, 100 and 1,000 members, every member connected. For each size:
// saturation (a window of messages in flight, the next sent as one reaches all its recipients)
// gives deliveries per second, in three rounds of ours then the relay's, the median round kept;
// then a fixed rate of half that saturation gives send → last recipient p50/p99, on ours and then
// on the relay at the same rate.
import { clientsFor, forkWorker } from '../lib/workers.mjs';
import { configureBare, startBare } from '../lib/proc.mjs';
import { seedRooms } from '../lib/seed.mjs';
import { round } from '../lib/stats.mjs';
import { counted, knob, row, startSeededHi } from './common.mjs';

export const SIZES = [2, 10, 100, 1000];

/** Partition the users into rooms of `size` (direct rooms for 2). */
export function roomSpecs(users, size) {
  const specs = [];
  for (let i = 0; i + size <= users.length; i += size) specs.push({ kind: size === 2 ? 'direct' : 'group', members: users.slice(i, i + size).map((u) => u.id) });
  return specs;
}

/** How many messages to keep in flight at saturation: enough deliveries pending to keep a core busy. */
export function windowFor(size) {
  return Math.max(2, Math.min(200, Math.ceil(1000 / (size - 1))));
}

/** Seed rooms of every size into the server and tell the bare relay the same memberships. */
export async function prepareRooms(db, bare, users, sizes) {
  const bySize = {};
  for (const size of sizes) bySize[size] = await seedRooms(db, roomSpecs(users, size));
  if (bare) await configureBare(bare, '/bench/rooms', { rooms: Object.values(bySize).flat().map((r) => ({ id: r.id, kind: r.kind, members: r.members })) });
  return bySize;
}

const slim = (rooms) => rooms.map((r) => ({ id: r.id, members: r.members }));

/** Saturation on one target: a window of messages in flight. */
async function saturate(worker, rooms, size, { durationMs, probe }) {
  await probe('reset');
  const sat = await worker.call('chat', { rooms: slim(rooms), mode: 'closed', window: windowFor(size), warmupMs: 1000, durationMs });
  return { sat, satServer: await probe('sample') };
}

/** A fixed rate on one target. */
async function atFixedRate(worker, rooms, { durationMs, rate, probe }) {
  await probe('reset');
  const atRate = await worker.call('chat', { rooms: slim(rooms), mode: 'open', rate, warmupMs: 500, durationMs });
  return { atRate, rateServer: await probe('sample') };
}

/** The server's event-loop stalls in a phase, as the probe counted them, for a row's note. */
function stallNote(stalls, stealPct) {
  const steal = typeof stealPct === 'number' ? `; steal on the server's core ${stealPct.toFixed(1)}% of the phase` : '';
  if (!stalls?.count) return `no event-loop stall over 40 ms${steal}`;
  const busy = stalls.busyPct === null ? '' : `, the process busy for ${Math.round(stalls.busyPct)}% of their time`;
  return `${counted(stalls.count, 'event-loop stall')} over 40 ms, longest ${Math.round(stalls.longestMs)} ms${busy}${steal}`;
}

/** The middle one by ratio of ours to the relay's deliveries (the rounds are ours then the relay's, one after another). */
function medianRound(rounds) {
  const byRatio = [...rounds].sort((a, b) => a.hi.sat.deliveriesPerSec / a.bare.sat.deliveriesPerSec - b.hi.sat.deliveriesPerSec / b.bare.sat.deliveriesPerSec);
  return byRatio[Math.floor((byRatio.length - 1) / 2)];
}

export async function run() {
  const members = knob('S2_USERS', 1000);
  const durationMs = knob('S2_DURATION_MS', 3000);
  const repeats = knob('S2_ROUNDS', 3);
  // BENCH_S2_SIZES=2,10 runs only those room sizes.
  const only = process.env.BENCH_S2_SIZES?.split(',').map(Number);
  const sizes = SIZES.filter((s) => s <= members && (!only || only.includes(s)));
  const details = { members, durationMs, sizes: {} };

  const bare = await startBare();
  const { hi, db, users } = await startSeededHi({}, members, 'f');
  const rooms = await prepareRooms(db, bare, users, sizes);
  await db.close();
  // Both stay up, each with its own connected generator, and each size runs on ours and then at
  // once on the relay: the machine's speed drifts over minutes, and the ratio should not.
  const hiWorker = forkWorker();
  const bareWorker = forkWorker();
  try {
    details.hiConnect = await hiWorker.call('connect', { urls: [hi.url], clients: clientsFor(hi, users), concurrency: 50 });
    details.bareConnect = await bareWorker.call('connect', { urls: [bare.url], clients: clientsFor(bare, users), concurrency: 50 });
    for (const size of sizes) {
      // Saturation in rounds, ours then the relay's, and the round with the median ratio kept:
      // on a shared machine one round can catch a slow spell the next does not.
      const rounds = [];
      for (let i = 0; i < repeats; i++) {
        rounds.push({
          hi: await saturate(hiWorker, rooms[size], size, { durationMs, probe: hi.probe }),
          bare: await saturate(bareWorker, rooms[size], size, { durationMs, probe: bare.probe }),
        });
      }
      const { hi: ours, bare: relay } = medianRound(rounds);
      // Half of our saturation, and the same rate on the relay, so the latencies compare like with like.
      const rate = Math.max(1, ours.sat.msgsPerSec / 2);
      details.sizes[size] = {
        rounds: rounds.map((r) => ({ hi: r.hi.sat.deliveriesPerSec, bare: r.bare.sat.deliveriesPerSec })),
        hi: { ...ours, ...(await atFixedRate(hiWorker, rooms[size], { durationMs, rate, probe: hi.probe })) },
        bare: { ...relay, ...(await atFixedRate(bareWorker, rooms[size], { durationMs, rate, probe: bare.probe })) },
      };
    }
    await Promise.all([hiWorker.call('close'), bareWorker.call('close')]);
  } finally {
    await Promise.all([hiWorker.stop(), bareWorker.stop()]);
    await Promise.all([hi.stop(), bare.stop()]);
  }

  const rows = [];
  for (const size of sizes) {
    const { hi: h, bare: b } = details.sizes[size];
    rows.push(
      row('S2', `rooms of ${size}: deliveries/s at saturation`, {
        ours: h.sat.deliveriesPerSec,
        bare: b.sat.deliveriesPerSec,
        target: '≥ 0.5 × bare',
        pass: h.sat.deliveriesPerSec >= 0.5 * b.sat.deliveriesPerSec,
        note: `ratio in each round ${details.sizes[size].rounds.map((r) => round(r.hi / r.bare, 2)).join(' / ')}; CPU server/generator: ours ${Math.round(h.satServer.cpuPct)}%/${h.sat.loadGenCpuPct}%, bare ${Math.round(b.satServer.cpuPct)}%/${b.sat.loadGenCpuPct}%`,
      }),
      row('S2', `rooms of ${size}: send→last p50 at ${Math.round(h.atRate.targetRate)} msg/s`, { ours: h.atRate.last.p50, bare: b.atRate.last.p50, unit: 'ms' }),
      row('S2', `rooms of ${size}: send→last p99 at ${Math.round(h.atRate.targetRate)} msg/s`, {
        ours: h.atRate.last.p99,
        bare: b.atRate.last.p99,
        unit: 'ms',
        target: size <= 100 ? '< 50 ms' : '',
        pass: size <= 100 ? h.atRate.last.p99 !== null && h.atRate.last.p99 < 50 && h.atRate.lost === 0 : null,
        note: [h.atRate.lost || h.sat.ackErrors ? `lost ${h.atRate.lost}, ack errors ${JSON.stringify(h.sat.errorCodes)}` : '', stallNote(h.rateServer.stalls, h.rateServer.stealPct)].filter(Boolean).join('; '),
      }),
    );
  }
  return { details, rows };
}
