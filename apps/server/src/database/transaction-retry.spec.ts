import { QueryFailedError, type DataSource } from 'typeorm';
import { Database } from './data-source';

/** A MySQL error as TypeORM hands it on: the driver's error inside a QueryFailedError. */
function driverFailure(code: string, errno: number): QueryFailedError {
  return new QueryFailedError('UPDATE rooms …', [], Object.assign(new Error(code), { code, errno }));
}

/** A Database over a data source whose transactions fail as listed, then answer 'done'. */
function databaseFailing(...failures: Error[]): { db: Database; attempts: () => number } {
  let calls = 0;
  const dataSource = {
    options: { type: 'mysql' },
    transaction: async (fn: (em: unknown) => Promise<unknown>) => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return fn({});
    },
  } as unknown as DataSource;
  return { db: new Database(dataSource), attempts: () => calls };
}

describe('Database.transactionRetrying', () => {
  it('runs a transaction again when MySQL rolled it back as a deadlock’s loser', async () => {
    const { db, attempts } = databaseFailing(driverFailure('ER_LOCK_DEADLOCK', 1213), driverFailure('ER_LOCK_DEADLOCK', 1213));
    await expect(db.transactionRetrying(async () => 'done')).resolves.toBe('done');
    expect(attempts()).toBe(3);
  });

  it('gives up after three attempts, with the deadlock', async () => {
    const deadlock = driverFailure('ER_LOCK_DEADLOCK', 1213);
    const { db, attempts } = databaseFailing(deadlock, deadlock, deadlock, deadlock);
    await expect(db.transactionRetrying(async () => 'done')).rejects.toBe(deadlock);
    expect(attempts()).toBe(3);
  });

  it('does not run again after any other failure', async () => {
    const duplicate = driverFailure('ER_DUP_ENTRY', 1062);
    const { db, attempts } = databaseFailing(duplicate);
    await expect(db.transactionRetrying(async () => 'done')).rejects.toBe(duplicate);
    expect(attempts()).toBe(1);
  });
});
