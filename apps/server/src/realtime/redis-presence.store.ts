import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy, type OnModuleInit, type Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { connectRedis, redisNamespace } from './io.adapter';
import { InMemoryPresenceStore, PRESENCE_STORE, type PresenceListener, type PresenceStore } from './presence.store';

/** How often a process says it is alive, and how long its silence may last before others reap it. */
export const PRESENCE_HEARTBEAT_MS = 5_000;
export const PRESENCE_NODE_TTL_MS = 20_000;

// KEYS: users hash (userId → sockets on every live process), this process's hash (userId → its sockets).
const CONNECT = `
local c = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return total == 1 and 1 or 0`;

// Only what this process counted is taken back, so a socket reaped with its process is not taken twice.
const DISCONNECT = `
local c = redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
if c < 0 then redis.call('HDEL', KEYS[2], ARGV[1]) return 0 end
if c == 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if total <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
return 0`;

// KEYS: users hash, nodes zset (node → last heartbeat ms). ARGV: node-key prefix, cutoff ms, node to force out (or '').
// Takes each silent (or leaving) process's sockets out of the totals, then forgets the process.
// Returns the users it took offline: the caller, alone in reaping those processes, tells their followers.
const REAP = `
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if ARGV[3] ~= '' then table.insert(dead, ARGV[3]) end
local gone = {}
for _, node in ipairs(dead) do
  local key = ARGV[1] .. node
  local counts = redis.call('HGETALL', key)
  for i = 1, #counts, 2 do
    local total = redis.call('HINCRBY', KEYS[1], counts[i], -tonumber(counts[i + 1]))
    if total <= 0 then redis.call('HDEL', KEYS[1], counts[i]) table.insert(gone, counts[i]) end
  end
  redis.call('DEL', key)
  redis.call('ZREM', KEYS[2], node)
end
return gone`;

// KEYS: users hash, this process's hash. ARGV: userId, sockets, userId, sockets… (what this process holds now).
// Replaces what Redis has of this process by what it holds: its old counts come out of the totals,
// the exact ones go in. After Redis lost its data (a restart without persistence), after this
// process was reaped while alive, or after a count that failed, nothing is counted twice or left over.
// Returns the users whose total is now only this process's: online again for their followers.
const RESYNC = `
local old = redis.call('HGETALL', KEYS[2])
for i = 1, #old, 2 do
  local total = redis.call('HINCRBY', KEYS[1], old[i], -tonumber(old[i + 1]))
  if total <= 0 then redis.call('HDEL', KEYS[1], old[i]) end
end
redis.call('DEL', KEYS[2])
local back = {}
for i = 1, #ARGV, 2 do
  local n = tonumber(ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i], n)
  if redis.call('HINCRBY', KEYS[1], ARGV[i], n) == n then table.insert(back, ARGV[i]) end
end
return back`;

type ScriptedRedis = Redis & {
  hiPresenceConnect(users: string, node: string, userId: string): Promise<number>;
  hiPresenceDisconnect(users: string, node: string, userId: string): Promise<number>;
  hiPresenceReap(users: string, nodes: string, nodePrefix: string, cutoff: number, leaving: string): Promise<string[]>;
  hiPresenceResync(users: string, node: string, ...userCounts: (string | number)[]): Promise<string[]>;
};

/**
 * Presence shared by every server process through Redis: a total of sockets per user, plus one
 * hash per process of what it added. Each process beats a heartbeat; when one stops (a crash),
 * the others take its sockets out of the totals, so its users do not stay online forever.
 */
