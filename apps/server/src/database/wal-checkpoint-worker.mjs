// The thread of WalCheckpointer (wal-checkpointer.ts). Plain JavaScript, since a worker thread
// loads it straight from disk, from src under the tests as from dist in production. It holds its
// own connection to the database file and copies the write-ahead log back into it now and then;
// a PASSIVE checkpoint never waits for, nor holds up, the event loop's connection.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { driver, file, everyMs } = workerData;
const Sqlite = createRequire(import.meta.url)(driver);
const db = new Sqlite(file, { fileMustExist: true });

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing this time: the next tick tries again, and the writer's own automatic
    // checkpoint still bounds the log.
  }
}, everyMs);

parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
