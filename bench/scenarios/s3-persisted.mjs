// S3 persisted sends across many rooms, on SQLite and on MariaDB: one sender connected per
// 1:1 room (its partner offline, so only persistence and the ack are measured). Saturation with
// a window of sends in flight, then a fixed 2,000 messages per second: acked/s and ack p99.
import { clientsFor, forkWorker } from '../lib/workers.mjs';
import { configureBare, createMysqlDatabase, startBare } from '../lib/proc.mjs';
import { seedRooms } from '../lib/seed.mjs';
import { knob, row, startSeededHi } from './common.mjs';
import { roomSpecs } from './s2-fanout.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function drive(target, senders, rooms, { durationMs, window, rate }) {
  const worker = forkWorker();
  try {
    const conn = await worker.call('connect', { urls: [target.url], clients: clientsFor(target, senders), concurrency: 50 });
    const chatRooms = rooms.map((r) => ({ id: r.id, members: [r.members[0]], recipients: 0 }));
    await target.probe('reset');
    const sat = await worker.call('chat', { rooms: chatRooms, mode: 'closed', window, warmupMs: 1000, durationMs });
    const satServer = await target.probe('reset');
    const atRate = await worker.call('chat', { rooms: chatRooms, mode: 'open', rate, warmupMs: 500, durationMs });
    const rateServer = await target.probe('sample');
    await worker.call('close');
    return { connected: conn.connected, sat, satServer, atRate, rateServer };
  } finally {
    await worker.stop();
  }
}

export async function run() {
  const roomsN = knob('S3_ROOMS', 500);
  const durationMs = knob('S3_DURATION_MS', 4000);
  const window = knob('S3_WINDOW', 64);
  const rate = knob('S3_RATE', 2000);
  const dialects = (process.env.BENCH_S3_DIALECTS ?? 'sqlite,mysql').split(',');
  const details = { rooms: roomsN, durationMs, window, rate };
  const rows = [];
  let bareResult;

  for (const dialect of dialects) {
    const mysql = dialect === 'mysql' ? await createMysqlDatabase(MYSQL_BASE) : undefined;
    try {
      const { hi, db, users } = await startSeededHi({ dialect, mysqlUrl: mysql?.url }, roomsN * 2, `p${dialect[0]}`);
      let rooms;
      try {
        rooms = await seedRooms(db, roomSpecs(users, 2));
        await db.close();
        const senders = rooms.map((r) => users.find((u) => u.id === r.members[0]));
        details[dialect] = { ...(await drive(hi, senders, rooms, { durationMs, window, rate })), ...(mysql ? { dirtyPagesFlushedFirst: mysql.flushed } : {}) };
      } finally {
        await hi.stop();
      }
      if (!bareResult) {
        const bare = await startBare();
        try {
          await configureBare(bare, '/bench/rooms', { rooms: rooms.map((r) => ({ id: r.id, kind: r.kind, members: r.members })) });
          bareResult = await drive(bare, rooms.map((r) => ({ id: r.members[0] })), rooms, { durationMs, window, rate });
          details.bare = bareResult;
        } finally {
          await bare.stop();
        }
      }
    } finally {
      await mysql?.drop();
    }
    const h = details[dialect];
    const b = bareResult;
    const onMaria = dialect === 'mysql';
    rows.push(
      row('S3', `${dialect}: acked msgs/s at saturation (window ${window})`, {
        ours: h.sat.ackedPerSec,
        bare: b.sat.ackedPerSec,
        target: onMaria ? '≥ 2,000/s' : '',
        pass: onMaria ? h.sat.ackedPerSec >= 2000 : null,
        note: `CPU server/generator: ours ${Math.round(h.satServer.cpuPct)}%/${h.sat.loadGenCpuPct}%, bare ${Math.round(b.satServer.cpuPct)}%/${b.sat.loadGenCpuPct}%`,
      }),
      row('S3', `${dialect}: ack p99 at saturation`, { ours: h.sat.ack.p99, bare: b.sat.ack.p99, unit: 'ms' }),
      row('S3', `${dialect}: acked msgs/s offered ${rate}/s`, { ours: h.atRate.ackedPerSec, bare: b.atRate.ackedPerSec, target: onMaria ? `${rate}/s` : '', pass: onMaria ? h.atRate.ackedPerSec >= rate * 0.98 : null }),
      row('S3', `${dialect}: ack p99 offered ${rate}/s`, {
        ours: h.atRate.ack.p99,
        bare: b.atRate.ack.p99,
        unit: 'ms',
        target: onMaria ? '< 50 ms' : '',
        pass: onMaria ? h.atRate.ack.p99 !== null && h.atRate.ack.p99 < 50 : null,
        note: Object.keys(h.atRate.errorCodes).length ? `ack errors ${JSON.stringify(h.atRate.errorCodes)}` : '',
      }),
    );
  }
  return { details, rows };
}
