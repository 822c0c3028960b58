import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { type Database, openDatabase } from './data-source';
import { WRITER_CHECKPOINT_PAGES } from './wal-checkpointer';

describe('SQLite checkpoints on their own thread', () => {
  let dir: string;
  let db: Database | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hi-msg-wal-'));
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages back into the database file long before the writer would', async () => {
    const file = join(dir, 'hi-msg.sqlite');
    db = await openDatabase({ db: { type: 'sqlite', path: file } } as AppConfig);
    expect(await db.manager.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: WRITER_CHECKPOINT_PAGES }]);
    const before = statSync(file).size;
    // About 250 pages of log, far below the writer's own threshold.
    await db.manager.query('CREATE TABLE filler (body TEXT)');
    for (let i = 0; i < 50; i++) await db.transaction((em) => em.query('INSERT INTO filler (body) VALUES (?)', ['x'.repeat(20_000)]));
    const deadline = Date.now() + 5000;
    while (statSync(file).size < before + 50 * 20_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThanOrEqual(before + 50 * 20_000);
    expect(await db.manager.query('SELECT COUNT(*) AS n FROM filler')).toEqual([{ n: 50 }]);
  });

  it('close waits for the thread to stop, even right after opening', async () => {
    const opened = await openDatabase({ db: { type: 'sqlite', path: join(dir, 'hi-msg.sqlite') } } as AppConfig);
    await expect(opened.close()).resolves.toBeUndefined();
    expect(opened.dataSource.isInitialized).toBe(false);
  });
});
