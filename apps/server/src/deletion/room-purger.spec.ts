import type { DeletionRepository } from './deletion.repository';
import { RoomPurger } from './room-purger';

/** A repository of deleted rooms by last seq; `failOnce` makes the first step of that room fail. */
function setup(rooms: Record<string, number>, failOnce?: string) {
  const deleted: [string, number, number][] = [];
  const removed: string[] = [];
  let failed = false;
  const repo = {
    roomsBeingDeleted: jest.fn(async () => Object.keys(rooms)),
    deletedRoomLastSeq: jest.fn(async (id: string) => (id in rooms && !removed.includes(id) ? rooms[id]! : null)),
    deleteMessagesOf: jest.fn(async (id: string, after: number, upTo: number) => {
      if (id === failOnce && !failed) {
        failed = true;
        throw new Error('database is locked');
      }
      deleted.push([id, after, upTo]);
    }),
    removeDeletedRoom: jest.fn(async (id: string) => {
      removed.push(id);
    }),
  };
  const purger = new RoomPurger(repo as unknown as DeletionRepository);
  jest.spyOn((purger as unknown as { log: { error: () => void; warn: () => void } }).log, 'error').mockImplementation(() => undefined);
  return { purger, repo, deleted, removed };
}

describe('RoomPurger', () => {
  afterEach(() => jest.useRealTimers());

  it('removes a room’s messages in steps of its size, then the room, each room once however often asked', async () => {
    const { purger, deleted, removed } = setup({ a: 5, b: 2 });
    purger.step = 2;
    purger.purge('a');
    purger.purge('a');
    purger.purge('b');
    await purger.settled();
    expect(deleted).toEqual([
      ['a', 0, 2],
      ['a', 2, 4],
      ['a', 4, 6],
      ['b', 0, 2],
    ]);
    expect(removed).toEqual(['a', 'b']);
  });

  it('picks up every deleted room left over at start-up', async () => {
    const { purger, removed, repo } = setup({ left: 3, over: 1 });
    purger.onApplicationBootstrap();
    await purger.settled();
    expect(removed).toEqual(['left', 'over']);
    expect(repo.roomsBeingDeleted).toHaveBeenCalledTimes(1);
    await purger.onApplicationShutdown();
  });

  it('tries a failed purge again a minute later, and goes on with the next room meanwhile', async () => {
    jest.useFakeTimers();
    const { purger, deleted, removed } = setup({ flaky: 1, fine: 1 }, 'flaky');
    purger.purge('flaky');
    purger.purge('fine');
    await purger.settled();
    expect(removed).toEqual(['fine']);
    jest.advanceTimersByTime(60_000);
    await purger.settled();
    expect(removed).toEqual(['fine', 'flaky']);
    expect(deleted).toEqual([
      ['fine', 0, 2000],
      ['flaky', 0, 2000],
    ]);
  });

  it('stops between two steps at shutdown and leaves the room for the next start', async () => {
    const { purger, repo, removed } = setup({ big: 10 });
    purger.step = 1;
    repo.deleteMessagesOf.mockImplementation(async () => {
      if (repo.deleteMessagesOf.mock.calls.length === 3) void purger.onApplicationShutdown();
    });
    purger.purge('big');
    await purger.settled();
    expect(repo.deleteMessagesOf).toHaveBeenCalledTimes(3);
    expect(removed).toEqual([]);
    purger.purge('big');
    await purger.settled();
    expect(repo.deleteMessagesOf).toHaveBeenCalledTimes(3);
  });
});
