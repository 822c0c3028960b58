// Bulk seeding straight into the server's tables (as apps/server/src/database/migrations define
// them) with multi-row INSERTs, and access tokens signed the way TokenService signs them.
import { randomBytes, randomUUID } from 'node:crypto';
import { SERVER_DIR, requireServer } from './deps.mjs';
import { join } from 'node:path';

const jwt = requireServer('jsonwebtoken');

/** The password every seeded user has; its hash is computed once with the server's own scrypt. */
export const BENCH_PASSWORD = 'Bench-User-Pass-2026!';
let sharedHash;
export async function benchPasswordHash() {
  if (!sharedHash) {
    const { hashPassword } = requireServer(join(SERVER_DIR, 'dist', 'auth', 'password.js'));
    sharedHash = await hashPassword(BENCH_PASSWORD);
  }
  return sharedHash;
}

/** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC: what TypeORM writes on both dialects. */
export function sqlTime(d = new Date()) {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** An access token with TokenService's claims: HS256, sub=userId, sid=sessionId. */
export function signAccess(secret, userId, sessionId, ttlSeconds = 3 * 3600) {
  return jwt.sign({ sid: sessionId }, secret, { algorithm: 'HS256', subject: userId, audience: 'hi-msg', issuer: 'hi-msg-server', expiresIn: ttlSeconds });
}

/** A connection to the server's database: SQLite file or MariaDB URL. */
export async function openDb(server) {
  if (server.dialect === 'mysql') {
    const mysql = requireServer('mysql2/promise');
    const conn = await mysql.createConnection({ uri: server.mysqlUrl, charset: 'utf8mb4_unicode_ci', multipleStatements: false });
    return {
      dialect: 'mysql',
      async insert(table, columns, rows) {
        const perBatch = Math.max(1, Math.floor(20000 / columns.length));
        for (let i = 0; i < rows.length; i += perBatch) {
          await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(i, i + perBatch)]);
        }
      },
      async query(sql, params = []) {
        const [rows] = await conn.query(sql, params);
        return rows;
      },
      close: () => conn.end(),
    };
  }
  const Sqlite = requireServer('better-sqlite3');
  const db = new Sqlite(server.sqlitePath);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  // This connection only seeds: a large page cache, and no fsync (the bench can always re-seed).
  db.pragma('cache_size = -262144');
  db.pragma('synchronous = OFF');
  const statements = new Map();
  return {
    dialect: 'sqlite',
    async insert(table, columns, rows) {
      const perBatch = Math.max(1, Math.floor(30000 / columns.length));
      const stmt = (n) => {
        const key = `${table}:${n}`;
        if (!statements.has(key)) {
          const one = `(${columns.map(() => '?').join(', ')})`;
          statements.set(key, db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`));
        }
        return statements.get(key);
      };
      const tx = db.transaction(() => {
        for (let i = 0; i < rows.length; i += perBatch) {
          const chunk = rows.slice(i, i + perBatch);
          stmt(chunk.length).run(chunk.flat());
        }
      });
      tx();
    },
    async query(sql, params = []) {
      const s = db.prepare(sql);
      return s.reader ? s.all(params) : s.run(params);
    },
    // What was seeded goes into the database file now, not under the measured load: otherwise the
    // server's checkpoint thread copies it back during the first measurements.
    close: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/**
 * Users with one live session each; returns [{ id, employeeId, sessionId, token }].
 * `prefix` keeps employee ids unique across calls.
 */
export async function seedUsers(db, server, count, prefix = 'b') {
  const hash = await benchPasswordHash();
  const now = sqlTime();
  const expires = sqlTime(new Date(Date.now() + 30 * 86400_000));
  const users = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const sessionId = randomUUID();
    users.push({ id, employeeId: `${prefix}${i}`, sessionId, token: signAccess(server.jwtSecret, id, sessionId) });
  }
  await db.insert(
    'users',
    ['id', 'employee_id', 'name', 'email', 'department', 'position', 'grade', 'password_hash', 'role', 'status', 'token_version', 'created_at', 'approved_at', 'approved_by'],
    users.map((u, i) => [u.id, u.employeeId, `벤치 사용자 ${i}`, `${u.employeeId}@bench.example.com`, '성능팀', '사원', 'G1', hash, 'user', 'active', 0, now, now, null]),
  );
  await db.insert(
    'sessions',
    ['id', 'user_id', 'refresh_hash', 'generation', 'device', 'created_at', 'expires_at', 'revoked_at'],
    users.map((u) => [u.sessionId, u.id, randomUUID().replace(/-/g, '').padEnd(64, '0'), 0, 'bench', now, expires, null]),
  );
  return users;
}

/**
 * Rooms with members: each spec is { kind: 'direct'|'group', members: [userId, …], lastSeq? }.
 * Returns the specs with their new ids.
 */
export async function seedRooms(db, specs) {
  const now = sqlTime();
  const rooms = specs.map((s) => ({ ...s, id: randomUUID(), lastSeq: s.lastSeq ?? 0 }));
  await db.insert(
    'rooms',
    ['id', 'kind', 'name', 'direct_key', 'created_by', 'last_seq', 'last_message_at', 'created_at'],
    rooms.map((r) => [r.id, r.kind, r.kind === 'group' ? `성능 시험방 ${r.id.slice(0, 4)}` : null, r.kind === 'direct' ? [...r.members].sort().join(':') : null, r.members[0], r.lastSeq, r.lastSeq > 0 ? now : null, now]),
  );
  const memberRows = [];
  for (const r of rooms) for (const u of r.members) memberRows.push([r.id, u, now, 0, r.readSeq?.[u] ?? 0, 0]);
  await db.insert('room_members', ['room_id', 'user_id', 'joined_at', 'joined_seq', 'last_read_seq', 'muted'], memberRows);
  return rooms;
}

const BODY = '안녕하세요, 성능 시험 메시지입니다. Hello from the history benchmark — ';

/**
 * Version-7 UUIDs for one seeding call: the time part is the message's own time (unique per
 * message), the rest random once per call. Ids made in order sort in order, so a million rows go
 * into the primary-key and (sender_id, client_id) indexes at their ends instead of at random.
 */
export function uuidV7Maker() {
  const r = randomBytes(10).toString('hex');
  const tail = `7${r.slice(0, 3)}-${((parseInt(r[3], 16) & 0x3) | 0x8).toString(16)}${r.slice(4, 7)}-${r.slice(7, 19)}`;
  return (ms) => {
    const t = ms.toString(16).padStart(12, '0');
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-${tail}`;
  };
}

/** `count` messages with seq 1…count in one room, senders taken in turn from `senders`. */
export async function seedMessages(db, roomId, senders, count, { startSeq = 1, batch = 20000 } = {}) {
  const columns = ['id', 'room_id', 'seq', 'sender_id', 'client_id', 'kind', 'body', 'file_id', 'created_at', 'deleted_at'];
  const base = Date.now() - count * 1000;
  const messageId = uuidV7Maker();
  const clientId = uuidV7Maker();
  for (let from = 0; from < count; from += batch) {
    const rows = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const seq = startSeq + i;
      const at = base + i * 1000;
      rows.push([messageId(at), roomId, seq, senders[i % senders.length], clientId(at), 'text', `${BODY}${seq}`, null, sqlTime(new Date(at)), null]);
    }
    await db.insert('messages', columns, rows);
  }
}
