import { setImmediate } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeletionRepository } from './deletion.repository';
import { messageOf } from '../common/app-error';

/** Messages one statement removes: about 10 ms of SQLite, so sends wait no longer than that. */
const PURGE_STEP = 2000;
/** A purge that failed (the database away, say) is tried again after this long. */
const RETRY_AFTER_MS = 60_000;
/** How often deleted rooms left over are looked for: another process's purge cut short by its crash. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Removes the messages of deleted rooms, a step at a time, then the room's row. The deletion
 * itself commits the backup's check, the members' removal and the room's deleted_at in one short
 * transaction: nobody can reach the room from then on, and the admin hears back at once. Removing
 * 200,000 messages in that transaction held SQLite, and the whole server with it, for over a
 * second. Rooms are purged one at a time; a purge cut short (a restart) resumes at start-up or at
 * the hourly look for leftovers (a process that crashed mid-purge), and two processes purging
 * the same room only delete the same rows.
 */
@Injectable()
export class RoomPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('RoomPurger');
  private readonly queue: string[] = [];
  private running: Promise<void> | undefined;
  private resuming: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly retries = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  /** Messages removed per statement. */
  step = PURGE_STEP;

  constructor(private readonly repo: DeletionRepository) {}

  onApplicationBootstrap(): void {
    this.resume();
    this.sweeper = setInterval(() => this.resume(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /** Queue every deleted room whose messages are not all removed yet. */
  private resume(): void {
    this.resuming = this.repo
      .roomsBeingDeleted()
      .then((ids) => ids.forEach((id) => this.purge(id)))
      .catch((err: Error) => this.log.warn(`Could not list the deleted rooms left to purge: ${err.message}`));
  }

  /** Stops between two steps; what is left is purged at the next start. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    for (const t of this.retries) clearTimeout(t);
    await this.resuming;
    await this.running;
  }

  /** Queue a deleted room's purge (once, however often asked). */
  purge(roomId: string): void {
    if (this.stopping || this.queue.includes(roomId)) return;
    this.queue.push(roomId);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when every queued purge has ended. */
  async settled(): Promise<void> {
    await this.resuming;
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping) {
      const roomId = this.queue[0]!;
      try {
        await this.purgeRoom(roomId);
      } catch (err) {
        this.log.error(`The messages of deleted room ${roomId} were not all removed; trying again in a minute: ${messageOf(err)}`);
        const retry = setTimeout(() => {
          this.retries.delete(retry);
          this.purge(roomId);
        }, RETRY_AFTER_MS);
        retry.unref();
        this.retries.add(retry);
      } finally {
        this.queue.shift();
      }
    }
  }

  private async purgeRoom(roomId: string): Promise<void> {
    const lastSeq = await this.repo.deletedRoomLastSeq(roomId);
    if (lastSeq === null) return;
    for (let after = 0; after < lastSeq; after += this.step) {
      if (this.stopping) return;
      await this.repo.deleteMessagesOf(roomId, after, after + this.step);
      // Let the sends and requests that came in meanwhile go first.
      await setImmediate();
    }
    await this.repo.removeDeletedRoom(roomId);
  }
}
