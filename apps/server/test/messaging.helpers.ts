import { randomUUID } from 'node:crypto';
import type { Ack, ClientToServerEvents, Message, PresenceChange, ServerToClientEvents } from '@hi-msg/contracts';
import request from 'supertest';
import { bearer } from './accounts.helpers';
import { type ClientSocket, connectSocket, type TestServer } from './harness';

/** REST calls as one user. */
export function api(server: TestServer, token: string) {
  return {
    get: (path: string) => request(server.url).get(path).set(bearer(token)),
    post: (path: string, body?: object) => request(server.url).post(path).set(bearer(token)).send(body),
    put: (path: string, body?: object) => request(server.url).put(path).set(bearer(token)).send(body),
    delete: (path: string) => request(server.url).delete(path).set(bearer(token)),
  };
}

type AckOf<E extends keyof ClientToServerEvents> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/** Emit a client event and wait for its ack. */
export function emitAck<E extends keyof ClientToServerEvents>(socket: ClientSocket, event: E, payload: unknown, timeoutMs = 10_000): Promise<AckOf<E>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<never> }).emitWithAck(event, payload);
}

export function sendChat(socket: ClientSocket, payload: { roomId?: string; toUserId?: string; body?: string; clientId?: string; fileId?: string }): Promise<Ack<{ message: Message }>> {
  return emitAck(socket, 'chat', { clientId: randomUUID(), ...payload });
}

/** What `presence` events told, one change per entry; of one user only when named. */
export function presenceTold(events: readonly { users: PresenceChange[] }[], userId?: string): PresenceChange[] {
  const all = events.flatMap((e) => e.users);
  return userId === undefined ? all : all.filter((u) => u.userId === userId);
}

/** Every event of that name the socket receives from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on(e: string, cb: (p: never) => void): void }).on(event, (p: never) => seen.push(p));
  return seen;
}

/** Poll until the check passes, or fail with its last error. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Sockets opened in a test, closed together afterwards. */
export class Sockets {
  private readonly open: ClientSocket[] = [];

  async connect(server: TestServer, token: string): Promise<ClientSocket> {
    const s = await connectSocket(server.url, token);
    this.open.push(s);
    return s;
  }

  closeAll(): void {
    for (const s of this.open.splice(0)) s.close();
  }
}
