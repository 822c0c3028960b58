// S5 the room list with unread counts for a user in 200 rooms (150 1:1, 50 groups of 10, each
// with history and a read position), p50/p99 over HTTP with 4 requests in flight: the first page
// of 50 (what the desktop app asks for first; it carries the unread total over all rooms), every
// page one after another, and the whole list in one answer; the first page also one request at a
// time, as one user opening the app waits for it. And what one mark-read writes: every table is compared row by
// row before and after a single call.
import { configureBare, startBare } from '../lib/proc.mjs';
import { jsonBody, load, request } from '../lib/http-load.mjs';
import { summarize } from '../lib/stats.mjs';
import { openDb, seedMessages, seedRooms } from '../lib/seed.mjs';
import { cpuPerRequestUs, knob, row, startSeededHi, withServerFigures } from './common.mjs';

const PER_ROOM = 20;
/** The desktop app's room list page. */
const PAGE = 50;

/** Every row of every table, keyed by its full content, to count what one request wrote. */
async function snapshot(db) {
  const tables = (await db.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'`)).map((t) => t.name);
  const snap = {};
  for (const t of tables) {
    const rows = await db.query(`SELECT * FROM "${t}"`);
    snap[t] = new Set(rows.map((r) => JSON.stringify(r)));
  }
  return snap;
}

function diff(before, after) {
  const changed = {};
  let total = 0;
  for (const t of Object.keys(after)) {
    const removed = [...(before[t] ?? [])].filter((r) => !after[t].has(r)).length;
    const added = [...after[t]].filter((r) => !(before[t] ?? new Set()).has(r)).length;
    // An updated row shows as one removed and one added.
    const rowsWritten = Math.max(removed, added);
    if (rowsWritten) changed[t] = rowsWritten;
    total += rowsWritten;
  }
  return { total, changed };
}

export async function run() {
  const roomsN = knob('S5_ROOMS', 200);
  const requests = knob('S5_REQUESTS', 300);
  const groups = Math.round(roomsN / 4);
  const directs = roomsN - groups;
  const { hi, db, users } = await startSeededHi({}, 1 + directs + groups * 9, 'r');
  const details = { rooms: roomsN, directs, groups, messagesPerRoom: PER_ROOM };
  let listBody;
  let pageBody;
  let markBody;
  try {
    const [me, ...others] = users;
    const specs = [];
    for (let i = 0; i < directs; i++) specs.push({ kind: 'direct', members: [me.id, others[i].id], lastSeq: PER_ROOM, readSeq: { [me.id]: i % (PER_ROOM + 1) } });
    for (let g = 0; g < groups; g++) specs.push({ kind: 'group', members: [me.id, ...others.slice(directs + g * 9, directs + g * 9 + 9).map((u) => u.id)], lastSeq: PER_ROOM, readSeq: { [me.id]: g % (PER_ROOM + 1) } });
    const rooms = await seedRooms(db, specs);
    for (const r of rooms) await seedMessages(db, r.id, r.members, PER_ROOM, { batch: PER_ROOM });
    const auth = { authorization: `Bearer ${me.token}` };
    const first = await request(`${hi.url}/api/chat-rooms`, { headers: auth });
    listBody = first.body;
    const parsed = JSON.parse(listBody);
    details.sample = { status: first.status, rooms: parsed.rooms?.length, bytes: Buffer.byteLength(listBody), unreadTotal: parsed.rooms?.reduce((s, r) => s + r.unreadCount, 0), error: parsed.error };
    details.list = await load(hi.url, () => ({ path: '/api/chat-rooms', headers: auth }), { concurrency: 4, requests, warmup: 30 });

    // The first page, as the app asks for it, and every page one after another, as it goes on.
    const firstPage = await request(`${hi.url}/api/chat-rooms?limit=${PAGE}`, { headers: auth });
    pageBody = firstPage.body;
    const page = JSON.parse(pageBody);
    details.pageSample = { status: firstPage.status, rooms: page.rooms?.length, bytes: Buffer.byteLength(pageBody), totalUnread: page.totalUnread, error: page.error };
    details.firstPage = await withServerFigures(hi, () => load(hi.url, () => ({ path: `/api/chat-rooms?limit=${PAGE}`, headers: auth }), { concurrency: 4, requests, warmup: 30 }));
    // One user opening the app: one request at a time, nothing queued behind another.
    // With the server's CPU time per page: the cost the latencies scale with, and what compares builds on a noisy machine.
    details.firstPageAlone = await withServerFigures(hi, () => load(hi.url, () => ({ path: `/api/chat-rooms?limit=${PAGE}`, headers: auth }), { concurrency: 1, requests, warmup: 0 }));
    details.allPages = await walkPages(hi.url, auth, Math.max(20, Math.round(requests / 10)));

    // One mark-read, with every table compared before and after.
    const target = rooms.find((r) => (r.readSeq[me.id] ?? 0) < PER_ROOM);
    const check = await openDb(hi);
    const before = await snapshot(check);
    const marked = await request(`${hi.url}/api/chat-rooms/${target.id}/mark-read`, { method: 'POST', ...withAuth(jsonBody({}), auth) });
    markBody = marked.body;
    await new Promise((r) => setTimeout(r, 200));
    const after = await snapshot(check);
    await check.close();
    details.markRead = { status: marked.status, body: JSON.parse(marked.body), written: diff(before, after) };

    // Mark-read latency: each request moves a different room's pointer to a new seq.
    details.markLatency = await load(hi.url, (i) => ({ path: `/api/chat-rooms/${rooms[i % rooms.length].id}/mark-read`, method: 'POST', ...withAuth(jsonBody({ seq: Math.min(PER_ROOM, 1 + Math.floor(i / rooms.length)) }), auth) }), { concurrency: 4, requests: rooms.length, warmup: 0 });
  } finally {
    await db.close();
    await hi.stop();
  }
  const bare = await startBare();
  try {
    await configureBare(bare, '/bench/canned', {
      routes: [
        { method: 'GET', pattern: '^/api/chat-rooms$', status: 200, body: listBody },
        { method: 'POST', pattern: '^/api/chat-rooms/[^/]+/mark-read$', status: 200, body: markBody },
      ],
    });
    details.bareList = await load(bare.url, () => ({ path: '/api/chat-rooms' }), { concurrency: 4, requests, warmup: 30 });
    details.bareMark = await load(bare.url, () => ({ path: '/api/chat-rooms/x/mark-read', method: 'POST', ...jsonBody({ seq: 1 }) }), { concurrency: 4, requests: roomsN, warmup: 0 });
    await configureBare(bare, '/bench/canned', { routes: [{ method: 'GET', pattern: '^/api/chat-rooms$', status: 200, body: pageBody }] });
    details.bareFirstPage = await load(bare.url, () => ({ path: `/api/chat-rooms?limit=${PAGE}` }), { concurrency: 4, requests, warmup: 30 });
    details.bareFirstPageAlone = await withServerFigures(bare, () => load(bare.url, () => ({ path: `/api/chat-rooms?limit=${PAGE}` }), { concurrency: 1, requests, warmup: 0 }));
  } finally {
    await bare.stop();
  }
  const l = details.list;
  const ok = l.statuses['200'] === l.n && details.sample.rooms === roomsN;
  const f = details.firstPage;
  const pageOk = f.statuses['200'] === f.n && details.pageSample.rooms === Math.min(PAGE, roomsN) && details.pageSample.totalUnread === details.sample.unreadTotal;
  const a = details.allPages;
  const w = details.markRead.written;
  return {
    details,
    rows: [
      row('S5', `room list, first page of ${PAGE} (of ${roomsN} rooms) p50`, { ours: f.p50, bare: details.bareFirstPage.p50, unit: 'ms' }),
      row('S5', `room list, first page of ${PAGE} (of ${roomsN} rooms) p99`, { ours: f.p99, bare: details.bareFirstPage.p99, unit: 'ms', target: '< 20 ms', pass: pageOk && f.p99 < 20, note: pageOk ? `${details.pageSample.bytes} bytes; unread total over all ${roomsN} rooms: ${details.pageSample.totalUnread}; event loop held at most ${f.server.lagMaxMs} ms` : `statuses ${JSON.stringify(f.statuses)}, sample ${JSON.stringify(details.pageSample)}` }),
      row('S5', `room list, first page of ${PAGE}, one request at a time p50`, { ours: details.firstPageAlone.p50, bare: details.bareFirstPageAlone.p50, unit: 'ms' }),
      row('S5', `room list, first page of ${PAGE}, one request at a time p99`, { ours: details.firstPageAlone.p99, bare: details.bareFirstPageAlone.p99, unit: 'ms', note: 'the rows above keep 4 requests in flight' }),
      row('S5', `room list, first page of ${PAGE}: server CPU per page, one request at a time`, { ours: cpuPerRequestUs(details.firstPageAlone), bare: cpuPerRequestUs(details.bareFirstPageAlone), unit: 'µs', note: 'warm, after the rows above' }),
      row('S5', `room list, all ${Math.ceil(roomsN / PAGE)} pages one after another p50`, { ours: a.p50, unit: 'ms', note: a.ok ? `${a.n} walks, p99 ${a.p99} ms` : `rooms seen ${a.rooms}` }),
      row('S5', `room list, all ${roomsN} rooms in one answer p50`, { ours: l.p50, bare: details.bareList.p50, unit: 'ms' }),
      row('S5', `room list, all ${roomsN} rooms in one answer p99`, { ours: l.p99, bare: details.bareList.p99, unit: 'ms', note: ok ? `${details.sample.bytes} bytes` : `statuses ${JSON.stringify(l.statuses)}, rooms ${details.sample.rooms}` }),
      row('S5', 'mark-read p99', { ours: details.markLatency.p99, bare: details.bareMark.p99, unit: 'ms' }),
      row('S5', 'rows written by one mark-read', { ours: w.total, target: '1', pass: details.markRead.status === 200 && w.total === 1, note: JSON.stringify(w.changed) }),
    ],
  };
}

function withAuth(req, auth) {
  return { body: req.body, headers: { ...req.headers, ...auth } };
}

/** Walk the whole list page by page, `times` times, one client: the time of each walk. */
async function walkPages(url, auth, times) {
  const ms = [];
  let rooms = 0;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const seen = new Set();
    let cursor = null;
    do {
      const res = await request(`${url}/api/chat-rooms?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth });
      const body = JSON.parse(res.body);
      for (const r of body.rooms ?? []) seen.add(r.id);
      cursor = res.status === 200 ? body.nextCursor : null;
    } while (cursor);
    ms.push(performance.now() - t0);
    rooms = seen.size;
  }
  const all = await request(`${url}/api/chat-rooms`, { headers: auth });
  return { ...summarize(ms), rooms, ok: rooms === JSON.parse(all.body).rooms.length };
}