export class RedisPresenceStore implements PresenceStore, OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RedisPresence');
  private readonly redis: ScriptedRedis;
  private readonly node = randomUUID();
  private readonly usersKey: string;
  private readonly nodesKey: string;
  private readonly nodePrefix: string;
  /** This process's sockets (socket → user): a socket is counted once and taken back once. */
  private readonly local = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private registered = false;
  /** A count that failed (Redis away): Redis's view of this process is resynced at the next beat. */
  private stale = false;
  private readonly listeners: PresenceListener[] = [];

  constructor(
    config: AppConfig,
    private readonly timing = { heartbeatMs: PRESENCE_HEARTBEAT_MS, nodeTtlMs: PRESENCE_NODE_TTL_MS },
  ) {
    const ns = redisNamespace(config);
    this.usersKey = `${ns}:presence:users`;
    this.nodesKey = `${ns}:presence:nodes`;
    this.nodePrefix = `${ns}:presence:node:`;
    this.redis = connectRedis(config.redisUrl!, 'RedisPresence') as ScriptedRedis;
    this.redis.defineCommand('hiPresenceConnect', { numberOfKeys: 2, lua: CONNECT });
    this.redis.defineCommand('hiPresenceDisconnect', { numberOfKeys: 2, lua: DISCONNECT });
    this.redis.defineCommand('hiPresenceReap', { numberOfKeys: 2, lua: REAP });
    this.redis.defineCommand('hiPresenceResync', { numberOfKeys: 2, lua: RESYNC });
  }

  private get nodeKey(): string {
    return this.nodePrefix + this.node;
  }

  async onModuleInit(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch((err: unknown) => this.log.warn(`heartbeat failed: ${String(err)}`)), this.timing.heartbeatMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.local.clear();
    // Leaving on purpose: take this process's sockets out now rather than after the TTL. Its
    // sockets close after this, uncounted, so their users' followers hear of it from here.
    await this.reap(-1, this.node).catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Say this process is alive, and reap processes that went silent. */
  async beat(): Promise<void> {
    const added = await this.redis.zadd(this.nodesKey, Date.now(), this.node);
    // New to Redis though registered before: reaped while alive (a long stall), or Redis lost its
    // data. Either way what Redis holds of this process is replaced by what it holds; users it
    // brings back online were announced offline meanwhile.
    if ((Number(added) === 1 && this.registered) || this.stale) {
      if (!this.stale) this.log.warn('this process was unknown to Redis (taken for dead, or Redis restarted); counting its sockets again');
      this.stale = false;
      this.tell(await this.resync(), true);
    }
    this.registered = true;
    await this.reap(Date.now() - this.timing.nodeTtlMs, '');
  }

  /** Reap the processes silent since `cutoff` (and `leaving`), and tell the listeners whom that took offline. */
  private async reap(cutoff: number, leaving: string): Promise<void> {
    this.tell(await this.redis.hiPresenceReap(this.usersKey, this.nodesKey, this.nodePrefix, cutoff, leaving), false);
  }

  private tell(userIds: string[], online: boolean): void {
    if (userIds.length === 0) return;
    for (const listener of this.listeners) listener(userIds, online);
  }

  onChange(listener: PresenceListener): void {
    this.listeners.push(listener);
  }

  async connect(userId: string, socketId: string): Promise<boolean> {
    if (this.local.has(socketId)) return false;
    this.local.set(socketId, userId);
    return (await this.counted(this.redis.hiPresenceConnect(this.usersKey, this.nodeKey, userId))) === 1;
  }

  async disconnect(userId: string, socketId: string): Promise<boolean> {
    if (!this.local.delete(socketId)) return false;
    return (await this.counted(this.redis.hiPresenceDisconnect(this.usersKey, this.nodeKey, userId))) === 1;
  }

  /** A count Redis did not take leaves it wrong for this process: resynced at the next beat. */
  private counted(command: Promise<number>): Promise<number> {
    return command.catch((err: unknown) => {
      this.stale = true;
      throw err;
    });
  }

  /** Redis's counts of this process set to exactly its sockets, per user, in one script. */
  private resync(): Promise<string[]> {
    const perUser = new Map<string, number>();
    for (const userId of this.local.values()) perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
    return this.redis.hiPresenceResync(this.usersKey, this.nodeKey, ...[...perUser].flat());
  }

  async onlineAmong(userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const totals = await this.redis.hmget(this.usersKey, ...userIds);
    return userIds.filter((_, i) => Number(totals[i] ?? 0) > 0);
  }
}

/** Presence in Redis when REDIS_URL is set (several processes), in memory otherwise. */
export const presenceStoreProvider: Provider = {
  provide: PRESENCE_STORE,
  useFactory: (config: AppConfig): PresenceStore => (config.redisUrl ? new RedisPresenceStore(config) : new InMemoryPresenceStore()),
  inject: [APP_CONFIG],
};
