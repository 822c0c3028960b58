import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { type Database, openDatabase } from './data-source';
import { WalCheckpointer, WRITER_CHECKPOINT_PAGES } from './wal-checkpointer';

const RESTART_FRAMES_UNDER_TEST = Number(process.env.RESTART_FRAMES_UNDER_TEST ?? 50);

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

  it('starts the log over while writes go on, instead of letting it grow until the writer copies it back on the event loop', async () => {
    const file = join(dir, 'hi-msg.sqlite');
    db = await openDatabase({ db: { type: 'sqlite', path: file } } as AppConfig, { everyMs: 10, restartFrames: RESTART_FRAMES_UNDER_TEST });
    await db.manager.query('CREATE TABLE filler (body TEXT)');
    // 1,000 transactions back to back (the event loop turning in between, as a server's does),
    // about six pages each: some 6,000 frames (24 MB) of log, all of it kept (the writer's own
    // threshold is 10,000 pages) unless the log is started over. The thread is given time to start.
    await new Promise((r) => setTimeout(r, 500));
    const quiet = jest.spyOn(WalCheckpointer.prototype, 'quiet');
    for (let i = 0; i < 1000; i++) {
      await db.transaction((em) => em.query('INSERT INTO filler (body) VALUES (?)', ['y'.repeat(20_000)]));
      await new Promise((r) => setImmediate(r));
    }
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
    // Kept whole it would reach 24 MB. The file keeps its high-water mark, which depends on how
    // far the writer got ahead of the thread between restarts: 2–8 MB on this machine's disk.
    expect(statSync(`${file}-wal`).size).toBeLessThan(12 * 1024 * 1024);
    expect(await db.manager.query('SELECT COUNT(*) AS n FROM filler')).toEqual([{ n: 1000 }]);
  });

  it('close waits for the thread to stop, even right after opening', async () => {
    const opened = await openDatabase({ db: { type: 'sqlite', path: join(dir, 'hi-msg.sqlite') } } as AppConfig);
    await expect(opened.close()).resolves.toBeUndefined();
    expect(opened.dataSource.isInitialized).toBe(false);
  });
});
