import { AppError } from '../src/common/app-error';
import type { Database } from '../src/database/data-source';

/** The AppError a promise rejects with; fails the test when it resolves or throws something else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

/** A Database whose transactions run the callback with `em` (a marker the fakes can assert on). */
export function fakeDatabase(em: unknown = { tx: true }): Database {
  return { transaction: (fn: (m: unknown) => unknown) => fn(em) } as unknown as Database;
}
