import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createActiveUser } from './fixtures';
import { ADMIN_PASSWORD, type ClientSocket, connectSocket, type Dialect, dialects, startServer } from './harness';
import { api, emitAck } from './messaging.helpers';

/**
 * The built server (`pnpm --filter @hi-msg/server build`) is killed with SIGKILL in the middle
 * of a send loop and started again on the same data; the client then retries what was not
 * acknowledged, as the desktop app's outbox does.
 */
const MAIN = resolve(__dirname, '..', 'dist', 'main.js');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

async function createMysqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_MYSQL_URL!);
  const name = `hi_msg_crash_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await createConnection({ uri: base.toString() });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** Start `node dist/main.js` and wait until it answers. */
async function spawnServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

const describeBuilt = existsSync(MAIN) ? describe.each(dialects()) : describe.skip.each(dialects());
if (!existsSync(MAIN)) console.warn(`crash test skipped: build the server first (${MAIN} is missing)`);

describeBuilt('crash and restart on %s', (dialect: Dialect) => {
  it('every acknowledged message exists exactly once after SIGKILL, and the retries of the rest complete', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hi-msg-crash-'));
    const mysql = dialect === 'mysql' ? await createMysqlDatabase() : undefined;
    const children: ChildProcess[] = [];
    try {
      // Seed users and a room through the in-process app (it also migrates and writes the JWT secret).
      const seed = await startServer(dialect, { dataDir, mysqlUrl: mysql?.url });
      const sender = await createActiveUser(seed, { name: '발신자' });
      const peer = await createActiveUser(seed, { name: '수신자' });
      const roomId = (await api(seed, sender.accessToken).get(`/api/messages/${peer.id}`)).body.room.id as string;
      await seed.close();

      const env: Record<string, string> = {
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        UPLOAD_DIR: join(dataDir, 'uploads'),
        WEB_DIR: join(dataDir, 'no-web'),
        ADMIN_PASSWORD,
        LOG_LEVEL: 'error',
        ...(mysql ? { DB_TYPE: 'mysql', MYSQL_URL: mysql.url } : {}),
      };
      const port = await freePort();
      const first = await spawnServer(env, port);
      children.push(first);

      // Bursts of five; the kill lands on the first ack of the sixth burst, with four still in flight.
      const BURST = 5;
      const KILL_AFTER = 5 * BURST + 1;
      const outbox = new Map<string, string>();
      const acked = new Map<string, { id: string; seq: number }>();
      let socket: ClientSocket = await connectSocket(`http://127.0.0.1:${port}`, sender.accessToken);
      const inflight: Promise<void>[] = [];
      for (let burst = 0; burst < 12 && socket.connected; burst += 1) {
        for (let k = 0; k < BURST; k += 1) {
          const clientId = randomUUID();
          const body = `재시작 테스트 ${burst}-${k}`;
          outbox.set(clientId, body);
          inflight.push(
            emitAck(socket, 'chat', { roomId, clientId, body }, 3000).then(
              (res) => {
                if (!res.ok) return;
                acked.set(clientId, { id: res.message.id, seq: res.message.seq });
                if (acked.size === KILL_AFTER) first.kill('SIGKILL');
              },
              () => undefined,
            ),
          );
        }
        await Promise.allSettled(inflight);
        await new Promise((r) => setTimeout(r, 200));
      }
      await exited(first);
      socket.close();
      expect(first.signalCode).toBe('SIGKILL');
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(outbox.size).toBe(6 * BURST);

      const second = await spawnServer(env, port);
      children.push(second);
      socket = await connectSocket(`http://127.0.0.1:${port}`, sender.accessToken);
      // Retry everything not acknowledged, plus a few that were, as a client unsure of its acks would.
      const retries = [...outbox.keys()].filter((id) => !acked.has(id)).concat([...acked.keys()].slice(0, 3));
      const afterRestart = new Map<string, { id: string; seq: number }>();
      for (const clientId of retries) {
        const res = await emitAck(socket, 'chat', { roomId, clientId, body: outbox.get(clientId)! });
        if (!res.ok) throw new Error(`retry failed: ${res.error.code}`);
        afterRestart.set(clientId, { id: res.message.id, seq: res.message.seq });
        await new Promise((r) => setTimeout(r, 40));
      }
      socket.close();
      second.kill('SIGTERM');
      await exited(second);

      for (const [clientId, was] of acked) if (afterRestart.has(clientId)) expect(afterRestart.get(clientId)).toEqual(was);

      const check = await startServer(dialect, { dataDir, mysqlUrl: mysql?.url });
      try {
        const rows: { client_id: string; id: string; seq: number | string }[] = await check.db.manager.query('SELECT client_id, id, seq FROM messages WHERE room_id = ? ORDER BY seq', [roomId]);
        const byClient = new Map<string, number>();
        for (const r of rows) byClient.set(r.client_id, (byClient.get(r.client_id) ?? 0) + 1);
        for (const [clientId, ack] of acked) {
          expect(byClient.get(clientId)).toBe(1);
          expect(rows.find((r) => r.client_id === clientId)).toMatchObject({ id: ack.id });
        }
        // Every message the client tried to send is stored once; none more.
        expect(rows).toHaveLength(outbox.size);
        expect([...byClient.keys()].sort()).toEqual([...outbox.keys()].sort());
        expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: outbox.size }, (_, i) => i + 1));
        const room = await check.db.manager.query('SELECT last_seq FROM rooms WHERE id = ?', [roomId]);
        expect(Number(room[0].last_seq)).toBe(outbox.size);
      } finally {
        await check.close();
      }
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await mysql?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
