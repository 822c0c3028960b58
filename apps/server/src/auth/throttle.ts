import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../common/app-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { connectRedis, redisNamespace } from '../realtime/io.adapter';

export type ThrottleKind = 'loginAccount' | 'loginAddress' | 'register' | 'resetRequest';
export interface ThrottleLimit {
  /** Attempts allowed in the window. */
  points: number;
  windowSeconds: number;
}

/**
 * Failed logins are limited per account (a guessed password for one employee) and per client
 * address (one machine trying many employees); signups and reset requests per address, modestly,
 * since a whole floor may share one address. In memory on one process; with REDIS_URL the counts
 * live in Redis, so several server processes count together (and fall back to memory while
 * Redis is unreachable).
 */
export const DEFAULT_THROTTLE_LIMITS: Record<ThrottleKind, ThrottleLimit> = {
  loginAccount: { points: 10, windowSeconds: 15 * 60 },
  loginAddress: { points: 30, windowSeconds: 15 * 60 },
  register: { points: 20, windowSeconds: 60 * 60 },
  resetRequest: { points: 10, windowSeconds: 60 * 60 },
};
export const THROTTLE_LIMITS = Symbol('THROTTLE_LIMITS');

function rateLimited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
}

@Injectable()
export class Throttle implements OnModuleDestroy {
  private readonly limiters: Record<ThrottleKind, RateLimiterAbstract>;
  private readonly redis: Redis | undefined;

  constructor(
    @Optional() @Inject(THROTTLE_LIMITS) private readonly limits: Record<ThrottleKind, ThrottleLimit> = DEFAULT_THROTTLE_LIMITS,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    this.redis = config?.redisUrl ? connectRedis(config.redisUrl, 'Throttle') : undefined;
    const make = (kind: ThrottleKind): RateLimiterAbstract => {
      const opts = { keyPrefix: kind, points: limits[kind].points, duration: limits[kind].windowSeconds, blockDuration: limits[kind].windowSeconds };
      if (!this.redis || !config) return new RateLimiterMemory(opts);
      return new RateLimiterRedis({
        ...opts,
        keyPrefix: `${redisNamespace(config)}:throttle:${kind}`,
        storeClient: this.redis,
        insuranceLimiter: new RateLimiterMemory(opts),
      });
    };
    this.limiters = { loginAccount: make('loginAccount'), loginAddress: make('loginAddress'), register: make('register'), resetRequest: make('resetRequest') };
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  /** Throw RATE_LIMITED when the key has used up its attempts; uses none itself. */
  async assertOpen(kind: ThrottleKind, key: string): Promise<void> {
    const res = await this.limiters[kind].get(key);
    if (res && res.consumedPoints >= this.limits[kind].points) throw rateLimited(res.msBeforeNext);
  }

  /** Count one attempt (a failed login); the next assertOpen refuses once the limit is reached. */
  async record(kind: ThrottleKind, key: string): Promise<void> {
    await this.limiters[kind].consume(key).catch((res: unknown) => {
      if (!(res instanceof RateLimiterRes)) throw res;
    });
  }

  /** Count one attempt and refuse it when it goes over the limit. */
  async take(kind: ThrottleKind, key: string): Promise<void> {
    await this.limiters[kind].consume(key).catch((res: unknown) => {
      throw res instanceof RateLimiterRes ? rateLimited(res.msBeforeNext) : res;
    });
  }

  /** Return one attempt taken (it turned out right), so that it does not count toward the limit. */
  async giveBack(kind: ThrottleKind, key: string): Promise<void> {
    await this.limiters[kind].reward(key, 1);
  }

  /** Forget the key's attempts (a successful login clears its account's failures). */
  async clear(kind: ThrottleKind, key: string): Promise<void> {
    await this.limiters[kind].delete(key);
  }
}
