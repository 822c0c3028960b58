// A load-generator process (forked by the runner, on the load core): holds many Socket.IO
// clients and drives chat traffic, timing each message from send to its ack and to its last
// recipient with one clock. Commands arrive over IPC; every loop is bounded in count and time.
import { randomUUID } from 'node:crypto';
import { requireServer } from './deps.mjs';
import { summarize, sleep } from './stats.mjs';

const { io } = requireServer('socket.io-client');

/** userId → socket (one socket per user). */
const sockets = new Map();
const socketList = [];
/** clientId → in-flight message record. */
const pending = new Map();
let counters = newCounters();

function newCounters() {
  return { sent: 0, acked: 0, ackErrors: 0, errorCodes: {}, deliveries: 0, completed: 0, ackMs: [], lastMs: [], measuring: false };
}

function onDelivered(ownerId, msg) {
  const rec = msg && pending.get(msg.clientId);
  if (!rec || ownerId === rec.senderId || rec.seen.has(ownerId)) return;
  rec.seen.add(ownerId);
  if (rec.measured) counters.deliveries += 1;
  if (rec.seen.size >= rec.expected) {
    rec.deliveredAt = performance.now();
    maybeComplete(rec);
  }
}

function maybeComplete(rec) {
  if (rec.done || rec.ackAt === undefined || (rec.expected > 0 && rec.deliveredAt === undefined)) return;
  rec.done = true;
  clearTimeout(rec.give);
  pending.delete(rec.clientId);
  if (rec.measured) {
    counters.completed += 1;
    if (rec.expected > 0) counters.lastMs.push(rec.deliveredAt - rec.t0);
  }
  rec.resolve();
}

function connectOne(url, client, localAddress, timeoutMs) {
  return new Promise((resolve) => {
    const s = io(url, {
      auth: client.auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: timeoutMs,
      ...(localAddress ? { localAddress } : {}),
    });
    const done = (ok, err) => {
      s.off('connect');
      s.off('connect_error');
      if (!ok) s.close();
      resolve({ ok, socket: s, err });
    };
    s.once('connect', () => done(true));
    s.once('connect_error', (err) => done(false, err?.message ?? String(err)));
  });
}

/** Connect every client (concurrency at a time), spreading them over urls and source addresses. */
async function connect({ urls, clients, localAddresses = [], concurrency = 100, timeoutMs = 20000, trackDeliveries = true, maxMs = 120000 }) {
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  let next = 0;
  let failed = 0;
  const errors = {};
  const workers = Array.from({ length: Math.min(concurrency, clients.length) }, async () => {
    while (next < clients.length && performance.now() < deadline) {
      const i = next++;
      const c = clients[i];
      const local = localAddresses.length ? localAddresses[i % localAddresses.length] : undefined;
      const res = await connectOne(urls[i % urls.length], c, local, timeoutMs);
      if (!res.ok) {
        failed += 1;
        errors[res.err] = (errors[res.err] ?? 0) + 1;
        continue;
      }
      sockets.set(c.userId, res.socket);
      socketList.push(res.socket);
      if (trackDeliveries) {
        res.socket.on('new_message', (m) => onDelivered(c.userId, m));
        res.socket.on('group_message', (m) => onDelivered(c.userId, m));
      }
    }
  });
  await Promise.all(workers);
  return { connected: sockets.size, failed, errors, ms: performance.now() - t0 };
}

function connectedCount() {
  let n = 0;
  for (const s of socketList) if (s.connected) n += 1;
  return n;
}

const BODY = '성능 시험 메시지 — a fan-out benchmark message of about one hundred bytes in all ';

/** Send one chat message; resolves when acked (and, with recipients, delivered to all of them). */
function sendOne(room, senderIdx, measured, ackTimeoutMs) {
  const senderId = room.members[senderIdx % room.members.length];
  const s = sockets.get(senderId);
  const clientId = randomUUID();
  const expected = room.recipients ?? room.members.length - 1;
  return new Promise((resolve) => {
    const rec = { clientId, senderId, expected, seen: new Set(), t0: performance.now(), measured, resolve, done: false };
    pending.set(clientId, rec);
    if (measured) counters.sent += 1;
    rec.give = setTimeout(() => {
      if (rec.done) return;
      rec.done = true;
      pending.delete(clientId);
      resolve();
    }, ackTimeoutMs);
    s.emit('chat', { roomId: room.id, clientId, body: BODY + counters.sent }, (res) => {
      rec.ackAt = performance.now();
      if (measured) {
        if (res?.ok) {
          counters.acked += 1;
          counters.ackMs.push(rec.ackAt - rec.t0);
        } else {
          counters.ackErrors += 1;
          const code = res?.error?.code ?? 'NO_ACK_BODY';
          counters.errorCodes[code] = (counters.errorCodes[code] ?? 0) + 1;
          rec.expected = 0;
        }
      }
      if (!res?.ok) rec.expected = 0;
      maybeComplete(rec);
    });
  });
}

