// One password hashing thread of ScryptPool (scrypt-pool.ts). Plain JavaScript, since a worker
// thread loads it straight from disk, from src under the tests as from dist in production.
// scrypt runs synchronously on this thread, so it neither waits for nor fills libuv's shared
// thread pool (files, DNS); the thread takes the lowest scheduling priority, so the event loop
// thread gets the CPU first whenever both want it.
import { scryptSync } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/** The kernel's id of this thread, on Linux ('/proc/thread-self' → '<pid>/task/<tid>'); otherwise undefined. */
function ownThreadId() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

// On Linux a nice value belongs to one thread. Elsewhere setPriority would lower the whole
// process, so the thread keeps the process's priority there.
const tid = ownThreadId();
if (tid !== undefined) {
  try {
    setPriority(tid, constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: hash at the process's priority.
  }
}

/** Derive a scrypt key: { password, salt, keyLength, N, r, p, maxmem } → Buffer. */
export default function deriveKey({ password, salt, keyLength, N, r, p, maxmem }) {
  return scryptSync(password, salt, keyLength, { N, r, p, maxmem });
}
