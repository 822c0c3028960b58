import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FilesRepository, pathsOf } from './files.repository';
import { FilesService } from './files.service';

/** An upload never sent is removed after this long. */
export const UNSENT_FILE_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const BATCH = 200;
const SHARD = /^[0-9a-f]{2}$/;
const STORED_NAME = /^[0-9a-f]{32}$/;

/**
 * Removes uploads never attached to a message. Safe with several server processes: each row
 * is deleted conditionally first, and only the process whose delete took the row removes the bytes.
 */
@Injectable()
export class FilesCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('FilesCleanup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private lastOrphanSweep = 0;

  constructor(
    private readonly files: FilesRepository,
    private readonly service: FilesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick().catch((err: Error) => this.log.warn(`Cleanup failed: ${err.message}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Hourly: unsent uploads. Daily: files no row owns. */
  private async tick(): Promise<void> {
    await this.sweep();
    if (Date.now() - this.lastOrphanSweep < UNSENT_FILE_TTL_MS) return;
    this.lastOrphanSweep = Date.now();
    const orphans = await this.sweepOrphans();
    if (orphans > 0) this.log.log(`Removed ${orphans} stored files that no upload owned`);
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

  /**
   * Remove stored files no row owns, older than a day: what an upload interrupted by a crash
   * leaves behind. A file that old can no longer gain a row (an upload records its row within
   * seconds), so several processes may run this at once. Returns how many it removed.
   */
  async sweepOrphans(now = new Date()): Promise<number> {
    const cutoff = now.getTime() - UNSENT_FILE_TTL_MS;
    const root = this.config.uploadDir;
    let removed = 0;
    for (const shard of (await readdir(root).catch(() => [] as string[])).filter((n) => SHARD.test(n))) {
      const names = (await readdir(join(root, shard)).catch(() => [] as string[])).filter((n) => STORED_NAME.test(n));
      for (let i = 0; i < names.length; i += BATCH) {
        const old: string[] = [];
        for (const name of names.slice(i, i + BATCH)) {
          const st = await stat(join(root, shard, name)).catch(() => null);
          if (st?.isFile() && st.mtimeMs < cutoff) old.push(join(shard, name));
        }
        const owned = await this.files.referenced(old);
        const orphans = old.filter((p) => !owned.has(p));
        await this.service.unlinkAll(orphans);
        removed += orphans.length;
      }
    }
    return removed;
  }
}
