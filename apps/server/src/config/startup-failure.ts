/** What to tell IT when the server cannot start: the setting to look at, not a stack trace. */
export function startupFailure(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errno?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? e.code : '';
  if (e?.name === 'MaxRetriesPerRequestError' || /redis/i.test(message)) return `Hi_Msg could not start: Redis at REDIS_URL cannot be reached (${message}). Check that Redis runs and REDIS_URL points to it.`;
  if (env.DB_TYPE === 'mysql' && (code.startsWith('ER_') || ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code))) {
    return `Hi_Msg could not start: MySQL at MYSQL_URL refused or cannot be reached (${code}: ${message}). Check the host, the user and password, and that the database exists.`;
  }
  if (code === 'EADDRINUSE') return `Hi_Msg could not start: port ${env.PORT ?? 5050} is already in use. Stop the other program or set PORT.`;
  if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC') return `Hi_Msg could not start: ${message}. Check that DATA_DIR, UPLOAD_DIR and BACKUP_DIR can be written.`;
  return `Hi_Msg could not start: ${message}`;
}
