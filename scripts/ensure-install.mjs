// Installs the workspace when node_modules is missing or older than the lockfile, with the
// settings native addons (better-sqlite3) need to compile against the local Node headers.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!fresh) {
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  console.log('Installing dependencies (first run compiles better-sqlite3; about two minutes)…');
  execSync('pnpm install --frozen-lockfile', { cwd: root, stdio: 'inherit', env });
}
