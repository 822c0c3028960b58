// S2R fan-out on two server processes sharing MariaDB and Redis, against one process on the same
// MariaDB: the same saturation load as S2 (sockets spread over the processes), and the gain.
import { clientsFor, forkWorker } from '../lib/workers.mjs';
import { LOAD_CORE, createMysqlDatabase, startHi } from '../lib/proc.mjs';
import { knob, row, startSeededHi } from './common.mjs';
import { prepareRooms, windowFor } from './s2-fanout.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function saturate(urls, users, rooms, sizes, durationMs, hiForClients) {
  const worker = forkWorker();
  try {
    await worker.call('connect', { urls, clients: clientsFor(hiForClients, users), concurrency: 50 });
    const out = {};
    for (const size of sizes) {
      out[size] = await worker.call('chat', { rooms: rooms[size].map((r) => ({ id: r.id, members: r.members })), mode: 'closed', window: windowFor(size), warmupMs: 1000, durationMs });
    }
    await worker.call('close');
    return out;
  } finally {
    await worker.stop();
  }
}

/** Sends refused in either phase, by error code; a send must never fail here. */
function errorsNote(details, size) {
  const errors = { one: details.one[size].errorCodes, two: details.two[size].errorCodes };
  return Object.values(errors).some((codes) => Object.keys(codes).length > 0) ? `; ack errors ${JSON.stringify(errors)}` : '';
}

export async function run() {
  const members = knob('S2R_USERS', 400);
  const durationMs = knob('S2R_DURATION_MS', 4000);
  const sizes = [10, 100].filter((s) => s <= members);
  const details = { members, sizes, durationMs };
  const mysql = await createMysqlDatabase(MYSQL_BASE);
  details.dirtyPagesFlushedFirst = mysql.flushed;
  try {
    // One process, no Redis.
    const { hi: one, db, users } = await startSeededHi({ dialect: 'mysql', mysqlUrl: mysql.url }, members, 'g');
    let rooms;
    try {
      rooms = await prepareRooms(db, null, users, sizes);
      details.one = await saturate([one.url], users, rooms, sizes, durationMs, one);
    } finally {
      await db.close();
      await one.stop();
    }
    // Two processes on the same database and a shared Redis, one per core.
    const a = await startHi({ dialect: 'mysql', mysqlUrl: mysql.url, redisUrl: REDIS_URL, jwtSecret: one.jwtSecret });
    const b = await startHi({ dialect: 'mysql', mysqlUrl: mysql.url, redisUrl: REDIS_URL, jwtSecret: one.jwtSecret, core: LOAD_CORE });
    try {
      details.two = await saturate([a.url, b.url], users, rooms, sizes, durationMs, a);
    } finally {
      await a.stop();
      await b.stop();
    }
  } finally {
    await mysql.drop();
  }
  return {
    details,
    rows: sizes.map((size) =>
      row('S2R', `rooms of ${size}: deliveries/s, 2 processes vs 1 (MariaDB)`, {
        ours: details.two[size].deliveriesPerSec,
        bare: details.one[size].deliveriesPerSec,
        note: `ratio = gain of two processes over one; send→last p99 ${details.two[size].last.p99} vs ${details.one[size].last.p99} ms${errorsNote(details, size)}`,
      }),
    ),
  };
}
