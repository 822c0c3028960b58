import { Injectable } from '@nestjs/common';

/**
 * Who is online, counted per socket so a user with several devices stays online until the
 * last one leaves. In memory for one process; a Redis-backed store can replace it for several.
 */
export interface PresenceStore {
  /** Record a socket; true when it is the user's first (they just came online). */
  connect(userId: string, socketId: string): Promise<boolean>;
  /** Forget a socket; true when it was the user's last (they just went offline). */
  disconnect(userId: string, socketId: string): Promise<boolean>;
  /** Those of the given users with at least one socket, in the order given (never everyone: that grows with the company). */
  onlineAmong(userIds: readonly string[]): Promise<string[]>;
  /**
   * Be told of comings and goings that no `connect` or `disconnect` answered: users taken offline
   * because their last sockets were on a process that crashed or left (only the process that
   * reaped it hears), and this process's users counted again after it was taken for dead in a
   * long stall.
   */
  onChange(listener: PresenceListener): void;
}

export type PresenceListener = (userIds: string[], online: boolean) => void;

export const PRESENCE_STORE = Symbol('PresenceStore');

/** Socket.IO room of the sockets that follow one user's presence (their contacts and watchers). */
export const presenceChannel = (userId: string) => `presence:${userId}`;

@Injectable()
export class InMemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();

  connect(userId: string, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId) ?? new Set<string>();
    const first = set.size === 0;
    set.add(socketId);
    this.sockets.set(userId, set);
    return Promise.resolve(first);
  }

  disconnect(userId: string, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId);
    if (!set?.delete(socketId)) return Promise.resolve(false);
    if (set.size > 0) return Promise.resolve(false);
    this.sockets.delete(userId);
    return Promise.resolve(true);
  }

  onlineAmong(userIds: readonly string[]): Promise<string[]> {
    return Promise.resolve(userIds.filter((id) => this.sockets.has(id)));
  }

  /** One process sees every connect and disconnect itself: there is nothing else to tell. */
  onChange(): void {}
}
