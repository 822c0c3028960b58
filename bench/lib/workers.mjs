// The runner's handle on load-generator processes (socket-worker.mjs), forked onto the load core.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './deps.mjs';

const WORKER = join(ROOT, 'bench', 'lib', 'socket-worker.mjs');

/** Fork one load-generator process; `call(cmd, args)` runs a command in it. */
export function forkWorker() {
  const child = fork(WORKER, [], { execArgv: ['--max-old-space-size=8192'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map();
  child.on('message', (msg) => {
    const w = waiting.get(msg?.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(msg.error));
    else w.resolve(msg.result);
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load generator exited with ${code}`));
    waiting.clear();
  });
  return {
    call(cmd, args = {}) {
      return new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        child.send({ cmd, id, args });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Clients for a target: the server authenticates with a token, the bare relay takes the user id. */
export function clientsFor(target, users) {
  return users.map((u) => ({ userId: u.id, auth: target.kind === 'hi' ? { token: u.token } : { user: u.id } }));
}

/** 127.0.0.2 … 127.0.0.(1+n): source addresses so tens of thousands of sockets find free ports. */
export function loopbackSources(n) {
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
}
