import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';

/** How often the checkpoint thread copies the log back. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * Log pages at which the writer checkpoints by itself (SQLite's default is 1,000). Under steady
 * writes the thread's checkpoints never catch up with the last commit, so the log only starts
 * over after one of these; a higher bound made the thread copy more pages once each but the
 * writer's own copy longer: 100,000 sends in batches of 32, at 10,000 pages the mean commit was
 * 59 us a message and the longest 59 ms; at 2,000 pages 86 us and 28 ms (the default: 105 us,
 * 28 ms, and twice as many commits over 5 ms).
 */
export const WRITER_CHECKPOINT_PAGES = 2_000;

/**
 * SQLite checkpoints on a thread of its own. By default the commit that takes the write-ahead log
 * past 1,000 pages copies it back into the database file on the event loop: about half of what a
 * send's commit cost, and a pause for every socket. The thread instead copies the log back every
 * 100 ms with its own connection, so a page written many times in between (a room's row, an
 * index's hot leaf) is copied once.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;

  constructor(file: string) {
    this.worker = new Worker(join(__dirname, 'wal-checkpoint-worker.mjs'), {
      workerData: { driver: require.resolve('better-sqlite3'), file, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // A failed thread leaves checkpoints to the writer, as SQLite does by default.
    this.worker.on('error', (err) => new Logger('Database').warn(`WAL checkpoint thread stopped: ${err.message}`));
    this.worker.unref();
  }

  /** Stop checkpointing and close the thread's connection. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.exited;
  }
}
