// S5D the room list when a room has a deep unread history: a user in 50 rooms, one of them with
// 200,000 messages unread, a few of those deleted (deleted messages don't count as unread, so
// every list counts them per room); the first page over HTTP, p50/p99, on SQLite and MariaDB.
// The unread counts must not walk a room's messages: the figure should match a shallow list.
import { configureBare, createMysqlDatabase, startBare } from '../lib/proc.mjs';
import { load, request } from '../lib/http-load.mjs';
import { seedMessages, seedRooms } from '../lib/seed.mjs';
import { knob, row, startSeededHi } from './common.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const ROOMS = 50;
const SHALLOW = 20;
const READ = 10;

export async function run() {
  const deep = knob('S5D_MESSAGES', 200_000);
  const requests = knob('S5D_REQUESTS', 200);
  const dialects = (process.env.BENCH_S5D_DIALECTS ?? 'sqlite,mysql').split(',');
  const details = { deep, rooms: ROOMS, requests };
  const rows = [];
  let pageBody;
  for (const dialect of dialects) {
    const mysql = dialect === 'mysql' ? await createMysqlDatabase(MYSQL_BASE) : undefined;
    try {
      const { hi, db, users } = await startSeededHi({ dialect, mysqlUrl: mysql?.url }, ROOMS + 1, `u${dialect[0]}`);
      const d = (details[dialect] = {});
      try {
        const [me, ...others] = users;
        const specs = others.map((o, i) => ({ kind: 'group', members: [me.id, o.id], lastSeq: i === 0 ? deep : SHALLOW, readSeq: { [me.id]: READ } }));
        const rooms = await seedRooms(db, specs);
        for (const [i, r] of rooms.entries()) await seedMessages(db, r.id, r.members, i === 0 ? deep : SHALLOW, { batch: 5000 });
        const deleted = [READ + 5, Math.floor(deep / 2), deep - 1];
        await db.query(`UPDATE messages SET body = NULL, deleted_at = created_at WHERE room_id = ? AND seq IN (${deleted.map(() => '?').join(', ')})`, [rooms[0].id, ...deleted]);
        if (dialect === 'mysql') await db.query('ANALYZE TABLE rooms, room_members, messages');
        await db.close();
        const auth = { authorization: `Bearer ${me.token}` };
        const first = await request(`${hi.url}/api/chat-rooms?limit=50`, { headers: auth });
        pageBody = first.body;
        const page = JSON.parse(first.body);
        const expected = deep - READ - deleted.length + (ROOMS - 1) * (SHALLOW - READ);
        d.sample = { status: first.status, rooms: page.rooms?.length, totalUnread: page.totalUnread, expected };
        d.page = await load(hi.url, () => ({ path: '/api/chat-rooms?limit=50', headers: auth }), { concurrency: 4, requests, warmup: 20 });
      } finally {
        await hi.stop();
      }
    } finally {
      await mysql?.drop();
    }
  }
  const bare = await startBare();
  try {
    await configureBare(bare, '/bench/canned', { routes: [{ method: 'GET', pattern: '^/api/chat-rooms$', status: 200, body: pageBody }] });
    details.bare = await load(bare.url, () => ({ path: '/api/chat-rooms?limit=50' }), { concurrency: 4, requests, warmup: 20 });
  } finally {
    await bare.stop();
  }
  for (const dialect of dialects) {
    const d = details[dialect];
    const ok = d.page.statuses['200'] === d.page.n && d.sample.totalUnread === d.sample.expected;
    const label = `${dialect}: room list, one of ${ROOMS} rooms with ${deep.toLocaleString('en-US')} unread`;
    rows.push(
      row('S5D', `${label} p50`, { ours: d.page.p50, bare: details.bare.p50, unit: 'ms' }),
      row('S5D', `${label} p99`, { ours: d.page.p99, bare: details.bare.p99, unit: 'ms', note: ok ? `unread total ${d.sample.totalUnread}` : `statuses ${JSON.stringify(d.page.statuses)}, sample ${JSON.stringify(d.sample)}` }),
    );
  }
  return { details, rows };
}
