import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@hi-msg/contracts';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { io } from 'socket.io-client';
import { bearer, login, register, signupBody } from './accounts.helpers';
import { type ClientSocket, connectSocket, nextEvent, type TestServer } from './harness';
import { PRESENCE_HEARTBEAT_MS, PRESENCE_NODE_TTL_MS } from '../src/realtime/redis-presence.store';
import { makeImage } from './fixtures/files/samples';
import { api, collect, emitAck, eventually, presenceTold, sendChat } from './messaging.helpers';

const MYSQL = process.env.TEST_MYSQL_URL;
const REDIS = process.env.TEST_REDIS_URL;
const MAIN = join(__dirname, '..', 'dist', 'main.js');
const ADMIN_PASSWORD = 'Admin-Scale-Out-2026';
const ready = Boolean(MYSQL && REDIS && existsSync(MAIN));
const why = !MYSQL || !REDIS ? 'set TEST_MYSQL_URL and TEST_REDIS_URL' : 'build the server first (pnpm run build)';
const maybe = ready ? describe : describe.skip;
if (!ready) console.warn(`scale-out test skipped: ${why}`);

/** One server process started from the build, as production runs it. */
interface Node {
  url: string;
  child: ChildProcess;
  output: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hi-msg-scale-'));
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, UPLOAD_DIR: join(dataDir, 'uploads'), WEB_DIR: join(dataDir, 'no-web'), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server on ${url} did not start:\n${output.join('')}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child, output };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopNode(node: Node): Promise<void> {
  // Ended already, by itself (an exit code) or by a signal.
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.kill('SIGTERM');
  const t = setTimeout(() => node.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

const asServer = (node: Node) => ({ url: node.url }) as TestServer;

/** A file's bytes, or its preview's, as one member downloads it through one process. */
function download(node: Node, token: string, id: string, preview = false) {
  return request(node.url)
    .get(`/api/download-file/${id}${preview ? '?preview=1' : ''}`)
    .set(bearer(token))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** The user_list snapshot a socket gets on connecting (listened for before the handshake ends). */
function onlineSnapshot(node: Node, token: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s: ClientSocket = io(node.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const t = setTimeout(() => {
      s.close();
      reject(new Error(`no user_list from ${node.url}`));
    }, 5000);
    s.once('user_list', (p) => {
      clearTimeout(t);
      s.close();
      resolve(p.users.map((u) => u.userId));
    });
    s.once('connect_error', (err) => {
      clearTimeout(t);
      reject(err);
    });
  });
}

maybe(ready ? 'two server processes sharing MariaDB and Redis' : `two server processes sharing MariaDB and Redis (skipped: ${why})`, () => {
  let dbName: string;
  let uploads: string;
  let adminAccess: string;
  let nodeEnv: Record<string, string>;
  let a: Node;
  let b: Node;
  const open: ClientSocket[] = [];
  const users: Record<'kim' | 'lee' | 'park', { id: string; token: string; employeeId: string; password: string }> = {} as never;

  async function connect(node: Node, token: string): Promise<ClientSocket> {
    const s = await connectSocket(node.url, token);
    open.push(s);
    return s;
  }

  beforeAll(async () => {
    dbName = `hi_msg_scale_${randomBytes(5).toString('hex')}`;
    const admin = await createConnection({ uri: MYSQL! });
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const url = new URL(MYSQL!);
    url.pathname = `/${dbName}`;
    // One uploads folder and one backups folder for both, as IT.md asks: a shared volume mounted on every process's host.
    uploads = mkdtempSync(join(tmpdir(), 'hi-msg-scale-uploads-'));
    const env = { DB_TYPE: 'mysql', MYSQL_URL: url.toString(), REDIS_URL: REDIS!, JWT_SECRET: randomBytes(48).toString('base64url'), ADMIN_EMPLOYEE_ID: 'admin', ADMIN_PASSWORD, UPLOAD_DIR: uploads, BACKUP_DIR: `${uploads}-backups` };
    nodeEnv = env;
    // Both start at once: the migration lock lets one migrate while the other waits.
    [a, b] = await Promise.all([startNode(env), startNode(env)]);

    // Accounts made the way employees make them: signup on one process, approval and login on the other.
    const adminRes = await login(asServer(b), 'admin', ADMIN_PASSWORD);
    expect(adminRes.status).toBe(200);
    adminAccess = adminRes.body.accessToken as string;
    for (const [key, name] of [['kim', '김민준'], ['lee', '이서연'], ['park', '박도윤']] as const) {
      const body = signupBody({ name });
      const reg = await register(asServer(a), body);
      expect(reg.status).toBe(201);
      const ok = await request(b.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(adminAccess));
      expect(ok.status).toBe(200);
      const res = await login(asServer(key === 'lee' ? b : a), body.employeeId, body.password);
      expect(res.status).toBe(200);
      users[key] = { id: reg.body.user.id, token: res.body.accessToken, employeeId: body.employeeId, password: body.password };
    }
  }, 120_000);

  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopNode));
    if (uploads) for (const dir of [uploads, `${uploads}-backups`]) rmSync(dir, { recursive: true, force: true });
    const c = await createConnection({ uri: MYSQL! });
    await c.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await c.end();
  });

  it('presence is the same on both processes, live both ways, for contacts and watchers only', async () => {
    // Kim and Lee share a room; Park shares none with them.
    const shared = await api(asServer(a), users.kim.token).get(`/api/messages/${users.lee.id}`);
    expect(shared.status).toBe(200);
    const kimOnA = await connect(a, users.kim.token);
    const kimEvents = collect(kimOnA, 'presence');
    const parkOnB = await connect(b, users.park.token);
    const parkEvents = collect(parkOnB, 'presence');
    // Park on B follows Kim (on A) from the directory; Lee is not online yet.
    expect(await emitAck(parkOnB, 'watch_presence', { userIds: [users.kim.id, users.lee.id] })).toEqual({ ok: true, online: [users.kim.id] });
    const leeOnB = await connect(b, users.lee.token);
    // Kim on A hears that Lee came online on B, as a contact; Park on B as a watcher.
    await eventually(() => expect(presenceTold(kimEvents)).toContainEqual({ userId: users.lee.id, online: true }));
    // A batch names everyone who came or went in it; Park follows Kim and Lee.
    await eventually(() => expect(presenceTold(parkEvents, users.lee.id)).toEqual([{ userId: users.lee.id, online: true }]));
    for (const node of [a, b]) {
      // Kim's snapshot on either process has Lee; Park's, who shares no room, only Park.
      expect((await onlineSnapshot(node, users.kim.token)).sort()).toEqual([users.kim.id, users.lee.id].sort());
      expect(await onlineSnapshot(node, users.park.token)).toEqual([users.park.id]);
    }

    // Lee leaves B: Kim on A sees Lee go offline, and snapshots on both no longer list Lee.
    leeOnB.close();
    await eventually(() => expect(presenceTold(kimEvents)).toContainEqual({ userId: users.lee.id, online: false }));
    for (const node of [a, b]) expect(await onlineSnapshot(node, users.kim.token)).toEqual([users.kim.id]);
    // Kim leaves A: Park, watching from B, hears it.
    kimOnA.close();
    await eventually(() => {
      expect(presenceTold(parkEvents, users.lee.id)).toEqual([true, false].map((online) => ({ userId: users.lee.id, online })));
      expect(presenceTold(parkEvents, users.kim.id).at(-1)).toEqual({ userId: users.kim.id, online: false });
    });
  });

  it('a 1:1 chat and a group chat between clients on different processes', async () => {
    const kimOnA = await connect(a, users.kim.token);
    const leeOnB = await connect(b, users.lee.token);
    const parkOnB = await connect(b, users.park.token);
    const leeDirect = collect(leeOnB, 'new_message');
    const kimDirect = collect(kimOnA, 'new_message');

    const sent = await sendChat(kimOnA, { toUserId: users.lee.id, body: '안녕하세요, 다른 서버에서 보냅니다' });
    expect(sent).toMatchObject({ ok: true, message: { senderId: users.kim.id, body: '안녕하세요, 다른 서버에서 보냅니다' } });
    if (!sent.ok) return;
    await eventually(() => expect(leeDirect.map((m) => m.id)).toEqual([sent.message.id]));
    const reply = await sendChat(leeOnB, { roomId: sent.message.roomId, body: '네, 잘 받았습니다' });
    expect(reply).toMatchObject({ ok: true, message: { seq: sent.message.seq + 1 } });
    await eventually(() => expect(kimDirect.map((m) => m.body)).toContain('네, 잘 받았습니다'));

    const created = await api(asServer(a), users.kim.token).post('/api/create-chat-room', { name: '분산 시험방', memberIds: [users.lee.id, users.park.id] });
    expect(created.status).toBe(201);
    const roomId = created.body.room.id as string;
    const got = { kim: collect(kimOnA, 'group_message'), lee: collect(leeOnB, 'group_message'), park: collect(parkOnB, 'group_message') };
    const fromB = await sendChat(parkOnB, { roomId, body: '박도윤입니다 (B)' });
    const fromA = await sendChat(kimOnA, { roomId, body: '김민준입니다 (A)' });
    expect(fromB.ok && fromA.ok).toBe(true);
    // Each member hears the other's message across the processes; a sending socket has its own in the ack.
    await eventually(() => {
      expect(got.lee.map((m) => m.body).sort()).toEqual(['김민준입니다 (A)', '박도윤입니다 (B)']);
      expect(got.kim.map((m) => m.body)).toEqual(['박도윤입니다 (B)']);
      expect(got.park.map((m) => m.body)).toEqual(['김민준입니다 (A)']);
    });
  });

  it('sends racing through both processes get distinct, gap-free seqs', async () => {
    const kimOnA = await connect(a, users.kim.token);
    const leeOnB = await connect(b, users.lee.token);
    const created = await api(asServer(b), users.lee.token).post('/api/create-chat-room', { name: '순서 시험', memberIds: [users.kim.id] });
    const roomId = created.body.room.id as string;
    const base = created.body.room.lastSeq as number;
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => sendChat(i % 2 ? kimOnA : leeOnB, { roomId, body: `메시지 ${i}` })));
    const seqs = acks.map((r) => (r.ok ? r.message.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => base + i + 1));
  });

  it('the same message sent through both processes with one clientId is stored once', async () => {
    const kimOnA = await connect(a, users.kim.token);
    const second = await login(asServer(b), users.kim.employeeId, users.kim.password);
    expect(second.status).toBe(200);
    const kimOnB = await connect(b, second.body.accessToken as string);
    const leeOnB = await connect(b, users.lee.token);
    const leeGot = collect(leeOnB, 'new_message');
    const clientId = randomUUID();
    const payload = { toUserId: users.lee.id, clientId, body: '한 번만 저장되어야 하는 메시지' };
    // A retry racing the original, the way a flaky network makes one, through the other process.
    const [one, two] = await Promise.all([sendChat(kimOnA, payload), sendChat(kimOnB, payload)]);
    expect(one.ok && two.ok).toBe(true);
    if (!one.ok || !two.ok) return;
    expect(two.message.id).toBe(one.message.id);
    expect(two.message.seq).toBe(one.message.seq);
    const again = await sendChat(kimOnB, payload);
    expect(again).toMatchObject({ ok: true, message: { id: one.message.id } });

    for (const node of [a, b]) {
      const page = await api(asServer(node), users.lee.token).get(`/api/chat-rooms/${one.message.roomId}/messages?limit=100`);
      expect(page.status).toBe(200);
      expect((page.body.messages as Message[]).filter((m) => m.clientId === clientId)).toHaveLength(1);
    }
    // Each retry is told again (a first broadcast lost with its process is made good that way):
    // Lee may hear it more than once, always as the one message stored, which the app keeps once.
    await new Promise((r) => setTimeout(r, 300));
    const heard = leeGot.filter((m) => m.clientId === clientId);
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(new Set(heard.map((m) => `${m.id}:${m.seq}`))).toEqual(new Set([`${one.message.id}:${one.message.seq}`]));
  });

  it('a file uploaded through one process is sent through the other, and downloaded and previewed through either', async () => {
    const kimOnB = await connect(b, (await login(asServer(b), users.kim.employeeId, users.kim.password)).body.accessToken as string);
    const leeOnB = await connect(b, users.lee.token);
    const leeGot = collect(leeOnB, 'new_message');
    const image = await makeImage('png', 800, 600);
    const up = await request(a.url).post('/api/upload-file').set(bearer(users.kim.token)).attach('file', image, { filename: '회의 사진.png', contentType: 'application/octet-stream' });
    expect(up.status).toBe(201);
    const fileId = up.body.file.id as string;
    // The upload is Kim's on every process: sent from B, with A's upload.
    const sent = await sendChat(kimOnB, { toUserId: users.lee.id, clientId: randomUUID(), body: '사진 보냅니다', fileId });
    expect(sent).toMatchObject({ ok: true, message: { file: { id: fileId, name: '회의 사진.png', hasPreview: true } } });
    await eventually(() => expect(leeGot.map((m) => m.file?.id)).toContain(fileId));
    for (const node of [a, b]) {
      const file = await download(node, users.lee.token, fileId);
      expect(file.status).toBe(200);
      expect(Buffer.compare(file.body as Buffer, image)).toBe(0);
      const preview = await download(node, users.lee.token, fileId, true);
      expect(preview.status).toBe(200);
      expect(preview.headers['content-type']).toMatch(/^image\//);
      expect((preview.body as Buffer).length).toBeGreaterThan(0);
      expect((preview.body as Buffer).length).toBeLessThan(image.length);
      // Park is in no room with the file: refused on both.
      expect((await download(node, users.park.token, fileId)).status).toBe(403);
    }
  });

  it('an account is cut off on every process: a password change ends its other devices, a deletion all of them', async () => {
    // A fresh account on two devices, one on each process.
    const body = signupBody({ name: '최지우' });
    const reg = await register(asServer(b), body);
    expect((await request(a.url).put(`/api/approve-user/${reg.body.user.id}`).set(bearer(adminAccess))).status).toBe(200);
    const onA = await login(asServer(a), body.employeeId, body.password);
    const onB = await login(asServer(b), body.employeeId, body.password);
    const deviceA = await connect(a, onA.body.accessToken as string);
    const deviceB = await connect(b, onB.body.accessToken as string);

    const revoked = nextEvent(deviceB, 'session_revoked');
    const goneB = new Promise<string>((resolve) => deviceB.once('disconnect', resolve));
    const changed = await api(asServer(a), onA.body.accessToken as string).put('/api/users/me/password', { currentPassword: body.password, newPassword: 'Changed-Scale-2026!' });
    expect(changed.status).toBe(204);
    expect(await revoked).toEqual({ reason: 'password_changed' });
    expect(await goneB).toBe('io server disconnect');
    expect(deviceA.connected).toBe(true);
    // The session that changed it still works through the other process too.
    expect((await api(asServer(b), onA.body.accessToken as string).get('/api/users/me')).status).toBe(200);

    // Deleted through B while connected to A.
    const ended = nextEvent(deviceA, 'session_revoked');
    const goneA = new Promise<string>((resolve) => deviceA.once('disconnect', resolve));
    expect((await request(b.url).delete(`/api/delete-user/${reg.body.user.id}`).set(bearer(adminAccess))).status).toBe(204);
    expect(await ended).toEqual({ reason: expect.any(String) });
    expect(await goneA).toBe('io server disconnect');
    for (const node of [a, b]) {
      expect((await api(asServer(node), onA.body.accessToken as string).get('/api/users/me')).status).toBe(401);
      // The backup B wrote is listed and read through either process.
      const list = await request(node.url).get('/api/admin/backups').set(bearer(adminAccess));
      const backup = (list.body.backups as { kind: string; name: string }[]).find((i) => i.kind === 'user' && i.name.startsWith(`${body.employeeId}-`) && i.name.endsWith('.txt'));
      expect(backup).toBeDefined();
      const text = await request(node.url).get(`/api/admin/backups/user/${backup!.name}`).set(bearer(adminAccess));
      expect(text.status).toBe(200);
      expect(text.text).toContain('최지우');
    }
  });

  it('a process that stops or crashes takes its users offline for their followers on the others', async () => {
    expect((await api(asServer(a), users.kim.token).get(`/api/messages/${users.lee.id}`)).status).toBe(200);
    const kimOnA = await connect(a, users.kim.token);
    const kimHears = collect(kimOnA, 'presence');
    // Lee, Kim's contact, is online only through a third process, which then stops cleanly.
    const c = await startNode(nodeEnv);
    try {
      await connect(c, users.lee.token);
      await eventually(() => expect(presenceTold(kimHears, users.lee.id)).toEqual([{ userId: users.lee.id, online: true }]));
      await stopNode(c);
      await eventually(() => expect(presenceTold(kimHears, users.lee.id)).toEqual([true, false].map((online) => ({ userId: users.lee.id, online }))));
      expect(await onlineSnapshot(a, users.kim.token)).toEqual([users.kim.id]);
    } finally {
      await stopNode(c);
    }

    // And through a fourth, which dies without a word: the others reap it once its heartbeat stops.
    const d = await startNode(nodeEnv);
    try {
      await connect(d, users.lee.token);
      await eventually(() => expect(presenceTold(kimHears, users.lee.id)).toHaveLength(3));
      d.child.kill('SIGKILL');
      await eventually(() => expect(presenceTold(kimHears, users.lee.id)).toEqual([true, false, true, false].map((online) => ({ userId: users.lee.id, online }))), PRESENCE_NODE_TTL_MS + PRESENCE_HEARTBEAT_MS + 5_000);
      expect(await onlineSnapshot(b, users.kim.token)).toEqual([users.kim.id]);
    } finally {
      await stopNode(d);
    }
  }, 60_000);
});
