import { type DataSource, type EntityManager, type EntityTarget, QueryFailedError, type QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

type Hydrate = (value: unknown) => unknown;

const SQLITE_SPACE = /^\d\d\d\d-\d\d-\d\d \d\d:\d\d/;
const SQLITE_NO_ZONE = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/;

/** A datetime column's value as TypeORM hydrates it: MySQL hands Dates, SQLite UTC strings with a space. */
function hydrateDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let s = value;
  if (SQLITE_SPACE.test(s)) s = s.replace(' ', 'T');
  if (SQLITE_NO_ZONE.test(s)) s += 'Z';
  return new Date(s);
}

const same: Hydrate = (value) => value;

/**
 * Entities from rows of plain SQL, for the hot paths where building and hydrating through the
 * query builder costs more than the query. Values pass through the driver exactly as TypeORM
 * would convert them (dates as UTC strings on SQLite, Date objects on MySQL, booleans, nulls).
 */
export class RawRows<T extends object> {
  private readonly hydrators: readonly (readonly [string, string, Hydrate])[];
  private readonly byProperty: ReadonlyMap<string, ColumnMetadata>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: new () => T,
  ) {
    const meta = dataSource.getMetadata(target as EntityTarget<T>);
    this.byProperty = new Map(meta.columns.map((c) => [c.propertyName, c]));
    this.hydrators = meta.columns.map((c) => [c.databaseName, c.propertyName, this.hydrator(c)] as const);
  }

  /** One entity from a row whose keys are the column names (`SELECT m.*` or named columns). */
  entity(row: Record<string, unknown>): T {
    const e = new this.target() as Record<string, unknown>;
    for (const [column, property, hydrate] of this.hydrators) {
      const v = row[column];
      if (v !== undefined) e[property] = v === null ? null : hydrate(v);
    }
    return e as T;
  }

  /** A property's value as a query parameter for its column. */
  param<K extends keyof T & string>(property: K, value: T[K]): unknown {
    const c = this.byProperty.get(property);
    if (!c) throw new Error(`no column for ${property}`);
    return this.dataSource.driver.preparePersistentValue(value, c);
  }

  /**
   * Strings, numbers and dates the cheap way, the same values the driver would give (its
   * generic conversion costs a few microseconds a value, most of a page's time); anything
   * else through the driver.
   */
  private hydrator(c: ColumnMetadata): Hydrate {
    if (c.transformer) return (v) => this.dataSource.driver.prepareHydratedValue(v, c);
    if (c.type === 'datetime') return hydrateDate;
    if (c.type === 'varchar' || c.type === 'text' || c.type === 'int') return same;
    return (v) => this.dataSource.driver.prepareHydratedValue(v, c);
  }
}

/**
 * A count written into SQL text (LIMIT), for statements that must not bind it: SQLite prepares a
 * statement again whenever a bound value it planned with changes binding, and it plans with a
 * bound LIMIT. Anything but a non-negative safe integer is refused, so no other text gets in.
 */
export function sqlInteger(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${String(n)}`);
  return String(n);
}

/** `?, ?, …` for an IN list of `n` bound values. */
export function sqlMarks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
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

interface SqliteStatement {
  readonly reader: boolean;
  raw(on: boolean): SqliteStatement;
  columns(): { name: string }[];
  all(...params: unknown[]): unknown[][];
}
interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
}

/** A read prepared once on the connection, handing rows back as arrays, with its column names. */
interface SqliteRead {
  statement: SqliteStatement;
  columns: string[];
}

/** Reads kept prepared per SQLite connection; the oldest goes first past this many. */
const SQLITE_READS_KEPT = 500;
const sqliteReads = new WeakMap<SqliteHandle, Map<string, SqliteRead>>();

/** The connection's prepared read for `sql`; undefined off SQLite, or for a statement that writes. */
function sqliteRead(em: EntityManager, sql: string): SqliteRead | undefined {
  const driver = em.connection.driver as { options: { type: string }; databaseConnection?: SqliteHandle };
  const db = driver.options.type === 'better-sqlite3' ? driver.databaseConnection : undefined;
  if (!db || !READ.test(sql)) return undefined;
  let kept = sqliteReads.get(db);
  if (!kept) sqliteReads.set(db, (kept = new Map()));
  let read = kept.get(sql);
  if (!read) {
    const statement = db.prepare(sql);
    if (!statement.reader) return undefined;
    read = { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) };
    kept.set(sql, read);
    if (kept.size > SQLITE_READS_KEPT) kept.delete(kept.keys().next().value!);
  }
  return read;
}

/** Rows as objects keyed by column name, built here from arrays: a third cheaper than the driver's objects. */
function sqliteRows({ statement, columns }: SqliteRead, params: readonly unknown[]): Record<string, unknown>[] {
  const rows = statement.all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row;
  });
}

/**
 * One parameterized statement, on the transaction's connection when `em` has one. On MySQL it
 * goes to mysql2's callback API: the promise API captures a stack trace per query and TypeORM
 * adds query events, together costing more CPU than a short statement itself. On SQLite a read
 * goes straight to better-sqlite3 as arrays (its row objects cost 5 µs a row of 10 columns,
 * most of a history page's query). Errors come back as TypeORM's QueryFailedError, as from
 * `em.query`.
 */
export function rawQuery<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T> {
  const mysql = mysqlHandle(em);
  if (!mysql) {
    try {
      const read = sqliteRead(em, sql);
      if (read) return Promise.resolve(sqliteRows(read, params) as T);
    } catch (err) {
      return Promise.reject(new QueryFailedError(sql, [...params], err as Error));
    }
    return em.query(sql, [...params]) as Promise<T>;
  }
  return new Promise<T>((resolve, reject) => {
    mysql.handle.query(sql, params, (err, result) => (err ? reject(new QueryFailedError(sql, [...params], err)) : resolve(result as T)));
  });
}

const READ = /^\s*SELECT\b/i;

/**
 * Statements that depend on none of each other's results, run in order. On a MySQL
 * transaction's connection, when every statement after the first only reads, they are queued at
 * once: mysql2 writes each as the one before it answers, so a busy event loop adds its delay once,
 * not once per statement. Writes after the first are never queued ahead: a deadlock ends the
 * transaction on the server, and a write already queued behind it would then run on its own and
 * commit, half of what the transaction was to do.
 */
export async function rawQueries(em: EntityManager, statements: readonly (readonly [string, readonly unknown[]])[]): Promise<unknown[]> {
  if (mysqlHandle(em)?.pinned && statements.slice(1).every(([sql]) => READ.test(sql))) {
    return Promise.all(statements.map(([sql, params]) => rawQuery(em, sql, params)));
  }
  const results: unknown[] = [];
  for (const [sql, params] of statements) results.push(await rawQuery(em, sql, params));
  return results;
}
