// S8 deletion of a long history: one 1:1 room of 200,000 messages, half of them from the user
// an admin deletes. Each deletion writes its backup first, then removes the data in one
// transaction; a room's messages are removed after that, a step at a time. Reported: how long the
// admin waits, how long until the room's rows are all gone, and how long the server's event loop
// was held meanwhile (everyone else's messages wait that long), on SQLite and MariaDB.
import { setTimeout as sleep } from 'node:timers/promises';
import { createMysqlDatabase } from '../lib/proc.mjs';
import { request } from '../lib/http-load.mjs';
import { openDb, seedMessages, seedRooms } from '../lib/seed.mjs';
import { round } from '../lib/stats.mjs';
import { counted, knob, row, startSeededHi } from './common.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * One DELETE as the admin: its status and time, then (with `done`) the time until `done()` holds,
 * and the server's event loop over all of it.
 */
async function timedDelete(hi, path, token, done) {
  await hi.probe('reset');
  const start = performance.now();
  const res = await request(hi.url + path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  let goneMs;
  if (done && res.status === 204) {
    while (!(await done())) await sleep(50);
    goneMs = performance.now() - start;
  }
  const server = await hi.probe('sample');
  return {
    status: res.status,
    seconds: round(res.ms / 1000, 2),
    goneSeconds: goneMs === undefined ? undefined : round(goneMs / 1000, 2),
    lagMaxMs: round(server.lagMaxMs, 1),
    lagP99Ms: round(server.lagP99Ms, 1),
    stalls: server.stalls,
    error: res.status === 204 ? undefined : res.body.slice(0, 300),
  };
}

export async function run() {
  const total = knob('S8_MESSAGES', 200_000);
  const dialects = (process.env.BENCH_S8_DIALECTS ?? 'sqlite,mysql').split(',');
  const details = { total };
  const rows = [];

  for (const dialect of dialects) {
    const mysql = dialect === 'mysql' ? await createMysqlDatabase(MYSQL_BASE) : undefined;
    try {
      const { hi, db, users } = await startSeededHi({ dialect, mysqlUrl: mysql?.url }, 3, `d${dialect[0]}`);
      try {
        const [departing, colleague, admin] = users;
        await db.query(`UPDATE users SET role = 'admin' WHERE id = ?`, [admin.id]);
        const [room] = await seedRooms(db, [{ kind: 'direct', members: [departing.id, colleague.id], lastSeq: total }]);
        await seedMessages(db, room.id, [departing.id, colleague.id], total);
        await db.close();
        const user = await timedDelete(hi, `/api/delete-user/${departing.id}`, admin.token);
        const poll = await openDb(hi);
        try {
          const gone = async () => Number((await poll.query('SELECT COUNT(*) AS n FROM rooms WHERE id = ?', [room.id]))[0].n) === 0;
          details[dialect] = { user, room: await timedDelete(hi, `/api/delete-chat-room/${room.id}`, admin.token, gone) };
        } finally {
          await poll.close();
        }
      } finally {
        await hi.stop();
      }
    } finally {
      await mysql?.drop();
    }
    const d = details[dialect];
    const note = (r) => (r.status === 204 ? `event loop p99 ${r.lagP99Ms} ms; ${counted(r.stalls.count, 'stall')} over 40 ms` : `status ${r.status}: ${r.error}`);
    rows.push(
      row('S8', `${dialect}: delete a user with ${(total / 2).toLocaleString('en-US')} messages`, { ours: d.user.seconds, unit: 's', note: note(d.user) }),
      row('S8', `${dialect}: event loop held at most, deleting that user`, { ours: d.user.lagMaxMs, unit: 'ms' }),
      row('S8', `${dialect}: delete a room of ${total.toLocaleString('en-US')} messages`, { ours: d.room.seconds, unit: 's', note: d.room.status === 204 ? 'until the admin hears back' : note(d.room) }),
      row('S8', `${dialect}: that room's rows all removed`, { ours: d.room.goneSeconds ?? null, unit: 's', note: d.room.status === 204 ? note(d.room) : undefined }),
      row('S8', `${dialect}: event loop held at most, deleting that room`, { ours: d.room.lagMaxMs, unit: 'ms' }),
    );
  }
  return { rows, details };
}
