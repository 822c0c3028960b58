import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Piscina from 'piscina';
import { AppError } from '../common/app-error';

/** One scrypt derivation, as the hashing thread (scrypt-worker.mjs) takes it. */
export interface ScryptTask {
  password: string;
  salt: Uint8Array;
  keyLength: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

export interface ScryptPoolOptions {
  /** Hashes computed at once, each on a thread of its own. */
  threads?: number;
  /** Hashes that may wait for a free thread; one more is refused with RATE_LIMITED. */
  maxWaiting?: number;
  /** The module each thread runs (its export takes a ScryptTask); the tests wrap the real one. */
  workerFile?: string;
  workerData?: unknown;
}

/**
 * A logging-in crowd must not slow chat: one scrypt costs about half a second of CPU. So hashes
 * run on at most two low-priority threads, leaving a core to the event loop where there are
 * several, and to spare nothing on a single core.
 */
export const DEFAULT_HASHING_THREADS = Math.min(2, Math.max(1, availableParallelism() - 1));
/** Enough for a floor arriving at once; beyond it a client is told to come back later. */
export const DEFAULT_MAX_WAITING = 32;
/** Until a hash has been timed: the order of one hash on a server core. */
const ASSUMED_HASH_MS = 1000;
/** Idle threads end after this; the next hash starts one again. */
const IDLE_THREAD_MS = 60_000;

/**
 * scrypt on a bounded pool of worker threads (piscina), at the lowest scheduling priority, with a
 * bounded queue. The threads are started on the first hash and do not keep the process alive.
 */
export class ScryptPool {
  readonly threads: number;
  readonly maxWaiting: number;
  private pool: Piscina<ScryptTask, Uint8Array> | undefined;
  private inFlight = 0;

  constructor(private readonly options: ScryptPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? DEFAULT_HASHING_THREADS);
    this.maxWaiting = Math.max(0, options.maxWaiting ?? DEFAULT_MAX_WAITING);
  }

  /** The derived key; RATE_LIMITED (with a retry hint) when every thread is busy and the queue is full. */
  async derive(task: ScryptTask): Promise<Buffer> {
    if (this.inFlight >= this.threads + this.maxWaiting) throw this.busy();
    this.inFlight += 1;
    try {
      // A salt of its own: a small Buffer is a view of a shared slab that would be copied whole.
      const key = await this.started().run({ ...task, salt: new Uint8Array(task.salt) });
      return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Hashes running or waiting now. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Refuse what still waits, let the running hashes finish, and end the threads. A hash asked
   * for afterwards starts a fresh pool.
   */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close({ force: true });
  }

  private started(): Piscina<ScryptTask, Uint8Array> {
    this.pool ??= new Piscina<ScryptTask, Uint8Array>({
      filename: this.options.workerFile ?? join(__dirname, 'scrypt-worker.mjs'),
      workerData: this.options.workerData,
      minThreads: 0,
      maxThreads: this.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: IDLE_THREAD_MS,
    });
    return this.pool;
  }

  private busy(): AppError {
    const measured = this.pool?.histogram.runTime.mean;
    const hashMs = measured && Number.isFinite(measured) ? measured : ASSUMED_HASH_MS;
    const retryAfterSeconds = Math.max(1, Math.ceil((hashMs * this.inFlight) / this.threads / 1000));
    return new AppError('RATE_LIMITED', `The server is busy signing people in. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}
