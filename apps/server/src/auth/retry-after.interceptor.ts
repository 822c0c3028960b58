import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { AppError } from '../common/app-error';

/** A throttled request also carries `Retry-After`, so plain HTTP clients know how long to wait. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (err instanceof AppError && err.code === 'RATE_LIMITED' && ctx.getType() === 'http') {
          const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
          if (seconds) ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
        }
        return throwError(() => err);
      }),
    );
  }
}
