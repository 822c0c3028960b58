import type { z } from 'zod';
import { AppError } from './app-error';

/** An opaque page cursor: the keyset position, as base64url JSON. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Read a cursor this server handed out; anything else is VALIDATION_FAILED. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'The page cursor is not valid. Start again from the first page.', { fields: [{ path: 'cursor', message: 'invalid' }] });
  return parsed.data;
}
