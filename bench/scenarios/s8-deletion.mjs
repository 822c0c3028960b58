// S8 deletion of a long history: one 1:1 room of 200,000 messages, half of them from the user
// an admin deletes. Each deletion writes its backup first, then removes the data in one
// transaction. Reported: how long the admin waits, and how long the server's event loop was held
// meanwhile (everyone else's messages wait that long), on SQLite and MariaDB.
import { createMysqlDatabase } from '../lib/proc.mjs';
import { request } from '../lib/http-load.mjs';
import { seedMessages, seedRooms } from '../lib/seed.mjs';
import { round } from '../lib/stats.mjs';
import { counted, knob, row, startSeededHi } from './common.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** One DELETE as the admin: its status and time, and the server's event loop over it. */
async function timedDelete(hi, path, token) {
  await hi.probe('reset');
  const res = await request(hi.url + path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  const server = await hi.probe('sample');
  return { status: res.status, seconds: round(res.ms / 1000, 2), lagMaxMs: round(server.lagMaxMs, 1), lagP99Ms: round(server.lagP99Ms, 1), stalls: server.stalls, error: res.status === 204 ? undefined : res.body.slice(0, 300) };
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
        details[dialect] = {
          user: await timedDelete(hi, `/api/delete-user/${departing.id}`, admin.token),
          room: await timedDelete(hi, `/api/delete-chat-room/${room.id}`, admin.token),
        };
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
      row('S8', `${dialect}: delete a room of ${total.toLocaleString('en-US')} messages`, { ours: d.room.seconds, unit: 's', note: note(d.room) }),
      row('S8', `${dialect}: event loop held at most, deleting that room`, { ours: d.room.lagMaxMs, unit: 'ms' }),
    );
  }
  return { rows, details };
}
