import { describe, expect, it } from 'vitest';
import { MemoryStorage, id } from '../test/fixtures';
import { Outbox } from './outbox';

describe('the outbox', () => {
  it('survives a restart: a new instance on the same storage holds the pending messages', () => {
    const storage = new MemoryStorage();
    const userId = id();
    const first = new Outbox(storage, userId);
    const clientId = id();
    first.add({ clientId, roomId: id(), body: '오프라인 메시지', createdAt: new Date().toISOString() });
    const afterRestart = new Outbox(storage, userId);
    expect(afterRestart.list()).toHaveLength(1);
    expect(afterRestart.list()[0]!.clientId).toBe(clientId);
    expect(afterRestart.list()[0]!.body).toBe('오프라인 메시지');
  });

  it('keeps one copy per clientId and forgets an item once acknowledged', () => {
    const storage = new MemoryStorage();
    const box = new Outbox(storage, id());
    const item = { clientId: id(), roomId: id(), body: 'a', createdAt: new Date().toISOString() };
    box.add(item);
    box.add({ ...item });
    expect(box.list()).toHaveLength(1);
    box.remove(item.clientId);
    expect(box.list()).toHaveLength(0);
    expect(storage.data.size).toBe(0);
  });

  it('is per user, and ignores unreadable storage', () => {
    const storage = new MemoryStorage();
    const [u1, u2] = [id(), id()];
    new Outbox(storage, u1).add({ clientId: id(), roomId: id(), body: 'a', createdAt: '' });
    expect(new Outbox(storage, u2).list()).toHaveLength(0);
    storage.setItem(`hiMsg.outbox.${u2}`, '{not json');
    expect(new Outbox(storage, u2).list()).toEqual([]);
  });
});
