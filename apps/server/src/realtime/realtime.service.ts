import { Injectable, Logger } from '@nestjs/common';
import type { ServerToClientEvents } from '@hi-msg/contracts';
import type { Server } from 'socket.io';
import { messageOf } from '../common/app-error';

/** Socket.IO room that holds every socket of one user (all their devices). */
export const userChannel = (userId: string) => `user:${userId}`;

/**
 * The one way services push events to clients. The gateway attaches the Socket.IO server at
 * init; with the Redis adapter, these emits reach sockets on every server process.
 */
@Injectable()
export class RealtimeService {
  private server: Server | undefined;

  attach(server: Server): void {
    this.server = server;
  }

  /** Emit to every socket of each listed user (their other devices included). */
  toUsers<E extends keyof ServerToClientEvents>(userIds: readonly string[], event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.toUsersExcept(undefined, userIds, event, ...args);
  }

  /** As `toUsers`, but not to the socket an event came from: it has its answer in the ack. */
  toUsersExcept<E extends keyof ServerToClientEvents>(socketId: string | undefined, userIds: readonly string[], event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!this.server || userIds.length === 0) return;
    const to = this.server.to(userIds.map(userChannel));
    const target = (socketId ? to.except(socketId) : to) as unknown as { emit(e: string, ...a: unknown[]): boolean };
    target.emit(event, ...args);
  }

  /** Tell a user's sockets why, then close them (deleted account, revoked sessions). */
  disconnectUser(userId: string, reason: string): void {
    if (!this.server) return;
    this.server.to(userChannel(userId)).emit('session_revoked', { reason });
    this.server.in(userChannel(userId)).disconnectSockets(true);
  }

  /**
   * Close a user's sockets on every server process, except those of the session kept (their own
   * device). The sessions are revoked already: when the other processes do not answer in time
   * (Redis away), their sockets are closed by the periodic session check instead, within seconds.
   */
  async disconnectOtherSessions(userId: string, keepSessionId: string, reason: string): Promise<void> {
    if (!this.server) return;
    const sockets = await this.server
      .in(userChannel(userId))
      .fetchSockets()
      .catch((err: unknown) => {
        new Logger('Realtime').warn(`could not reach every process to close revoked sockets now (the session check will): ${messageOf(err)}`);
        return [];
      });
    for (const s of sockets) {
      if ((s.data as { auth?: { sessionId?: string } }).auth?.sessionId === keepSessionId) continue;
      s.emit('session_revoked', { reason });
      s.disconnect(true);
    }
  }
}
