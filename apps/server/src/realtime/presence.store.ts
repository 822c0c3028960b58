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
  /** Everyone with at least one socket. */
  online(): Promise<string[]>;
}

export const PRESENCE_STORE = Symbol('PresenceStore');

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

  online(): Promise<string[]> {
    return Promise.resolve([...this.sockets.keys()]);
  }
}
