import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/** One entry of TRUST_PROXY as the proxy-address matcher takes it: an IP, an IP/prefix, or a named range. */
function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [ip, prefix, extra] = entry.split('/');
  const version = isIP(ip ?? '');
  if (version === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(5050),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  BACKUP_DIR: z.string().min(1).optional(),
  DB_TYPE: z.enum(['sqlite', 'mysql']).default('sqlite'),
  MYSQL_URL: z
    .string()
    .regex(/^mysql:\/\/.+/, 'must look like mysql://user:pass@host:3306/hi_msg')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMPLOYEE_ID: z.string().min(2).max(32).default('admin'),
  ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must look like redis://host:6379')
    .optional(),
  WEB_DIR: z.string().min(1).optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((v) => v.split(',').every((p) => isProxyEntry(p.trim())), 'must list proxy addresses, CIDRs or loopback / linklocal / uniquelocal, comma-separated (for example loopback,10.0.0.0/8)')
    .optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
});

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  uploadDir: string;
  backupDir: string;
  db: { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };
  jwtSecret: string;
  /** Where the secret came from: JWT_SECRET, or the file kept in DATA_DIR. */
  jwtSecretFrom: 'env' | 'file';
  admin: { employeeId: string; password: string | undefined };
  redisUrl: string | undefined;
  /** Built web client served at `/`, when present. */
  webDir: string | undefined;
  trustProxy: string | undefined;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
}

/** Raised when the environment is invalid; names every bad variable. */
export class ConfigError extends Error {}

function abs(p: string): string {
  return isAbsolute(p) ? p : resolve(process.cwd(), p);
}

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The JWT secret kept in DATA_DIR, generated on first start. Processes sharing DATA_DIR may
 * start together: each writes its own candidate whole under a name of its own and links it into
 * place, so one wins and every process reads that one, never a file half written.
 */
function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, JWT_SECRET_FILE);
  if (!existsSync(file)) {
    const candidate = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    writeFileSync(candidate, randomBytes(48).toString('base64url') + '\n', { mode: 0o600 });
    try {
      chmodSync(candidate, 0o600);
      linkSync(candidate, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(candidate, { force: true });
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new ConfigError(`Invalid configuration:\n  JWT_SECRET: ${file} holds fewer than 32 characters; set JWT_SECRET, or remove the file to have a new secret generated (everyone signs in again)`);
  }
  return secret;
}

/** Parse and validate the environment; fails fast with a message naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DB_TYPE === 'mysql' && !e.MYSQL_URL) {
    throw new ConfigError('Invalid configuration:\n  MYSQL_URL: required when DB_TYPE=mysql');
  }
  const dataDir = abs(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const uploadDir = abs(e.UPLOAD_DIR);
  mkdirSync(uploadDir, { recursive: true });
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    uploadDir,
    backupDir: abs(e.BACKUP_DIR ?? join(dataDir, 'backups')),
    db: e.DB_TYPE === 'mysql' ? { type: 'mysql', url: e.MYSQL_URL! } : { type: 'sqlite', path: join(dataDir, 'hi-msg.sqlite') },
    jwtSecret: e.JWT_SECRET ?? loadOrCreateSecret(dataDir),
    jwtSecretFrom: e.JWT_SECRET ? 'env' : 'file',
    admin: { employeeId: e.ADMIN_EMPLOYEE_ID, password: e.ADMIN_PASSWORD },
    redisUrl: e.REDIS_URL,
    webDir: e.WEB_DIR ? abs(e.WEB_DIR) : undefined,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
