import { type DataSource, type EntityManager, type EntityTarget, QueryFailedError, type QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Entities from rows of plain SQL, for the hot paths where building and hydrating through the
 * query builder costs more than the query. Values pass through the driver exactly as TypeORM
 * would convert them (dates as UTC strings on SQLite, Date objects on MySQL, booleans, nulls).
 */
export class RawRows<T extends object> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly byProperty: ReadonlyMap<string, ColumnMetadata>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: new () => T,
  ) {
    const meta = dataSource.getMetadata(target as EntityTarget<T>);
    this.columns = meta.columns;
    this.byProperty = new Map(meta.columns.map((c) => [c.propertyName, c]));
  }

  /** One entity from a row whose keys are the column names (`SELECT m.*` or named columns). */
  entity(row: Record<string, unknown>): T {
    const e = new this.target() as Record<string, unknown>;
    for (const c of this.columns) {
      const v = row[c.databaseName];
      if (v !== undefined) e[c.propertyName] = this.dataSource.driver.prepareHydratedValue(v, c);
    }
    return e as T;
  }

  /** A property's value as a query parameter for its column. */
  param<K extends keyof T & string>(property: K, value: T[K]): unknown {
    const c = this.byProperty.get(property);
    if (!c) throw new Error(`no column for ${property}`);
    return this.dataSource.driver.preparePersistentValue(value, c);
  }
}

type Callback = (err: Error | null, result?: unknown) => void;
interface MysqlHandle {
  query(sql: string, params: readonly unknown[], cb: Callback): void;
}

/** The mysql2 connection of `em`'s transaction, or the pool when it has none; undefined off MySQL. */
function mysqlHandle(em: EntityManager): { handle: MysqlHandle; pinned: boolean } | undefined {
  const driver = em.connection.driver as { options: { type: string }; master?: MysqlHandle };
  if (driver.options.type !== 'mysql') return undefined;
  const runner = em.queryRunner as (QueryRunner & { databaseConnection?: MysqlHandle }) | undefined;
  if (runner) return runner.databaseConnection && !runner.isReleased ? { handle: runner.databaseConnection, pinned: true } : undefined;
  return driver.master ? { handle: driver.master, pinned: false } : undefined;
}

/**
 * One parameterized statement, on the transaction's connection when `em` has one. On MySQL it
 * goes to mysql2's callback API: the promise API captures a stack trace per query and TypeORM
 * adds query events, together costing more CPU than a short statement itself. Errors come back
 * as TypeORM's QueryFailedError, as from `em.query`.
 */
export function rawQuery<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T> {
  const mysql = mysqlHandle(em);
  if (!mysql) return em.query(sql, [...params]) as Promise<T>;
  return new Promise<T>((resolve, reject) => {
    mysql.handle.query(sql, params, (err, result) => (err ? reject(new QueryFailedError(sql, [...params], err)) : resolve(result as T)));
  });
}

/**
 * Statements that depend on none of each other's results, run in order. On a MySQL
 * transaction's connection they are queued at once: mysql2 writes each as the one before it
 * answers, so a busy event loop adds its delay once, not once per statement.
 */
export async function rawQueries(em: EntityManager, statements: readonly (readonly [string, readonly unknown[]])[]): Promise<unknown[]> {
  if (mysqlHandle(em)?.pinned) return Promise.all(statements.map(([sql, params]) => rawQuery(em, sql, params)));
  const results: unknown[] = [];
  for (const [sql, params] of statements) results.push(await rawQuery(em, sql, params));
  return results;
}
