import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents } from '@hi-msg/contracts';
import { createConnection } from 'mysql2/promise';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../src/app.factory';
import { type AppConfig, loadConfig } from '../src/config/config';
import { Database, type Dialect } from '../src/database/data-source';

export type { Dialect };

/** SQLite always; MariaDB too when TEST_MYSQL_URL is set (CI sets it). */
export function dialects(): Dialect[] {
  return process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
}

export const ADMIN_PASSWORD = 'Admin-Test-Pass-2026';

export interface TestServer {
  app: INestApplication;
  config: AppConfig;
  url: string;
  db: Database;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh MariaDB database for one test file, dropped when it closes. */
export async function freshMysqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_MYSQL_URL!);
  const name = `hi_msg_t_${randomBytes(6).toString('hex')}`;
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

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (and its database) from an earlier server: a restart. */
  dataDir?: string;
  mysqlUrl?: string;
}

/** Start the real app on a random port with a temp DATA_DIR and a fresh database of the dialect. */
export async function startServer(dialect: Dialect, opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hi-msg-test-'));
  let mysql: { url: string; drop: () => Promise<void> } | undefined;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    UPLOAD_DIR: join(dataDir, 'uploads'),
    ADMIN_EMPLOYEE_ID: 'admin',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'error',
    WEB_DIR: join(dataDir, 'no-web'),
    ...opts.env,
  };
  if (dialect === 'mysql') {
    if (opts.mysqlUrl) env.MYSQL_URL = opts.mysqlUrl;
    else {
      mysql = await freshMysqlDatabase();
      env.MYSQL_URL = mysql.url;
    }
    env.DB_TYPE = 'mysql';
  }
  const config = loadConfig(env);
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const addr = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${addr.port}`;
  return {
    app,
    config,
    url,
    db: app.get(Database),
    dataDir,
    close: async () => {
      await app.close();
      if (mysql) await mysql.drop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client, connected (or rejected) before it resolves. */
export function connectSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const s: ClientSocket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => {
      s.close();
      reject(err);
    });
  });
}

/** Resolve with the next event of that name, or reject after timeoutMs. */
export function nextEvent<E extends keyof ServerToClientEvents>(s: ClientSocket, event: E, timeoutMs = 5000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${String(event)}`)), timeoutMs);
    (s as unknown as { once(e: string, cb: (p: unknown) => void): void }).once(event as string, (p: unknown) => {
      clearTimeout(t);
      resolve(p as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}
