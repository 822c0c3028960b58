// S4 history depth: 1,000,000 messages seeded in bulk (multi-row INSERTs) into one 1:1 room;
// then pages of 50 over HTTP at depth 0, 10,000 and 500,000 (keyset `before`): p50/p99 each.
import { createMysqlDatabase, configureBare, startBare } from '../lib/proc.mjs';
import { load, request } from '../lib/http-load.mjs';
import { seedMessages, seedRooms } from '../lib/seed.mjs';
import { round } from '../lib/stats.mjs';
import { cpuPerRequestUs, knob, row, startSeededHi, withServerFigures } from './common.mjs';

const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export async function run() {
  const total = knob('S4_MESSAGES', 1_000_000);
  const requests = knob('S4_REQUESTS', 400);
  const depths = [0, 10_000, 500_000].filter((d) => d < total);
  const dialects = (process.env.BENCH_S4_DIALECTS ?? 'sqlite').split(',');
  const details = { total, requests, depths };
  const rows = [];
  let bareFigures;

  for (const dialect of dialects) {
    const mysql = dialect === 'mysql' ? await createMysqlDatabase(MYSQL_BASE) : undefined;
    try {
      const { hi, db, users } = await startSeededHi({ dialect, mysqlUrl: mysql?.url }, 2, `h${dialect[0]}`);
      const d = (details[dialect] = { figures: {} });
      let page0;
      try {
        const [room] = await seedRooms(db, [{ kind: 'direct', members: users.map((u) => u.id), lastSeq: total }]);
        const t0 = performance.now();
        await seedMessages(db, room.id, users.map((u) => u.id), total);
        d.seedSeconds = round((performance.now() - t0) / 1000, 1);
        await db.close();
        const auth = { authorization: `Bearer ${users[0].token}` };
        const path = (depth, i) => `/api/chat-rooms/${room.id}/messages?limit=50${depth === 0 ? '' : `&before=${total - depth - (i % 100)}`}`;
        const first = await request(hi.url + path(500_000 < total ? 500_000 : 0, 0), { headers: auth });
        const parsed = JSON.parse(first.body);
        d.sample = { status: first.status, count: parsed.messages?.length, firstSeq: parsed.messages?.[0]?.seq, error: parsed.error };
        page0 = (await request(hi.url + path(0, 0), { headers: auth })).body;
        for (const depth of depths) {
          d.figures[depth] = await withServerFigures(hi, () => load(hi.url, (i) => ({ path: path(depth, i), headers: auth }), { concurrency: 4, requests, warmup: 40 }));
        }
        // The server's CPU time per page, warm, one request at a time: the cost the p99s scale with.
        const alone = await withServerFigures(hi, () => load(hi.url, (i) => ({ path: path(depths[1] ?? 0, i), headers: auth }), { concurrency: 1, requests, warmup: 0 }));
        d.cpuPerPageUs = cpuPerRequestUs(alone);
      } finally {
        await hi.stop();
      }
      if (!bareFigures) {
        const bare = await startBare();
        try {
          await configureBare(bare, '/bench/canned', { routes: [{ method: 'GET', pattern: '^/api/chat-rooms/[^/]+/messages$', status: 200, body: page0 }] });
          bareFigures = {};
          for (const depth of depths) bareFigures[depth] = await load(bare.url, (i) => ({ path: `/api/chat-rooms/x/messages?limit=50&before=${total - depth - (i % 100)}` }), { concurrency: 4, requests, warmup: 40 });
          const alone = await withServerFigures(bare, () => load(bare.url, (i) => ({ path: `/api/chat-rooms/x/messages?limit=50&before=${i}` }), { concurrency: 1, requests, warmup: 0 }));
          bareFigures.cpuPerPageUs = cpuPerRequestUs(alone);
          details.bare = bareFigures;
        } finally {
          await bare.stop();
        }
      }
    } finally {
      await mysql?.drop();
    }
    const d = details[dialect];
    rows.push(
      row('S4', `${dialect}: seeding ${total.toLocaleString('en-US')} messages`, { ours: d.seedSeconds, unit: 's' }),
      row('S4', `${dialect}: server CPU per page, one request at a time`, { ours: d.cpuPerPageUs, bare: bareFigures.cpuPerPageUs, unit: 'µs', note: 'warm, after the rows below; those keep 4 requests in flight' }),
    );
    for (const depth of depths) {
      const h = d.figures[depth];
      const b = bareFigures[depth];
      const ok = h.statuses['200'] === h.n;
      rows.push(
        row('S4', `${dialect}: page of 50 at depth ${depth.toLocaleString('en-US')} p50`, { ours: h.p50, bare: b.p50, unit: 'ms' }),
        row('S4', `${dialect}: page of 50 at depth ${depth.toLocaleString('en-US')} p99`, { ours: h.p99, bare: b.p99, unit: 'ms', target: '< 20 ms', pass: ok && h.p99 < 20, note: ok ? `event loop held at most ${h.server.lagMaxMs} ms` : `statuses ${JSON.stringify(h.statuses)}` }),
      );
    }
  }
  return { details, rows };
}
