import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../common/app-error';

/** Access tokens last one hour; the refresh token keeps the desktop app signed in. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
const AUDIENCE = 'hi-msg';
const ISSUER = 'hi-msg-server';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  signAccess(claims: AccessClaims): string {
    return jwt.sign({ sid: claims.sessionId }, this.config.jwtSecret, {
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
      const payload = jwt.verify(token, this.config.jwtSecret, { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER });
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
}
