// The baseline every scenario is compared with: a bare Socket.IO relay on the same machine,
// with no auth, no database and no validation. It speaks the same events and routes as the
// server (chat with ack, new_message/group_message to each member's sockets) and answers the
// HTTP routes the scenarios call with canned bodies, so the ratio shows what the product's
// work costs on top of Node, HTTP and Socket.IO alone.
//
//   PORT=7000 node bench/bare-relay.mjs
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { requireServer } from './lib/deps.mjs';

const { Server } = requireServer('socket.io');

const port = Number(process.env.PORT ?? 7000);
const host = process.env.HOST ?? '127.0.0.1';
const uploadDir = mkdtempSync(join(tmpdir(), 'bare-relay-'));

/** roomId → { kind, seq, channels: ['user:<id>', …] } */
const rooms = new Map();
/** [{ method, re, status, body }] set by the runner from the server's real answers. */
let canned = [];

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const http = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const handle = async () => {
    if (req.method === 'PUT' && path === '/bench/rooms') {
      const body = await readJson(req);
      for (const r of body.rooms) rooms.set(r.id, { kind: r.kind, seq: 0, channels: r.members.map((u) => `user:${u}`) });
      return send(res, 200, { rooms: rooms.size });
    }
    if (req.method === 'PUT' && path === '/bench/canned') {
      const body = await readJson(req);
      // A route may also emit a canned event to a room's members, as the server announces a room change.
      canned = body.routes.map((r) => ({ method: r.method, re: new RegExp(r.pattern), status: r.status, body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body), emit: r.emit }));
      return send(res, 200, { routes: canned.length });
    }
    if (req.method === 'POST' && path === '/api/upload-file') {
      // Stream the multipart body to disk as it comes, with no parsing or checks.
      const file = join(uploadDir, randomUUID());
      let size = 0;
      req.on('data', (c) => (size += c.length));
      await pipeline(req, createWriteStream(file));
      rmSync(file, { force: true });
      return send(res, 201, { file: { id: randomUUID(), name: 'upload.txt', mime: 'text/plain', size } });
    }
    if (path === '/api/health') return send(res, 200, { status: 'ok' });
    for (const r of canned) {
      if (r.method === req.method && r.re.test(path)) {
        req.resume();
        if (r.emit) io.to(rooms.get(r.emit.roomId)?.channels ?? []).emit(r.emit.event, r.emit.payload);
        return send(res, r.status, r.body);
      }
    }
    req.resume();
    return send(res, 404, { error: { code: 'NOT_FOUND', message: 'No such route on the bare relay.' } });
  };
  handle().catch((err) => send(res, 400, { error: { code: 'BAD_REQUEST', message: String(err) } }));
});

const io = new Server(http, { maxHttpBufferSize: 64 * 1024, pingInterval: 20000, pingTimeout: 20000 });
io.on('connection', (socket) => {
  const userId = String(socket.handshake.auth?.user ?? socket.id);
  void socket.join(`user:${userId}`);
  socket.on('chat', (payload, ack) => {
    const room = rooms.get(payload?.roomId);
    if (!room) {
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'ROOM_NOT_FOUND', message: 'unknown room' } });
      return;
    }
    room.seq += 1;
    const message = {
      id: randomUUID(),
      roomId: payload.roomId,
      seq: room.seq,
      senderId: userId,
      clientId: payload.clientId,
      kind: 'text',
      body: payload.body ?? null,
      file: null,
      createdAt: new Date().toISOString(),
      deletedAt: null,
    };
    if (typeof ack === 'function') ack({ ok: true, message });
    socket.to(room.channels).emit(room.kind === 'direct' ? 'new_message' : 'group_message', message);
  });
});

http.listen(port, host, () => {
  process.stdout.write(`bare relay listening on http://${host}:${port}\n`);
});

const stop = () => {
  rmSync(uploadDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
