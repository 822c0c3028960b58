// The bench uses the server's own dependency versions (socket.io, mysql2, better-sqlite3, …),
// resolved from apps/server so the root needs no copies of them.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_DIR = join(ROOT, 'apps', 'server');
export const requireServer = createRequire(join(SERVER_DIR, 'package.json'));
