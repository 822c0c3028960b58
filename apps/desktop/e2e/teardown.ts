import { rmSync } from 'node:fs';

/** Remove the run's temporary data folder (database, uploads, backups). */
export default function teardown(): void {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes('hi-msg-e2e-')) rmSync(dir, { recursive: true, force: true });
}
