import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, JWT_SECRET_FILE, loadConfig } from './config';

describe('loadConfig', () => {
  let dataDir: string;
  const env = (more: Record<string, string> = {}) => ({ DATA_DIR: dataDir, UPLOAD_DIR: join(dataDir, 'uploads'), ...more });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hi-msg-config-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig(env({ PORT: '70000', REDIS_URL: 'localhost:6379', JWT_SECRET: 'short' }))).toThrow(ConfigError);
    try {
      loadConfig(env({ PORT: '70000', REDIS_URL: 'localhost:6379', JWT_SECRET: 'short' }));
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/REDIS_URL: must look like redis:\/\/host:6379/);
      expect((err as Error).message).toMatch(/JWT_SECRET: must be at least 32 characters/);
    }
  });

  it('takes TRUST_PROXY as the proxies to trust, and names it when it is not', () => {
    for (const ok of ['loopback', 'loopback, 10.0.0.0/8', '172.16.0.0/12,::1', 'fd00::/8,uniquelocal']) expect(loadConfig(env({ JWT_SECRET: 'k'.repeat(40), TRUST_PROXY: ok })).trustProxy).toBe(ok.trim());
    for (const bad of ['true', '1', 'loopback;10.0.0.0/8', '10.0.0.0/33', 'proxy.corp']) {
      expect(() => loadConfig(env({ JWT_SECRET: 'k'.repeat(40), TRUST_PROXY: bad }))).toThrow(/TRUST_PROXY: must list proxy addresses/);
    }
  });

  it('takes JWT_SECRET from the environment and writes no file', () => {
    const config = loadConfig(env({ JWT_SECRET: 'k'.repeat(40) }));
    expect(config).toMatchObject({ jwtSecret: 'k'.repeat(40), jwtSecretFrom: 'env' });
    expect(readdirSync(dataDir)).not.toContain(JWT_SECRET_FILE);
  });

  it('generates a secret once, readable by its owner only, and keeps it across starts', () => {
    const first = loadConfig(env());
    expect(first.jwtSecretFrom).toBe('file');
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, JWT_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadConfig(env()).jwtSecret).toBe(first.jwtSecret);
    // Nothing else is left behind in DATA_DIR.
    expect(readdirSync(dataDir).sort()).toEqual([JWT_SECRET_FILE, 'uploads']);
  });

  it('uses the secret of a process that started at the same time and wrote it first', () => {
    const winner = 'w'.repeat(64);
    // The other process's file lands between this one's look and its write.
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const realExists = fs.existsSync;
    jest.spyOn(fs, 'existsSync').mockImplementation((p) => {
      if (String(p).endsWith(JWT_SECRET_FILE)) {
        writeFileSync(String(p), `${winner}\n`, { mode: 0o600 });
        return false;
      }
      return realExists(p);
    });
    expect(loadConfig(env()).jwtSecret).toBe(winner);
    expect(readFileSync(join(dataDir, JWT_SECRET_FILE), 'utf8')).toBe(`${winner}\n`);
    expect(readdirSync(dataDir).sort()).toEqual([JWT_SECRET_FILE, 'uploads']);
  });

  it('refuses a kept secret that is empty or too short, saying what to do', () => {
    writeFileSync(join(dataDir, JWT_SECRET_FILE), '\n', { mode: 0o600 });
    expect(() => loadConfig(env())).toThrow(/fewer than 32 characters; set JWT_SECRET, or remove the file/);
  });
});
