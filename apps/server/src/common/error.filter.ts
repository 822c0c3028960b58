import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorBody } from '@hi-msg/contracts';
import type { Response } from 'express';
import { AppError, toErrorBody } from './app-error';

/** Map Nest/Express HTTP errors (routing, body parser) onto the envelope's codes. */
function fromHttpException(err: HttpException): { status: number; body: ErrorBody } {
  const status = err.getStatus();
  const raw = err.getResponse() as { message?: unknown } | string;
  const text = typeof raw === 'string' ? raw : String(raw.message ?? err.message);
  if (status === 404) return { status, body: { code: 'NOT_FOUND', message: 'No such route.' } };
  if (status === 413) return { status, body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large.' } };
  if (status === 429) return { status, body: { code: 'RATE_LIMITED', message: 'Too many requests. Wait a moment and try again.' } };
  if (status === 401) return { status, body: { code: 'UNAUTHENTICATED', message: 'Log in first.' } };
  if (status === 403) return { status, body: { code: 'FORBIDDEN', message: 'You are not allowed to do this.' } };
  if (status >= 400 && status < 500) return { status: 400, body: { code: 'VALIDATION_FAILED', message: text } };
  return toErrorBody(err);
}

/** Every error leaves the server as `{ error: { code, message, details? } }`; never a stack trace. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const res = host.switchToHttp().getResponse<Response>();
    let out: { status: number; body: ErrorBody };
    const e = err as { status?: number };
    if (err instanceof AppError) out = toErrorBody(err);
    else if (err instanceof HttpException) out = fromHttpException(err);
    else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) out = { status: 400, body: { code: 'VALIDATION_FAILED', message: 'The request could not be read.' } };
    else out = toErrorBody(err);
    if (out.status >= 500) this.log.error(err instanceof Error ? err.stack ?? err.message : String(err));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A throttled request also carries `Retry-After`, so plain HTTP clients know how long to wait.
    const retryAfter = (out.body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (out.body.code === 'RATE_LIMITED' && typeof retryAfter === 'number' && retryAfter > 0) res.setHeader('Retry-After', String(retryAfter));
    res.status(out.status).json({ error: out.body });
  }
}
