// A quick look at messaging costs on the built server, on SQLite and MariaDB:
//   - one page of 50 messages from the middle of a 10,000-message room;
//   - GET /api/chat-rooms for a user in 200 rooms;
//   - acked messages per second when 20 sockets each send a burst of 25 at once, into one group
//     of 20 (one room lock, fan-out to 20) or each into its own 1:1 room; and one socket alone.
// Not a test and no thresholds: it prints numbers. Run after `pnpm run build`:
//   node bench/messaging-quick.mjs [sqlite] [mysql]     (mysql uses TEST_MYSQL_URL or root@127.0.0.1)
import { randomUUID } from 'node:crypto';
import { requireServer } from './lib/deps.mjs';
import { createMysqlDatabase, startHi } from './lib/proc.mjs';
import { openDb, seedMessages, seedRooms, seedUsers } from './lib/seed.mjs';
import { round, summarize } from './lib/stats.mjs';

const { io } = requireServer('socket.io-client');
const MYSQL_BASE = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const HISTORY_SIZE = 10_000;
const ROOMS_PER_USER = 200;
const SENDERS = 20;
const BURST = 25; // under the per-socket limit of 30 events a second

async function timed(n, fn) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return summarize(ms);
}

async function getJson(url, token) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

function connect(url, token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Every socket sends `BURST` chats at once (socket i to roomIds[i], or all to one room); the clock stops at the last ack. */
async function burst(sockets, roomIds) {
  const t0 = performance.now();
  const acks = await Promise.all(
    sockets.flatMap((s, k) =>
      Array.from({ length: BURST }, (_, i) => s.timeout(30_000).emitWithAck('chat', { roomId: roomIds[k % roomIds.length], clientId: randomUUID(), body: `버스트 메시지 ${i}` })),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const ok = acks.filter((a) => a.ok).length;
  return { messages: acks.length, acked: ok, seconds: round(seconds, 3), perSecond: round(ok / seconds, 1) };
}

async function run(dialect) {
  const mysql = dialect === 'mysql' ? await createMysqlDatabase(MYSQL_BASE) : undefined;
  const server = await startHi({ dialect, mysqlUrl: mysql?.url });
  const db = await openDb(server);
  try {
    const users = await seedUsers(db, server, 3 + SENDERS, `mq${dialect[0]}`);
    const [me, a, b] = users;

    const [history] = await seedRooms(db, [{ kind: 'group', members: [me.id, a.id], lastSeq: HISTORY_SIZE }]);
    await seedMessages(db, history.id, [me.id, a.id], HISTORY_SIZE);
    const page = await timed(200, (i) => getJson(`${server.url}/api/chat-rooms/${history.id}/messages?before=${1000 + ((i * 37) % 8000)}&limit=50`, me.token));

    const specs = Array.from({ length: ROOMS_PER_USER - 1 }, () => ({ kind: 'group', members: [me.id, a.id, b.id], lastSeq: 3, readSeq: { [me.id]: 1 } }));
    const rooms = await seedRooms(db, specs);
    for (const r of rooms) await seedMessages(db, r.id, [a.id, b.id], 3);
    const list = await getJson(`${server.url}/api/chat-rooms`, me.token);
    if (list.rooms.length !== ROOMS_PER_USER) throw new Error(`expected ${ROOMS_PER_USER} rooms, got ${list.rooms.length}`);
    const roomList = await timed(50, () => getJson(`${server.url}/api/chat-rooms`, me.token));

    const senders = users.slice(3);
    const [group] = await seedRooms(db, [{ kind: 'group', members: senders.map((u) => u.id) }]);
    // Each sender also has a 1:1 room with `me`, so the rooms' locks do not line up.
    const pairs = await seedRooms(db, senders.map((u) => ({ kind: 'direct', members: [u.id, me.id] })));
    const sockets = await Promise.all(senders.map((u) => connect(server.url, u.token)));
    const pause = () => new Promise((r) => setTimeout(r, 1100));
    await burst(sockets.slice(0, 1), [group.id]); // warm-up
    await pause();
    const single = await burst(sockets.slice(0, 1), [group.id]);
    await pause();
    const many = await burst(sockets, [group.id]);
    await pause();
    const spread = await burst(sockets, pairs.map((r) => r.id));
    for (const s of sockets) s.close();

    return {
      dialect,
      historyPage50Ms: page,
      roomList200Ms: roomList,
      oneSocketBurst: single,
      twentySocketsOneGroupOf20: many,
      twentySocketsTwentyDirectRooms: spread,
    };
  } finally {
    await db.close();
    await server.stop();
    await mysql?.drop();
  }
}

const wanted = process.argv.slice(2);
for (const dialect of wanted.length ? wanted : ['sqlite', 'mysql']) {
  const r = await run(dialect);
  console.log(JSON.stringify(r, null, 2));
}
