import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../common/app-error';

/** Access tokens last one hour; the refresh token keeps the desktop app signed in. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** A refresh token lives 30 days from its last use (sliding): an app used weekly never logs out. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
const AUDIENCE = 'hi-msg';
const ISSUER = 'hi-msg-server';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** A presented refresh token, split and checked for shape. */
export interface PresentedRefresh {
  sessionId: string;
  /** sha256 of the secret: what the sessions table stores for the current one. */
  hash: string;
  /** True when this server minted the secret for this session (current or rotated away). */
  minted: boolean;
}

/** Hex sha256; tickets and refresh secrets are stored only this way. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

@Injectable()
export class TokenService {
  /**
   * The secret as a KeyObject, made once: given a string, jsonwebtoken builds a key on every
   * call, which made each verification cost about 40 times more (0.6 ms of event loop).
   */
  private readonly key: KeyObject;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  signAccess(claims: AccessClaims): string {
    return jwt.sign({ sid: claims.sessionId }, this.key, {
      algorithm: 'HS256',
      subject: claims.userId,
      audience: AUDIENCE,
      issuer: ISSUER,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    });
  }

  /** Verify signature, algorithm, audience, issuer and expiry; throws UNAUTHENTICATED or TOKEN_EXPIRED. */
  verifyAccess(token: string): AccessClaims {
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER });
      if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        throw new AppError('UNAUTHENTICATED', 'The access token is not valid. Log in again.');
      }
      return { userId: payload.sub, sessionId: payload.sid };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED', 'The access token has expired. Refresh it or log in again.');
      throw new AppError('UNAUTHENTICATED', 'The access token is not valid. Log in again.');
    }
  }

  /**
   * A new refresh token `<sessionId>.<secret>`. The secret is a random nonce plus an HMAC tag
   * binding it to the session, so an old secret of the session is recognised as reuse (and
   * ends the session) while a made-up one is merely refused.
   */
  mintRefresh(sessionId: string): { token: string; hash: string } {
    const nonce = randomBytes(NONCE_BYTES);
    const secret = Buffer.concat([nonce, this.tag(sessionId, nonce)]).toString('base64url');
    return { token: `${sessionId}.${secret}`, hash: sha256Hex(secret) };
  }

  /** Split a presented refresh token; null when it is not shaped like one. */
  readRefresh(token: string): PresentedRefresh | null {
    const dot = token.indexOf('.');
    const sessionId = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    if (dot < 0 || !UUID.test(sessionId) || !/^[A-Za-z0-9_-]+$/.test(secret)) return null;
    const raw = Buffer.from(secret, 'base64url');
    if (raw.length !== NONCE_BYTES + TAG_BYTES || raw.toString('base64url') !== secret) return null;
    const tag = raw.subarray(NONCE_BYTES);
    const minted = timingSafeEqual(tag, this.tag(sessionId, raw.subarray(0, NONCE_BYTES)));
    return { sessionId: sessionId.toLowerCase(), hash: sha256Hex(secret), minted };
  }

  private tag(sessionId: string, nonce: Buffer): Buffer {
    return createHmac('sha256', this.key).update(`refresh:${sessionId.toLowerCase()}:`).update(nonce).digest().subarray(0, TAG_BYTES);
  }
}
