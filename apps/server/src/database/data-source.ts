import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';
import { isDeadlock } from './driver-errors';
import { InitialSchemaMysql1764000000000 } from './migrations/mysql/1764000000000-initial-schema';
import { InitialSchemaSqlite1764000000000 } from './migrations/sqlite/1764000000000-initial-schema';
import { MessageDeletionsIndexMysql1764100000000 } from './migrations/mysql/1764100000000-message-deletions-index';
import { RepairRoomLastSeqMysql1764300000000 } from './migrations/mysql/1764300000000-repair-room-last-seq';
import { DeletionsByRoomMysql1764400000000 } from './migrations/mysql/1764400000000-deletions-by-room';
import { MessageDeletionsIndexSqlite1764100000000 } from './migrations/sqlite/1764100000000-message-deletions-index';
import { PartialDeletionsIndexSqlite1764200000000 } from './migrations/sqlite/1764200000000-partial-deletions-index';
import { RoomsBeingDeletedMysql1764500000000 } from './migrations/mysql/1764500000000-rooms-being-deleted';
import { RoomsBeingDeletedSqlite1764500000000 } from './migrations/sqlite/1764500000000-rooms-being-deleted';
import { WalCheckpointer, type WalCheckpointerOptions, WRITER_CHECKPOINT_PAGES } from './wal-checkpointer';

export const MIGRATIONS = {
  sqlite: [InitialSchemaSqlite1764000000000, MessageDeletionsIndexSqlite1764100000000, PartialDeletionsIndexSqlite1764200000000, RoomsBeingDeletedSqlite1764500000000],
  mysql: [InitialSchemaMysql1764000000000, MessageDeletionsIndexMysql1764100000000, RepairRoomLastSeqMysql1764300000000, DeletionsByRoomMysql1764400000000, RoomsBeingDeletedMysql1764500000000],
};

/** Build (not yet initialize) the DataSource for the configured dialect. synchronize stays off. */
export function createDataSource(config: AppConfig): DataSource {
  if (config.db.type === 'mysql') {
    return new DataSource({
      type: 'mysql',
      url: config.db.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      entities: ENTITIES,
      migrations: MIGRATIONS.mysql,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: ['error'],
      extra: { connectionLimit: 20 },
    });
  }
  return new DataSource({
    type: 'better-sqlite3',
    database: config.db.path,
    entities: ENTITIES,
    migrations: MIGRATIONS.sqlite,
    synchronize: false,
    logging: ['error'],
    // The send batch's statements differ with the batch's size (up to 64 sends, five statements
    // each); TypeORM's default of 100 prepared statements, dropped first in first out, would
    // prepare them again batch after batch.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      db.pragma('busy_timeout = 5000');
      // Statement journals in memory: a send batch's multi-row INSERT journals the pages it
      // changes in case it must be undone alone, and past 64 kB SQLite would spill that to a
      // temporary file, a write to the disk cache for every page (about a fifth of SQLite's
      // CPU per message in a batch of 1:1 sends). Temporary tables of large sorts stay in memory too.
      db.pragma('temp_store = MEMORY');
      db.pragma('foreign_keys = ON');
    },
  });
}

/** The two databases the server runs on: SQLite embedded, MySQL (MariaDB) in production. */
export type Dialect = AppConfig['db']['type'];

/**
 * The one handle repositories use. It knows the dialect and runs transactions; on SQLite,
 * whose single connection cannot nest transactions, they are queued one after another, and now
 * and then the checkpoint thread takes a turn in that queue to start the log over.
 */
export class Database {
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly checkpointer: WalCheckpointer | undefined;

  constructor(
    readonly dataSource: DataSource,
    checkpoints?: { file: string } & WalCheckpointerOptions,
  ) {
    this.checkpointer = checkpoints && new WalCheckpointer(checkpoints.file, () => void this.betweenTransactions(() => this.checkpointer!.quiet()), checkpoints);
  }

  get dialect(): Dialect {
    return this.dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Run fn in one transaction; it commits when fn resolves and rolls back when it throws. */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'mysql') return this.dataSource.transaction(fn);
    return this.betweenTransactions(() => this.dataSource.transaction(fn));
  }

  /**
   * As `transaction`, run again when MySQL picks it as a deadlock's loser (rolled back whole),
   * up to three times in all. `fn` must act on the database only, so running it again is safe.
   */
  async transactionRetrying<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.transaction(fn);
      } catch (err) {
        if (attempt >= 3 || !isDeadlock(err)) throw err;
      }
    }
  }

  /** Run `task` in the SQLite queue: after the transactions queued before it, before those queued after. */
  private betweenTransactions<T>(task: () => Promise<T>): Promise<T> {
    const run = this.sqliteQueue.then(task);
    this.sqliteQueue = run.catch(() => undefined);
    return run;
  }

  /** Stop the SQLite checkpoint thread, then close every connection. */
  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Initialize and migrate; on MySQL a named lock keeps concurrent processes from migrating at once. */
export async function openDatabase(config: AppConfig, checkpoints: WalCheckpointerOptions = {}, migrationLockSeconds = 120): Promise<Database> {
  const ds = createDataSource(config);
  await ds.initialize();
  if (ds.options.type === 'mysql') {
    const lock = ds.createQueryRunner();
    await lock.connect();
    let got = false;
    try {
      const [row] = (await lock.query(`SELECT GET_LOCK('hi_msg_migrations', ${Number(migrationLockSeconds)}) AS got`)) as { got: number | string | null }[];
      // Not got in time (two minutes): another process is still migrating; running the same
      // migrations beside it would fail halfway.
      got = Number(row?.got) === 1;
      if (got) await ds.runMigrations({ transaction: 'each' });
    } finally {
      if (got) await lock.query(`SELECT RELEASE_LOCK('hi_msg_migrations')`).catch(() => undefined);
      await lock.release();
    }
    if (!got) {
      await ds.destroy();
      throw new Error('another server process has been migrating the MySQL database for over two minutes; start this one again once it has finished');
    }
    return new Database(ds);
  }
  await ds.runMigrations({ transaction: 'all' });
  return new Database(ds, { ...checkpoints, file: ds.options.database as string });
}
