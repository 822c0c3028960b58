import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@hi-msg/contracts';

/** A failure the client can act on: a stable code, a readable message, optional details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turn anything thrown into the error envelope body; unknown errors never leak their text. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: err.status, body: err.toBody() };
  return { status: 500, body: { code: 'INTERNAL', message: 'Something went wrong on the server. Try again; if it keeps happening, tell IT.' } };
}

/** What went wrong, for a log line: an Error's message, or whatever else was thrown as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
