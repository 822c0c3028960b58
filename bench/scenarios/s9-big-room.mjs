// S9 a room of 1,000 members, every one of them online: a member renames it, then invites one
// more person, again and again. Each change is announced to every member's socket as
// `room_changed`, what changed (the new name, the member who came in), the same for everyone;
// timed from the request to its answer and to the last member hearing it, with the longest the
// server's event loop was held. Then every member marks the room read, 4 at a time, as when all
// staff read a notice: the server's CPU per read. The relay answers the same routes and emits
// the payloads the server sent, once, to the same sockets (for a read, one `read` to every member).
import { jsonBody, load } from '../lib/http-load.mjs';
import { configureBare, startBare } from '../lib/proc.mjs';
import { seedMessages, seedRooms } from '../lib/seed.mjs';
import { summarize } from '../lib/stats.mjs';
import { clientsFor, forkWorker } from '../lib/workers.mjs';
import { knob, row, startSeededHi, withServerFigures } from './common.mjs';

/** Messages in the room that everyone then marks read. */
const NOTICE = 20;

function markRead(roomId, token) {
  const req = jsonBody({});
  return { path: `/api/chat-rooms/${roomId}/mark-read`, method: 'POST', body: req.body, headers: { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
}

/** `rounds` renames and `rounds` invites by `actor`, each heard by `expect` sockets. */
async function changes(target, worker, roomId, actor, invitees, { rounds, expect }) {
  const auth = actor ? { authorization: `Bearer ${actor.token}` } : {};
  const rename = [];
  const invite = [];
  const sample = { rename: null, invite: null };
  const statuses = {};
  for (let i = 0; i < rounds; i++) {
    const r = await worker.call('announce', { url: `${target.url}/api/chat-rooms/${roomId}/name`, method: 'PUT', headers: auth, body: { name: `전사 공지방 ${i + 1}` }, event: 'room_changed', expect });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    rename.push(r);
    sample.rename ??= r.sample;
    const v = await worker.call('announce', { url: `${target.url}/api/chat-rooms/${roomId}/invite`, method: 'POST', headers: auth, body: { userIds: [invitees[i].id] }, event: 'room_changed', expect });
    statuses[v.status] = (statuses[v.status] ?? 0) + 1;
    invite.push(v);
    sample.invite ??= v.sample;
  }
  const figures = (list) => ({ answer: summarize(list.map((r) => r.answerMs)), last: summarize(list.filter((r) => r.lastMs !== null).map((r) => r.lastMs)), allHeard: list.every((r) => r.heard >= expect) });
  return { rename: figures(rename), invite: figures(invite), statuses, sample };
}

export async function run() {
  const members = knob('S9_MEMBERS', 1000);
  const rounds = knob('S9_ROUNDS', 20);
  const details = { members, rounds };
  const { hi, db, users } = await startSeededHi({}, members + rounds, 's9');
  const inRoom = users.slice(0, members);
  const invitees = users.slice(members);
  let room;
  const worker = forkWorker();
  try {
    [room] = await seedRooms(db, [{ kind: 'group', members: inRoom.map((u) => u.id) }]);
    details.connect = await worker.call('connect', { urls: [hi.url], clients: clientsFor(hi, inRoom), concurrency: 50, trackDeliveries: false });
    // One untimed change first, so nothing below pays for a first use.
    await changes(hi, worker, room.id, inRoom[0], invitees, { rounds: 1, expect: members });
    details.ours = await withServerFigures(hi, () => changes(hi, worker, room.id, inRoom[0], invitees.slice(1), { rounds: rounds - 1, expect: members }));
    // A notice everyone reads: 20 messages, then each member's mark-read.
    const [{ last_seq: lastSeq }] = await db.query('SELECT last_seq FROM rooms WHERE id = ?', [room.id]);
    await seedMessages(db, room.id, [inRoom[0].id], NOTICE, { startSeq: Number(lastSeq) + 1, batch: NOTICE });
    await db.query('UPDATE rooms SET last_seq = ? WHERE id = ?', [Number(lastSeq) + NOTICE, room.id]);
    details.noticeLastSeq = Number(lastSeq) + NOTICE;
    details.reads = await withServerFigures(hi, () => load(hi.url, (i) => markRead(room.id, inRoom[i % members].token), { concurrency: 4, requests: members, warmup: 0, maxMs: 120000 }));
  } finally {
    await worker.stop();
    await db.close();
    await hi.stop();
  }
  const sample = details.ours.sample;
  details.payloadBytes = { rename: sample.rename ? Buffer.byteLength(sample.rename) : null, invite: sample.invite ? Buffer.byteLength(sample.invite) : null };
  delete details.ours.sample;

  const bare = await startBare();
  const relayWorker = forkWorker();
  try {
    await configureBare(bare, '/bench/rooms', { rooms: [{ id: room.id, kind: 'group', members: inRoom.map((u) => u.id) }] });
    const emit = (kind) => ({ roomId: room.id, event: 'room_changed', payload: JSON.parse(sample[kind] ?? '{}') });
    await configureBare(bare, '/bench/canned', {
      routes: [
        { method: 'PUT', pattern: '/name$', status: 200, body: '{}', emit: emit('rename') },
        { method: 'POST', pattern: '/invite$', status: 200, body: '{}', emit: emit('invite') },
        { method: 'POST', pattern: '/mark-read$', status: 200, body: JSON.stringify({ roomId: room.id, lastReadSeq: details.noticeLastSeq }), emit: { roomId: room.id, event: 'read', payload: { roomId: room.id, userId: inRoom[0].id, lastReadSeq: details.noticeLastSeq } } },
      ],
    });
    await relayWorker.call('connect', { urls: [bare.url], clients: clientsFor(bare, inRoom), concurrency: 50, trackDeliveries: false });
    details.bare = await withServerFigures(bare, () => changes(bare, relayWorker, room.id, null, invitees, { rounds: rounds - 1, expect: members }));
    delete details.bare.sample;
    details.bareReads = await withServerFigures(bare, () => load(bare.url, () => markRead(room.id), { concurrency: 4, requests: members, warmup: 0, maxMs: 120000 }));
  } finally {
    await relayWorker.stop();
    await bare.stop();
  }

  const o = details.ours;
  const b = details.bare;
  // Per change, over the timed renames and invites: the server's CPU time, its answer and fan-out included.
  const perChange = (f) => f.server.cpuMs / (2 * (rounds - 1));
  const r = details.reads;
  const br = details.bareReads;
  const readsOk = r.statuses['200'] === r.n;
  const ok = o.rename.allHeard && o.invite.allHeard && Object.keys(o.statuses).every((s) => s === '200');
  const note = ok ? `${details.payloadBytes.rename} bytes (rename) and ${details.payloadBytes.invite} bytes (invite) to each of ${members} sockets; event loop held at most ${o.server.lagMaxMs} ms (relay ${b.server.lagMaxMs} ms)` : `statuses ${JSON.stringify(o.statuses)}; every member heard: rename ${o.rename.allHeard}, invite ${o.invite.allHeard}`;
  return {
    details,
    rows: [
      row('S9', `room of ${members}, all online: server CPU per rename or invite`, { ours: perChange(o), bare: perChange(b), unit: 'ms', note }),
      row('S9', `room of ${members}: event loop held at most`, { ours: o.server.lagMaxMs, bare: b.server.lagMaxMs, unit: 'ms' }),
      row('S9', `room of ${members}: rename, last member hears it p50`, { ours: o.rename.last.p50, bare: b.rename.last.p50, unit: 'ms', note: 'bound by the load generator, which parses every socket\'s copy on one core' }),
      row('S9', `room of ${members}: invite one more, last member hears it p50`, { ours: o.invite.last.p50, bare: b.invite.last.p50, unit: 'ms' }),
      row('S9', `room of ${members}: every member marks it read, server CPU per read`, { ours: r.server.cpuMs / r.n, bare: br.server.cpuMs / br.n, unit: 'ms', note: readsOk ? `4 in flight; p50 ${r.p50} ms, p99 ${r.p99} ms (relay ${br.p50} / ${br.p99} ms, one \`read\` to every member each)` : `statuses ${JSON.stringify(r.statuses)}` }),
    ],
  };
}
