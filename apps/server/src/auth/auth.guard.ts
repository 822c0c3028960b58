import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

const PUBLIC_KEY = 'hi-msg:public';
/** Marks a route that needs no access token (login, register, reset, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Turns an access token into the caller, checking the session and the account on every use. */
@Injectable()
export class AccessResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsRepository,
  ) {}

  async resolve(token: string | undefined): Promise<AuthContext> {
    if (!token) throw new AppError('UNAUTHENTICATED', 'Log in first: this needs an access token.');
    const claims = this.tokens.verifyAccess(token);
    const live = await this.sessions.findLive(claims.sessionId, claims.userId);
    // A revoked session, a deleted user or an account no longer active loses access at once.
    if (!live || live.user.status !== 'active') throw new AppError('UNAUTHENTICATED', 'Your session has ended. Log in again.');
    const { user } = live;
    return { userId: user.id, role: user.role, sessionId: claims.sessionId, employeeId: user.employeeId, name: user.name };
  }
}

/** Global guard: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessResolver,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { auth?: AuthContext }>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    req.auth = await this.access.resolve(token);
    return true;
  }
}
