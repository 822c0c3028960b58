import type { OutboxItem } from './timeline';

/** Minimal storage the outbox needs; localStorage in the app, a Map in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Messages waiting for the server's ack, persisted per user so they survive a reload or an app
 * restart and are sent again with the same clientId (the server dedups by clientId).
 */
export class Outbox {
  private items: OutboxItem[];
  private readonly key: string;

  constructor(private readonly store: KeyValueStore, userId: string) {
    this.key = `hiMsg.outbox.${userId}`;
    this.items = Outbox.read(store, this.key);
  }

  private static read(store: KeyValueStore, key: string): OutboxItem[] {
    try {
      const raw: unknown = JSON.parse(store.getItem(key) ?? '[]');
      return Array.isArray(raw) ? (raw as OutboxItem[]).filter((i) => typeof i?.clientId === 'string' && typeof i.roomId === 'string') : [];
    } catch {
      return [];
    }
  }

  list(): OutboxItem[] {
    return this.items;
  }

  /** Adding an item with a clientId already present keeps one copy. */
  add(item: OutboxItem): OutboxItem[] {
    if (this.items.some((i) => i.clientId === item.clientId)) return this.items;
    return this.save([...this.items, item]);
  }

  remove(clientId: string): OutboxItem[] {
    if (!this.items.some((i) => i.clientId === clientId)) return this.items;
    return this.save(this.items.filter((i) => i.clientId !== clientId));
  }

  update(clientId: string, patch: Partial<OutboxItem>): OutboxItem[] {
    return this.save(this.items.map((i) => (i.clientId === clientId ? { ...i, ...patch } : i)));
  }

  private save(items: OutboxItem[]): OutboxItem[] {
    this.items = items;
    if (items.length === 0) this.store.removeItem(this.key);
    else this.store.setItem(this.key, JSON.stringify(items));
    return items;
  }
}
