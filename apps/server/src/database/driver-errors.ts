/** The driver's error code and number, whether TypeORM wrapped the error or not. */
function driverError(err: unknown): { code?: string; errno?: number } {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } } | undefined;
  return { code: e?.driverError?.code ?? e?.code, errno: e?.driverError?.errno ?? e?.errno };
}

/** Unique-key violation on either dialect (SQLite constraint, MySQL ER_DUP_ENTRY). */
export function isUniqueViolation(err: unknown): boolean {
  const { code, errno } = driverError(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY' || errno === 1062;
}

/** MySQL chose this transaction as a deadlock's loser and rolled it back whole. */
export function isDeadlock(err: unknown): boolean {
  const { code, errno } = driverError(err);
  return code === 'ER_LOCK_DEADLOCK' || errno === 1213;
}
