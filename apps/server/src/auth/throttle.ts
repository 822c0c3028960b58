import { Inject, Injectable, Optional } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../common/app-error';

export type ThrottleKind = 'loginAccount' | 'loginAddress' | 'register' | 'resetRequest';
export interface ThrottleLimit {
  /** Attempts allowed in the window. */
  points: number;
  windowSeconds: number;
}

/**
 * Failed logins are limited per account (a guessed password for one employee) and per client
 * address (one machine trying many employees); signups and reset requests per address, modestly,
 * since a whole floor may share one address. Kept in memory: each server process counts alone.
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
export class Throttle {
  private readonly limiters: Record<ThrottleKind, RateLimiterMemory>;

  constructor(@Optional() @Inject(THROTTLE_LIMITS) private readonly limits: Record<ThrottleKind, ThrottleLimit> = DEFAULT_THROTTLE_LIMITS) {
    const make = (kind: ThrottleKind) =>
      new RateLimiterMemory({ keyPrefix: kind, points: limits[kind].points, duration: limits[kind].windowSeconds, blockDuration: limits[kind].windowSeconds });
    this.limiters = { loginAccount: make('loginAccount'), loginAddress: make('loginAddress'), register: make('register'), resetRequest: make('resetRequest') };
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

  /** Forget the key's attempts (a successful login clears its account's failures). */
  async clear(kind: ThrottleKind, key: string): Promise<void> {
    await this.limiters[kind].delete(key);
  }
}
