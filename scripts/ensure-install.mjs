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

// The renderer's end-to-end tests drive Debian's Chromium (Playwright cannot download a browser
// here). With --browser, install it when missing, as root, or say what to install.
if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the end-to-end tests…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum', { stdio: 'inherit', shell: '/bin/bash' });
  } else {
    console.error('The end-to-end tests need Chromium at /usr/bin/chromium: run `sudo apt-get install chromium fonts-nanum`.');
    process.exit(1);
  }
}
