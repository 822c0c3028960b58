// Starting and stopping the processes under test: the Hi_Msg server (built dist/main.js) and the
// bare relay, each pinned to its own core when taskset is available, with the probe preloaded.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_DIR, requireServer } from './deps.mjs';
import { sleep } from './stats.mjs';

const PROBE = join(ROOT, 'bench', 'lib', 'probe.cjs');
export const BARE_RELAY = join(ROOT, 'bench', 'bare-relay.mjs');
export const SERVER_MAIN = join(SERVER_DIR, 'dist', 'main.js');
export const BENCH_ADMIN_PASSWORD = 'Bench-Admin-Pass-2026';

let hasTaskset;
function tasksetAvailable() {
  if (hasTaskset === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      hasTaskset = availableParallelism() >= 2;
    } catch {
      hasTaskset = false;
    }
  }
  return hasTaskset;
}

/** Cores: the server gets core 0, the load generator (this process and its workers) the last one. */
export const SERVER_CORE = 0;
export const LOAD_CORE = Math.max(0, availableParallelism() - 1);
/** Every core, for a run that shows what the server does when it may use the whole machine. */
export const ALL_CORES = `0-${Math.max(0, availableParallelism() - 1)}`;

/** Pin this process (all its threads) to the load generator's core; children inherit it. */
export function pinSelf() {
  if (!tasksetAvailable()) return false;
  execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  return true;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function launch(script, env, core, logFile, extraArgs = []) {
  const args = ['--expose-gc', ...extraArgs, '--require', PROBE, script];
  const out = openSync(logFile, 'a');
  const opts = { env: { ...process.env, ...env }, stdio: ['ignore', out, out, 'ipc'], cwd: ROOT };
  const child = core !== null && tasksetAvailable() ? spawn('taskset', ['-c', String(core), process.execPath, ...args], opts) : spawn(process.execPath, args, opts);
  closeSync(out);
  return child;
}

/** Ask the probe inside the child for memory, event-loop delay and CPU since the last reset. */
function prober(child) {
  let next = 0;
  return (probe = 'sample') =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const t = setTimeout(() => reject(new Error(`probe ${probe} timed out`)), 30000);
      const on = (msg) => {
        if (msg?.probeReply !== id) return;
        clearTimeout(t);
        child.off('message', on);
        resolve(msg);
      };
      child.on('message', on);
      child.send({ probe, id });
    });
}

async function waitReady(url, child, logFile, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  child.kill('SIGKILL');
  throw new Error(`${url} did not start:\n${tail}`);
}

function stopper(child, cleanup) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await cleanup?.();
  };
}

/**
 * Have MariaDB write out its dirty pages and move its checkpoint up, so that a run's commits
 * don't pay for flushing what an earlier scenario wrote. With MariaDB's default 96 MB redo log,
 * S3 right after S2R began with the log 70 MB full and its ack p99 at 2,000/s went from
 * 21–40 ms to 258 ms. Needs a privilege to set the global; without it the run goes on as it is.
 * Resolves whether the pages were all written within `timeoutMs`.
 */
async function flushDirtyPages(admin, timeoutMs = 30_000) {
  const [[{ pct }]] = await admin.query('SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct');
  try {
    await admin.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  } catch {
    return false;
  }
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
      const [[dirty]] = await admin.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'");
      if (Number(dirty.Value) === 0) return true;
    }
    return false;
  } finally {
    await admin.query('SET GLOBAL innodb_max_dirty_pages_pct = ?', [Number(pct)]);
  }
}

/** A fresh MariaDB database for one run, dropped by the returned function; `flushed` as above. */
export async function createMysqlDatabase(baseUrl) {
  const mysql = requireServer('mysql2/promise');
  const name = `hi_msg_bench_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: baseUrl });
  let flushed;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    flushed = await flushDirtyPages(admin);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    flushed,
    drop: async () => {
      const c = await mysql.createConnection({ uri: baseUrl });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/**
 * Start the Hi_Msg server from its build. `dialect` sqlite gets a temp DATA_DIR; mysql needs
 * `mysqlUrl` (a database the caller created). Several processes may share `dataDir`/`mysqlUrl`.
 */
export async function startHi({ dialect = 'sqlite', mysqlUrl, redisUrl, dataDir, jwtSecret, core = SERVER_CORE, env = {} } = {}) {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run pnpm run build first`);
  const ownDir = !dataDir;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'hi-msg-bench-'));
  const port = await freePort();
  const secret = jwtSecret ?? randomBytes(48).toString('base64url');
  const fullEnv = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    UPLOAD_DIR: join(dir, 'uploads'),
    WEB_DIR: join(dir, 'no-web'),
    JWT_SECRET: secret,
    ADMIN_EMPLOYEE_ID: 'admin',
    ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    DB_TYPE: dialect,
    ...(dialect === 'mysql' ? { MYSQL_URL: mysqlUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...env,
  };
  const logFile = join(dir, `server-${port}.log`);
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside the server.
  const child = launch(SERVER_MAIN, fullEnv, core, logFile, (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, logFile);
  return {
    kind: 'hi',
    url,
    dialect,
    dataDir: dir,
    sqlitePath: join(dir, 'hi-msg.sqlite'),
    mysqlUrl,
    jwtSecret: secret,
    logFile,
    probe: prober(child),
    stop: stopper(child, () => {
      // BENCH_KEEP_DATA=1 keeps the data directory and server log (hi-msg-bench-* in the temp directory) to look at afterwards.
      if (ownDir && !process.env.BENCH_KEEP_DATA) rmSync(dir, { recursive: true, force: true });
    }),
  };
}

/** Start the bare relay on its own core. */
export async function startBare({ core = SERVER_CORE } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bare-relay-log-'));
  const logFile = join(dir, 'relay.log');
  const child = launch(BARE_RELAY, { PORT: String(port), HOST: '127.0.0.1' }, core, logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, logFile);
  return {
    kind: 'bare',
    url,
    logFile,
    probe: prober(child),
    stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
  };
}

/** PUT JSON to the bare relay's setup routes. */
export async function configureBare(bare, path, body) {
  const res = await fetch(`${bare.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`bare relay ${path}: ${res.status}`);
  await res.arrayBuffer();
}