/**
 * Drive chat traffic over `rooms` ({ id, members: [userId…], recipients? }).
 * mode 'closed': `window` messages in flight, the next sent as one completes (saturation).
 * mode 'open': `rate` messages per second on a schedule, whatever the answers (latency at a load).
 * A message completes when acked and, if its room has recipients, delivered to every one.
 */
async function chat({ rooms, mode, window = 50, rate = 100, warmupMs = 1000, durationMs = 5000, drainMs = 5000, ackTimeoutMs = 15000, maxInFlight = 20000 }) {
  counters = newCounters();
  let roomIdx = 0;
  // Each room turns through its own members, so every socket sends its share (and stays under
  // the server's per-socket event limit).
  const turns = new Array(rooms.length).fill(0);
  const pick = () => {
    const i = roomIdx++ % rooms.length;
    return [rooms[i], turns[i]++];
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + durationMs;
  const inFlight = new Set();
  let backlogSkipped = 0;
  const fire = () => {
    const now = performance.now();
    const measured = now >= measureFrom && now < stopAt;
    const [room, turn] = pick();
    const p = sendOne(room, turn, measured, ackTimeoutMs);
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
    return p;
  };
  if (mode === 'closed') {
    const loop = async () => {
      while (performance.now() < stopAt) await fire();
    };
    await Promise.all(Array.from({ length: window }, loop));
  } else {
    let fired = 0;
    while (performance.now() < stopAt) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (fired < due) {
        fired += 1;
        if (inFlight.size >= maxInFlight) backlogSkipped += 1;
        else void fire();
      }
      await sleep(2);
    }
  }
  const measuredWallS = durationMs / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loadGenCpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - start)) * 100;
  // Let what was sent inside the window finish, bounded in time.
  const drainUntil = performance.now() + drainMs;
  while (inFlight.size > 0 && performance.now() < drainUntil) await sleep(20);
  const lost = [...pending.values()].filter((r) => r.measured).length;
  for (const r of pending.values()) {
    r.done = true;
    clearTimeout(r.give);
  }
  pending.clear();
  const c = counters;
  return {
    mode,
    loadGenCpuPct: Math.round(loadGenCpuPct),
    window: mode === 'closed' ? window : undefined,
    targetRate: mode === 'open' ? rate : undefined,
    sent: c.sent,
    acked: c.acked,
    ackErrors: c.ackErrors,
    errorCodes: c.errorCodes,
    completed: c.completed,
    lost,
    backlogSkipped,
    msgsPerSec: c.completed / measuredWallS,
    ackedPerSec: c.acked / measuredWallS,
    deliveriesPerSec: c.deliveries / measuredWallS,
    ack: summarize(c.ackMs),
    last: summarize(c.lastMs),
  };
}

/**
 * Make one HTTP request and time, on this process's clock, its answer and the moment the last of
 * `expect` sockets heard `event` (each socket counted once). Returns one payload heard, as JSON.
 */
async function announce({ url, method, headers = {}, body, event, expect, timeoutMs = 30000 }) {
  const heard = new Set();
  let lastAt;
  let sample;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const listeners = [];
  for (const [userId, s] of sockets) {
    const on = (payload) => {
      if (heard.has(userId)) return;
      heard.add(userId);
      sample ??= payload;
      if (heard.size >= expect) {
        lastAt = performance.now();
        done();
      }
    };
    s.on(event, on);
    listeners.push([s, on]);
  }
  const t0 = performance.now();
  try {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    await res.arrayBuffer();
    const answerMs = performance.now() - t0;
    const timeout = sleep(timeoutMs);
    await Promise.race([all, timeout]);
    return { status: res.status, answerMs, lastMs: lastAt === undefined ? null : lastAt - t0, heard: heard.size, sample: sample === undefined ? null : JSON.stringify(sample) };
  } finally {
    for (const [s, on] of listeners) s.off(event, on);
  }
}

async function closeAll() {
  for (const s of socketList) s.close();
  sockets.clear();
  socketList.length = 0;
  await sleep(200);
  return { closed: true };
}

const handlers = {
  connect,
  chat,
  announce,
  count: async () => ({ connected: connectedCount(), total: socketList.length }),
  close: closeAll,
  cpu: async () => ({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss() }),
};

process.on('message', (msg) => {
  const h = handlers[msg?.cmd];
  if (!h) return;
  h(msg.args ?? {}).then(
    (result) => process.send({ id: msg.id, result }),
    (err) => process.send({ id: msg.id, error: String(err?.stack ?? err) }),
  );
});
