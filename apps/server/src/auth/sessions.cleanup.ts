import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';

/**
 * Ended sessions are kept a week, so a stolen refresh token replayed soon after still meets its
 * revoked session (and the reuse is visible), then removed. Idempotent: safe on every process.
 */
export const ENDED_SESSION_RETENTION_MS = 7 * 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 6 * 3600 * 1000;

@Injectable()
export class SessionsCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('SessionsCleanup');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: SessionsRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((err: Error) => this.log.warn(`Session cleanup failed: ${err.message}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Remove sessions that ended more than the retention period before `now`; returns how many. */
  sweep(now = new Date()): Promise<number> {
    return this.sessions.deleteEndedBefore(new Date(now.getTime() - ENDED_SESSION_RETENTION_MS));
  }
}
