import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Who is calling: set by the auth guard on every protected request and on every socket. */
export interface AuthContext {
  userId: string;
  role: 'user' | 'admin';
  sessionId: string;
  employeeId: string;
  name: string;
}

/** The caller of a protected route. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<{ auth?: AuthContext }>();
  if (!req.auth) throw new Error('Auth used on a route without the auth guard');
  return req.auth;
});
