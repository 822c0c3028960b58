import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { AppConfig } from '../config/config';
import { RedisPresenceStore } from './redis-presence.store';

const REDIS_URL = process.env.TEST_REDIS_URL;
const maybe = REDIS_URL ? describe : describe.skip;
if (!REDIS_URL) console.warn('RedisPresenceStore spec skipped: set TEST_REDIS_URL=redis://127.0.0.1:6379 to run it against a real Redis');
const title = REDIS_URL ? 'RedisPresenceStore' : 'RedisPresenceStore (skipped: set TEST_REDIS_URL=redis://127.0.0.1:6379 to run it against a real Redis)';

/** Every user id these tests connect. */
const EVERYONE = ['u1', 'u9', 'alive', 'ghost', 'leaving', 'staying', 'other'];

maybe(title, () => {
  // A database path of its own puts this run under its own Redis namespace.
  const config = { redisUrl: REDIS_URL, db: { type: 'sqlite', path: `/tmp/presence-spec-${randomUUID()}` } } as AppConfig;
  const ns = `hi-msg:${(config.db as { path: string }).path}`;
  const stores: RedisPresenceStore[] = [];
  let redis: Redis;

  /** A process's store, with what it told its listener: [userIds, online] per call. */
  async function node(timing?: { heartbeatMs: number; nodeTtlMs: number }): Promise<RedisPresenceStore & { told: [string[], boolean][] }> {
    const s = Object.assign(new RedisPresenceStore(config, timing), { told: [] as [string[], boolean][] });
    s.onChange((userIds, online) => s.told.push([userIds, online]));
    await s.onModuleInit();
    stores.push(s);
    return s;
  }

  beforeAll(() => {
    redis = new Redis(REDIS_URL!);
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.onModuleDestroy()));
    const keys = await redis.keys(`${ns}:*`);
    if (keys.length) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('counts a user online once across processes and devices, until the last socket leaves', async () => {
    const a = await node();
    const b = await node();
    expect(await a.connect('u1', 's1')).toBe(true);
    expect(await b.connect('u1', 's2')).toBe(false);
    expect(await a.connect('u1', 's1')).toBe(false);
    expect(await b.onlineAmong(EVERYONE)).toEqual(['u1']);
    expect(await a.disconnect('u1', 's1')).toBe(false);
    expect(await a.disconnect('u1', 's1')).toBe(false);
    expect(await b.onlineAmong(EVERYONE)).toEqual(['u1']);
    expect(await b.disconnect('u1', 's2')).toBe(true);
    expect(await a.onlineAmong(EVERYONE)).toEqual([]);
  });

  it('takes a crashed process\'s users offline once its heartbeat stops, and tells one live process which', async () => {
    const live = await node({ heartbeatMs: 50, nodeTtlMs: 200 });
    const other = await node({ heartbeatMs: 50, nodeTtlMs: 200 });
    await live.connect('alive', 's-live');
    // A process that counted sockets and then died without a word; one of its users is also on a live process.
    await redis.zadd(`${ns}:presence:nodes`, Date.now(), 'dead-node');
    await redis.hset(`${ns}:presence:node:dead-node`, 'ghost', '1', 'alive', '1');
    await redis.hincrby(`${ns}:presence:users`, 'ghost', 1);
    await redis.hincrby(`${ns}:presence:users`, 'alive', 1);
    expect(await live.onlineAmong(['alive', 'ghost'])).toEqual(['alive', 'ghost']);
    await new Promise((r) => setTimeout(r, 400));
    expect(await live.onlineAmong(EVERYONE)).toEqual(['alive']);
    // Whichever reaped it tells its followers, once; 'alive' never went offline.
    expect([...live.told, ...other.told]).toEqual([[['ghost'], false]]);
    expect(await live.disconnect('alive', 's-live')).toBe(true);
  });

  it('a clean shutdown takes that process\'s users offline at once', async () => {
    const a = await node();
    const b = await node();
    await a.connect('leaving', 's1');
    await b.connect('staying', 's2');
    await a.connect('staying', 's3');
    await a.onModuleDestroy();
    stores.splice(stores.indexOf(a), 1);
    expect(await b.onlineAmong(EVERYONE)).toEqual(['staying']);
    // Its sockets close after this, uncounted: it tells their followers on its way out.
    expect(a.told).toEqual([[['leaving'], false]]);
    expect(b.told).toEqual([]);
    expect(await b.disconnect('staying', 's2')).toBe(true);
  });

  it('a process taken for dead during a stall counts its sockets again at its next heartbeat', async () => {
    const stalled = await node();
    await stalled.connect('u9', 's9');
    await redis.zadd(`${ns}:presence:nodes`, 0, [...(await redis.zrange(`${ns}:presence:nodes`, 0, -1))][0]);
    const other = await node({ heartbeatMs: 60_000, nodeTtlMs: 1_000 });
    expect(await other.onlineAmong(EVERYONE)).toEqual([]);
    expect(other.told).toEqual([[['u9'], false]]);
    await stalled.beat();
    expect(await other.onlineAmong(EVERYONE)).toEqual(['u9']);
    // Announced offline by the process that reaped it: back online, said by the stalled one.
    expect(stalled.told).toEqual([[['u9'], true]]);
    expect(await stalled.disconnect('u9', 's9')).toBe(true);
  });

  it('after Redis lost its data (a restart without persistence), counts each socket once: the user goes offline with their last device', async () => {
    const a = await node();
    const b = await node();
    await a.connect('u1', 's1');
    await b.connect('other', 's5');
    // Redis starts over empty.
    const keys = await redis.keys(`${ns}:*`);
    await redis.del(...keys);
    // A second device comes before the next heartbeat.
    await a.connect('u1', 's2');
    await a.beat();
    await b.beat();
    expect(await a.onlineAmong(EVERYONE)).toEqual(['u1', 'other']);
    expect(await redis.hget(`${ns}:presence:users`, 'u1')).toBe('2');
    expect(await a.disconnect('u1', 's1')).toBe(false);
    expect(await a.disconnect('u1', 's2')).toBe(true);
    expect(await b.onlineAmong(EVERYONE)).toEqual(['other']);
  });

  it('a count Redis did not take is put right at the next heartbeat', async () => {
    const a = await node();
    await a.connect('u1', 's1');
    await a.connect('u1', 's2');
    // The disconnect's count fails (Redis away for a moment): Redis still counts two sockets.
    const counting = (a as unknown as { redis: { hiPresenceDisconnect: () => Promise<number> } }).redis;
    const real = counting.hiPresenceDisconnect;
    counting.hiPresenceDisconnect = () => Promise.reject(new Error('Connection is closed.'));
    await expect(a.disconnect('u1', 's1')).rejects.toThrow('Connection is closed.');
    counting.hiPresenceDisconnect = real;
    expect(await redis.hget(`${ns}:presence:users`, 'u1')).toBe('2');
    await a.beat();
    expect(await redis.hget(`${ns}:presence:users`, 'u1')).toBe('1');
    expect(await a.disconnect('u1', 's2')).toBe(true);
    expect(await a.onlineAmong(EVERYONE)).toEqual([]);
  });

  it('answers only about the users asked for, in the order asked, from any process', async () => {
    const a = await node();
    const b = await node();
    await a.connect('u1', 's1');
    await b.connect('other', 's2');
    expect(await a.onlineAmong(['other', 'u9', 'u1'])).toEqual(['other', 'u1']);
    expect(await b.onlineAmong(['u9'])).toEqual([]);
    expect(await b.onlineAmong([])).toEqual([]);
    await b.disconnect('other', 's2');
    expect(await a.onlineAmong(['other', 'u1'])).toEqual(['u1']);
  });
});
