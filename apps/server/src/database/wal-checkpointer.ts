import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';

/** How often the checkpoint thread copies the log back. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * Log frames past which the thread asks for a quiet moment to start the log over. SQLite starts
 * it over only when a write begins with every frame copied back, which under steady writes
 * never happens by chance: each copy ends behind the latest commit.
 */
export const RESTART_FRAMES = 1_000;
/**
 * Log pages at which the writer checkpoints by itself, on the event loop. Only a safety bound:
 * the thread starts the log over long before (SQLite's default is 1,000, where the writer's own
 * copy was a 20–30 ms pause for every socket).
 */
export const WRITER_CHECKPOINT_PAGES = 10_000;
/** Longest a write waits for the thread's copy; a thread that does not answer by then is passed by. */
const QUIET_TIMEOUT_MS = 1_000;

export interface WalCheckpointerOptions {
  everyMs?: number;
  restartFrames?: number;
}

/**
 * SQLite checkpoints on a thread of its own, with its own connection: every 100 ms it copies the
 * write-ahead log back into the database file (a page written many times in between, a room's
 * row or an index's hot leaf, is copied once). When the log has grown past RESTART_FRAMES, it
 * asks for a quiet moment: `onQuietWanted` fires, the owner holds back write transactions (the
 * event loop runs on) and calls `quiet()`, which lets the thread copy the rest. The next write
 * then starts the log over, so the writer never has to copy it back itself.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;
  private alive = true;
  private finishQuiet: (() => void) | undefined;

  constructor(file: string, onQuietWanted: () => void, options: WalCheckpointerOptions = {}) {
    this.worker = new Worker(join(__dirname, 'wal-checkpoint-worker.mjs'), {
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file,
        everyMs: options.everyMs ?? CHECKPOINT_EVERY_MS,
        restartFrames: options.restartFrames ?? RESTART_FRAMES,
      },
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.once('exit', () => {
      this.alive = false;
      this.finishQuiet?.();
    });
    this.worker.on('message', (message) => {
      if (message === 'quiet') onQuietWanted();
      else if (message === 'done') this.finishQuiet?.();
    });
    // A failed thread leaves checkpoints to the writer, as SQLite does by default.
    this.worker.on('error', (err) => new Logger('Database').warn(`WAL checkpoint thread stopped: ${err.message}`));
    this.worker.unref();
  }

  /** While no write transaction runs: let the thread copy the whole log back; resolves when it has (or cannot). */
  quiet(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timeout = setTimeout(() => this.finishQuiet?.(), QUIET_TIMEOUT_MS);
      this.finishQuiet = () => {
        clearTimeout(timeout);
        this.finishQuiet = undefined;
        resolve();
      };
      this.worker.postMessage('go');
    });
  }

  /** Stop checkpointing and close the thread's connection. */
  async stop(): Promise<void> {
    if (this.alive) this.worker.postMessage('stop');
    await this.exited;
  }
}
