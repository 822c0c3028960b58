import { InMemoryPresenceStore } from './presence.store';

describe('InMemoryPresenceStore', () => {
  it('counts a user online from the first socket until the last one leaves', async () => {
    const store = new InMemoryPresenceStore();
    expect(await store.connect('kim', 's1')).toBe(true);
    expect(await store.connect('kim', 's2')).toBe(false);
    expect(await store.connect('lee', 's3')).toBe(true);
    expect((await store.online()).sort()).toEqual(['kim', 'lee']);
    expect(await store.disconnect('kim', 's1')).toBe(false);
    expect(await store.online()).toContain('kim');
    expect(await store.disconnect('kim', 's2')).toBe(true);
    expect(await store.online()).toEqual(['lee']);
  });

  it('ignores a socket it never saw, or one already gone', async () => {
    const store = new InMemoryPresenceStore();
    expect(await store.disconnect('kim', 'nope')).toBe(false);
    await store.connect('kim', 's1');
    expect(await store.disconnect('kim', 's1')).toBe(true);
    expect(await store.disconnect('kim', 's1')).toBe(false);
    expect(await store.online()).toEqual([]);
  });
});
