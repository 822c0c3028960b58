import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FilesRepository, pathsOf } from './files.repository';
import { FilesService } from './files.service';

/** An upload never sent is removed after this long. */
export const UNSENT_FILE_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const BATCH = 200;

/**
 * Removes uploads never attached to a message. Safe with several server processes: each row
 * is deleted conditionally first, and only the process whose delete took the row removes the bytes.
 */
@Injectable()
export class FilesCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('FilesCleanup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly files: FilesRepository,
    private readonly service: FilesService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((err: Error) => this.log.warn(`Cleanup failed: ${err.message}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep; returns how many uploads this process removed. */
  sweep(now = new Date()): Promise<number> {
    this.running ??= this.sweepOnce(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - UNSENT_FILE_TTL_MS);
    let removed = 0;
    for (;;) {
      const stale = await this.files.findUnsentBefore(cutoff, BATCH);
      for (const file of stale) {
        if (!(await this.files.deleteIfUnsent(file.id))) continue;
        await this.service.unlinkAll(pathsOf([file]));
        removed += 1;
      }
      if (stale.length < BATCH) return removed;
    }
  }
}
