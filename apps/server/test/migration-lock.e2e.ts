import { createConnection } from 'mysql2/promise';
import type { AppConfig } from '../src/config/config';
import { openDatabase } from '../src/database/data-source';
import { freshMysqlDatabase } from './harness';

// MySQL only: SQLite has one writer and migrates in one transaction.
(process.env.TEST_MYSQL_URL ? describe : describe.skip)('migrations on MySQL while another process migrates', () => {
  it('wait for the lock, and when it does not come, stop with a message instead of migrating beside the other', async () => {
    const mysql = await freshMysqlDatabase();
    const other = await createConnection(mysql.url);
    try {
      const [[held]] = (await other.query(`SELECT GET_LOCK('hi_msg_migrations', 5) AS got`)) as unknown as [{ got: number }[]];
      expect(held!.got).toBe(1);
      const config = { db: { type: 'mysql', url: mysql.url } } as AppConfig;
      await expect(openDatabase(config, {}, 1)).rejects.toThrow(/another server process has been migrating/);
      const [tables] = (await other.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()`)) as unknown as [{ n: number }[]];
      expect(Number(tables[0]!.n)).toBe(0);

      await other.query(`SELECT RELEASE_LOCK('hi_msg_migrations')`);
      const db = await openDatabase(config, {}, 1);
      await db.close();
    } finally {
      await other.end();
      await mysql.drop();
    }
  });
});
