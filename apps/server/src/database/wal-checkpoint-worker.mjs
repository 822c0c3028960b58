// The thread of WalCheckpointer (wal-checkpointer.ts). Plain JavaScript, since a worker thread
// loads it straight from disk, from src under the tests as from dist in production. It holds its
// own connection to the database file and copies the write-ahead log back into it now and then;
// a PASSIVE checkpoint never waits for, nor holds up, the event loop's connection.
//
// Messages: it posts 'quiet' when the log has grown past `restartFrames` (it wants a moment with
// no write transaction); it answers 'go' (that moment has come) with 'done' once it has copied
// the whole log back, so the next write starts the log over; 'stop' closes it.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { driver, file, everyMs, restartFrames } = workerData;
const Sqlite = createRequire(import.meta.url)(driver);
const db = new Sqlite(file, { fileMustExist: true });

/** Frames in the log, or undefined when the checkpoint could not run this time. */
function checkpoint() {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    return result?.log;
  } catch {
    // Busy or failing this time: the next tick tries again, and the writer's own automatic
    // checkpoint still bounds the log.
    return undefined;
  }
}

/** Passes a tick may make to catch up with the writer before asking for a quiet moment. */
const CATCH_UP_PASSES = 3;

let waiting = false;
const timer = setInterval(() => {
  if (waiting) return;
  let frames = checkpoint();
  if (frames === undefined || frames <= restartFrames) return;
  // Each pass copies what was committed before it began, so the next has only what came in
  // meanwhile. Ask once little came in: the writes held back then wait for a short copy. A thread
  // that cannot catch up asks anyway once the log is four times the mark.
  let fresh = frames;
  for (let pass = 1; pass < CATCH_UP_PASSES && fresh >= restartFrames / 10; pass += 1) {
    const before = frames;
    frames = checkpoint();
    if (frames === undefined) return;
    fresh = frames - before;
  }
  if (fresh < restartFrames / 10 || frames > restartFrames * 4) {
    waiting = true;
    parentPort.postMessage('quiet');
  }
}, everyMs);

parentPort.on('message', (message) => {
  if (message === 'go') {
    checkpoint();
    waiting = false;
    parentPort.postMessage('done');
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
