import { InMemoryPresenceStore } from './presence.store';

const EVERYONE = ['kim', 'lee', 'park'];

describe('InMemoryPresenceStore', () => {
  it('counts a user online from the first socket until the last one leaves', async () => {
    const store = new InMemoryPresenceStore();
    expect(await store.connect('kim', 's1')).toBe(true);
    expect(await store.connect('kim', 's2')).toBe(false);
    expect(await store.connect('lee', 's3')).toBe(true);
    expect(await store.onlineAmong(['kim', 'lee', 'park'])).toEqual(['kim', 'lee']);
    expect(await store.disconnect('kim', 's1')).toBe(false);
    expect(await store.onlineAmong(EVERYONE)).toContain('kim');
    expect(await store.disconnect('kim', 's2')).toBe(true);
    expect(await store.onlineAmong(EVERYONE)).toEqual(['lee']);
  });

  it('ignores a socket it never saw, or one already gone', async () => {
    const store = new InMemoryPresenceStore();
    expect(await store.disconnect('kim', 'nope')).toBe(false);
    await store.connect('kim', 's1');
    expect(await store.disconnect('kim', 's1')).toBe(true);
    expect(await store.disconnect('kim', 's1')).toBe(false);
    expect(await store.onlineAmong(EVERYONE)).toEqual([]);
  });

  it('answers only about the users asked for, in the order asked', async () => {
    const store = new InMemoryPresenceStore();
    await store.connect('kim', 's1');
    await store.connect('lee', 's2');
    expect(await store.onlineAmong(['lee', 'park', 'kim'])).toEqual(['lee', 'kim']);
    expect(await store.onlineAmong(['lee'])).toEqual(['lee']);
    expect(await store.onlineAmong([])).toEqual([]);
  });
});
