import { DataSource, type EntityManager } from 'typeorm';
import { ENTITIES, MessageEntity, RoomMemberEntity } from './entities';
import { RawRows, rawQueries, sqlInteger } from './raw-rows';

/** Rows hydrated the cheap way equal what TypeORM's own hydration makes of them. */
describe('RawRows', () => {
  const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES });
  beforeAll(() => ds.initialize());
  afterAll(() => ds.destroy());

  const viaDriver = <T extends object>(target: new () => T, row: Record<string, unknown>): T => {
    const e = new target() as Record<string, unknown>;
    for (const c of ds.getMetadata(target).columns) e[c.propertyName] = ds.driver.prepareHydratedValue(row[c.databaseName], c);
    return e as T;
  };

  it.each([
    ['a live message', { id: 'm1', room_id: 'r', seq: 7, sender_id: 'u', client_id: 'c', kind: 'text', body: '안녕', file_id: null, created_at: '2026-11-26 10:00:00.123', deleted_at: null }],
    ['a tombstone', { id: 'm2', room_id: 'r', seq: 8, sender_id: null, client_id: null, kind: 'file', body: null, file_id: null, created_at: '2026-01-02 03:04:05', deleted_at: '2026-01-02 03:04:06.789' }],
    ['dates as MySQL hands them', { id: 'm3', room_id: 'r', seq: 9, sender_id: 'u', client_id: 'c', kind: 'text', body: 'x', file_id: 'f', created_at: new Date('2026-05-06T07:08:09.010Z'), deleted_at: null }],
  ])('%s', (_name, row) => {
    const fast = new RawRows(ds, MessageEntity).entity(row);
    expect(fast).toEqual(viaDriver(MessageEntity, row));
    expect(fast.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(fast.createdAt.getTime())).toBe(false);
  });

  it('a membership, booleans included', () => {
    const row = { room_id: 'r', user_id: 'u', joined_at: '2026-11-26 10:00:00.000', joined_seq: 3, last_read_seq: 5, muted: 1 };
    const fast = new RawRows(ds, RoomMemberEntity).entity(row);
    expect(fast).toEqual(viaDriver(RoomMemberEntity, row));
    expect(fast.muted).toBe(true);
  });
});

/** A MySQL transaction's connection as rawQueries sees it, answering each statement when told to. */
function fakeMysqlTransaction() {
  const sent: string[] = [];
  const pending: ((err: Error | null) => void)[] = [];
  const em = {
    connection: { driver: { options: { type: 'mysql' } } },
    queryRunner: {
      isReleased: false,
      databaseConnection: {
        query(sql: string, _params: unknown[], cb: (err: Error | null, result?: unknown) => void) {
          sent.push(sql.split(' ')[0]!);
          pending.push((err) => cb(err, []));
        },
      },
    },
  } as unknown as EntityManager;
  const answerNext = async (err: Error | null = null) => {
    await new Promise((r) => setImmediate(r));
    pending.shift()!(err);
  };
  return { em, sent, answerNext };
}

describe('rawQueries on a MySQL transaction', () => {
  it('queues reads behind the first statement at once', async () => {
    const { em, sent, answerNext } = fakeMysqlTransaction();
    const done = rawQueries(em, [
      ['UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ?', ['r']],
      ['SELECT kind FROM rooms WHERE id = ?', ['r']],
    ]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual(['UPDATE', 'SELECT']);
    await answerNext();
    await answerNext();
    await expect(done).resolves.toHaveLength(2);
  });

  it('sends a write only once the statement before it has answered, so a deadlock leaves nothing to run on its own', async () => {
    const { em, sent, answerNext } = fakeMysqlTransaction();
    const done = rawQueries(em, [
      ['UPDATE rooms SET last_seq = ? WHERE id = ?', [2, 'r']],
      ['INSERT INTO messages (id) VALUES (?)', ['m']],
    ]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual(['UPDATE']);
    await answerNext(Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' }));
    await expect(done).rejects.toThrow('Deadlock');
    expect(sent).toEqual(['UPDATE']);
  });
});

describe('sqlInteger', () => {
  it('writes a row count as digits', () => {
    expect(sqlInteger(0)).toBe('0');
    expect(sqlInteger(51)).toBe('51');
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.MAX_SAFE_INTEGER + 1], ['1; DROP TABLE users' as unknown as number]])('refuses %p', (n) => {
    expect(() => sqlInteger(n)).toThrow('not a row count');
  });
});
