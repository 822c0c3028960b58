import type { TestServer } from './harness';

type Seen = (sql: string, params: unknown[]) => void;
type Run = (this: { source: string }, ...args: unknown[]) => unknown;

/**
 * Watch every statement the server's SQLite connection runs, TypeORM's and the raw reads alike
 * (those go to better-sqlite3 directly), with its SQL and parameters. Returns the undo.
 */
export function watchSqliteStatements(server: TestServer, seen: Seen): () => void {
  const db = (server.db.dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): object } }).databaseConnection;
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'all' | 'get' | 'run' | 'iterate', Run>;
  const spies = (['all', 'get', 'run', 'iterate'] as const).map((method) => {
    const original = proto[method];
    return jest.spyOn(proto, method).mockImplementation(function (this: { source: string }, ...args: unknown[]) {
      seen(this.source, args);
      return original.apply(this, args);
    });
  });
  return () => spies.forEach((s) => s.mockRestore());
}
