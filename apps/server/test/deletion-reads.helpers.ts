import type { Message } from '@hi-msg/contracts';
import { MessagesRepository } from '../src/messages/messages.repository';
import { createActiveUser, type TestUser } from './fixtures';
import type { TestServer } from './harness';
import { api } from './messaging.helpers';

/** A 1:1 room where `a` sent three messages and deleted the second; `b` has read none of them. */
export async function roomWithDeletion(server: TestServer): Promise<{ a: TestUser; b: TestUser; roomId: string; sent: Message[] }> {
  const [a, b] = [await createActiveUser(server), await createActiveUser(server)];
  const roomId = (await api(server, a.accessToken).get(`/api/messages/${b.id}`)).body.room.id as string;
  const sent: Message[] = [];
  for (const body of ['하나', '둘', '셋']) sent.push((await api(server, a.accessToken).post('/api/messages', { roomId, clientId: crypto.randomUUID(), body })).body.message);
  expect((await api(server, a.accessToken).delete(`/api/messages/${sent[1]!.id}`)).status).toBe(200);
  return { a, b, roomId, sent };
}

type Query = (this: unknown, sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
/** Starts reporting each statement run, with its parameters; returns the undo. */
export type WatchStatements = (seen: (sql: string, params: unknown[]) => void) => () => void;

/** Every statement a query runner (`runner`, its prototype) runs. */
export function watchRunner(runner: { query: Query }): WatchStatements {
  return (seen) => {
    const query = runner.query;
    const spy = jest.spyOn(runner, 'query').mockImplementation(function (this: unknown, sql, params, structured) {
      seen(sql, Array.isArray(params) ? [...params] : []);
      return query.call(this, sql, params, structured);
    });
    return () => spy.mockRestore();
  };
}

/**
 * The statements (with their parameters) matching `pattern` that `watch` sees while `b` reads
 * the room list, which must leave the deleted message out of the unread counts, and a sync reads
 * the room's deletions, which must be it.
 */
export async function deletionReads(server: TestServer, watch: WatchStatements, pattern: RegExp, room: { b: TestUser; roomId: string; sent: Message[] }): Promise<[string, unknown[]][]> {
  const seen: [string, unknown[]][] = [];
  const unwatch = watch((sql, params) => {
    if (pattern.test(sql)) seen.push([sql, params.flat()]);
  });
  let deleted;
  try {
    const list = await api(server, room.b.accessToken).get('/api/chat-rooms?limit=50');
    expect(list.body.rooms.find((r: { id: string }) => r.id === room.roomId).unreadCount).toBe(2);
    expect(list.body.totalUnread).toBe(2);
    deleted = await server.app.get(MessagesRepository).deletedSince([room.roomId], new Date(Date.now() - 60_000), 10);
  } finally {
    unwatch();
  }
  expect(deleted.map((m) => m.id)).toEqual([room.sent[1]!.id]);
  return seen;
}
