import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { MAX_SOCKET_PAYLOAD_BYTES } from '@hi-msg/contracts';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import { messageOf } from '../common/app-error';

/**
 * The Redis key prefix shared by every process of one deployment: processes that share a
 * database share events and presence, while another deployment (or a test run with its own
 * database) on the same Redis stays apart.
 */
export function redisNamespace(config: AppConfig): string {
  const db = config.db.type === 'mysql' ? new URL(config.db.url).pathname.replace(/^\//, '') : config.db.path;
  return `hi-msg:${db}`;
}

/** An ioredis client whose connection errors are logged instead of crashing the process. */
export function connectRedis(url: string, name: string): Redis {
  const log = new Logger(name);
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  client.on('error', (err: Error) => log.warn(`Redis: ${err.message}`));
  return client;
}

/**
 * The adapter publishes and subscribes without waiting for the answer: while Redis is away,
 * ioredis gives those commands up and the rejection would go unheard. Here it is logged; the
 * events of that moment are not carried to the other processes, and their clients catch up
 * with their next sync.
 */
export function guardRedisCommands(client: Redis, log: Logger): Redis {
  for (const command of ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
    const send = (client[command] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) =>
      send(...args).catch((err: unknown) => {
        log.warn(`Redis ${command} failed: ${messageOf(err)}`);
        return 0;
      });
  }
  return client;
}

/** Socket.IO with a payload cap; with REDIS_URL set, events cross server processes through Redis. */
export class HiMsgIoAdapter extends IoAdapter {
  private readonly redisClients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
      pingInterval: 20000,
      pingTimeout: 20000,
      connectionStateRecovery: undefined,
    }) as Server;
    if (this.config.redisUrl) {
      const log = new Logger('RedisAdapter');
      const pub = guardRedisCommands(connectRedis(this.config.redisUrl, 'RedisAdapter'), log);
      const sub = guardRedisCommands(pub.duplicate(), log);
      sub.on('error', (err: Error) => log.warn(`Redis: ${err.message}`));
      this.redisClients.push(pub, sub);
      server.adapter(createAdapter(pub, sub, { key: `${redisNamespace(this.config)}:io`, publishOnSpecificResponseChannel: true }));
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.redisClients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
    await super.dispose();
  }
}
