import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { HttpAdapterHost } from '@nestjs/core';
import type { ErrorBody } from '@hi-msg/contracts';
import { AppError, toErrorBody } from './app-error';

type Out = { status: number; body: ErrorBody };

/** An HTTP status Nest or Fastify gave a failure of its own (routing, body parsing) onto the envelope's codes. */
function fromStatus(status: number, text: string): Out | undefined {
  if (status === 404) return { status, body: { code: 'NOT_FOUND', message: 'No such route.' } };
  if (status === 413) return { status, body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large.' } };
  if (status === 429) return { status, body: { code: 'RATE_LIMITED', message: 'Too many requests. Wait a moment and try again.' } };
  if (status === 401) return { status, body: { code: 'UNAUTHENTICATED', message: 'Log in first.' } };
  if (status === 403) return { status, body: { code: 'FORBIDDEN', message: 'You are not allowed to do this.' } };
  if (status === 415) return { status: 400, body: { code: 'VALIDATION_FAILED', message: 'Send the request body as JSON (Content-Type: application/json).' } };
  if (status >= 400 && status < 500) return { status: 400, body: { code: 'VALIDATION_FAILED', message: text } };
  return undefined;
}

function fromHttpException(err: HttpException): Out {
  const raw = err.getResponse() as { message?: unknown } | string;
  return fromStatus(err.getStatus(), typeof raw === 'string' ? raw : String(raw.message ?? err.message)) ?? toErrorBody(err);
}

/** Every error leaves the server as `{ error: { code, message, details? } }`; never a stack trace. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const http = this.adapterHost.httpAdapter;
    const res = host.switchToHttp().getResponse<unknown>();
    let out: Out;
    // Fastify's own failures (a body too large, an unknown content type) carry `statusCode`, others `status`.
    const e = err as { statusCode?: unknown; status?: unknown } | undefined;
    const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
    if (err instanceof AppError) out = toErrorBody(err);
    else if (err instanceof HttpException) out = fromHttpException(err);
    else if (status !== undefined) out = fromStatus(status, 'The request could not be read.') ?? toErrorBody(err);
    else out = toErrorBody(err);
    if (out.status >= 500) this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (http.isHeadersSent(res)) {
      (res as { raw?: { destroy(): void } }).raw?.destroy();
      return;
    }
    // A throttled request also carries `Retry-After`, so plain HTTP clients know how long to wait.
    const retryAfter = (out.body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (out.body.code === 'RATE_LIMITED' && typeof retryAfter === 'number' && retryAfter > 0) http.setHeader(res, 'Retry-After', String(retryAfter));
    // Refused before its body was all read (an upload far over the cap): the connection ends with
    // the answer, rather than wait on a client that may go on sending.
    const raw = host.switchToHttp().getRequest<{ raw?: IncomingMessage } | undefined>()?.raw;
    const hasBody = raw !== undefined && (Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined);
    if (hasBody && !raw.complete) http.setHeader(res, 'Connection', 'close');
    http.reply(res, { error: out.body }, out.status);
  }
}
