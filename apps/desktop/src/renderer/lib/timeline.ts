import type { Message } from '@hi-msg/contracts';

/** A message written here that the server has not acknowledged yet. */
export interface OutboxItem {
  clientId: string;
  roomId: string;
  body?: string;
  fileId?: string;
  fileName?: string;
  createdAt: string;
  /** Set when the server refused it for good (e.g. the room is gone); shown with a retry/remove choice. */
  error?: string;
}

/** Insert or replace messages (by seq) keeping the list sorted by seq; the same array when nothing changed. */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, Message>();
  for (const m of existing) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    const old = bySeq.get(m.seq);
    if (old && old.id === m.id && old.deletedAt === m.deletedAt && old.body === m.body && old.senderId === m.senderId) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  if (!changed) return existing;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export type TimelineEntry =
  | { type: 'message'; message: Message }
  | { type: 'pending'; item: OutboxItem };

/**
 * What a room shows: its stored messages, then my pending ones. A pending item whose clientId
 * already came back from the server (ack or echo) is not shown twice.
 */
export function timeline(messages: Message[], outbox: OutboxItem[], roomId: string, myId: string | null): TimelineEntry[] {
  const acked = new Set<string>();
  for (const m of messages) if (m.clientId && m.senderId === myId) acked.add(m.clientId);
  const entries: TimelineEntry[] = messages.map((message) => ({ type: 'message', message }));
  for (const item of outbox) if (item.roomId === roomId && !acked.has(item.clientId)) entries.push({ type: 'pending', item });
  return entries;
}

export type Row =
  | { kind: 'day'; key: string; day: string }
  | { kind: 'entry'; key: string; entry: TimelineEntry; showSender: boolean; showTime: boolean };

function localDayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function entryTime(e: TimelineEntry): string {
  return e.type === 'message' ? e.message.createdAt : e.item.createdAt;
}

function entrySender(e: TimelineEntry, myId: string | null): string | null {
  return e.type === 'message' ? e.message.senderId : myId;
}

/**
 * Rows for the virtual list: a day separator before the first message of each local day, and
 * the sender's name only on the first of a run of messages from the same person.
 */
export function groupByDay(entries: TimelineEntry[], myId: string | null): Row[] {
  const rows: Row[] = [];
  let lastDay = '';
  let lastSender: string | null | undefined;
  for (const entry of entries) {
    const day = localDayKey(entryTime(entry));
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day-${day}`, day });
      lastDay = day;
      lastSender = undefined;
    }
    const sender = entrySender(entry, myId);
    const isSystem = entry.type === 'message' && entry.message.kind === 'system';
    const key = entry.type === 'message' ? (entry.message.clientId && entry.message.senderId === myId ? `c-${entry.message.clientId}` : `m-${entry.message.id}`) : `c-${entry.item.clientId}`;
    rows.push({ kind: 'entry', key, entry, showSender: !isSystem && sender !== lastSender, showTime: true });
    lastSender = isSystem ? undefined : sender;
  }
  // As in KakaoTalk, a run of messages from one person within one minute shows the time once, on its last.
  for (let i = 0; i < rows.length - 1; i += 1) {
    const row = rows[i]!;
    const next = rows[i + 1]!;
    if (row.kind !== 'entry' || next.kind !== 'entry' || next.showSender) continue;
    if (minuteOf(entryTime(row.entry)) === minuteOf(entryTime(next.entry))) row.showTime = false;
  }
  return rows;
}

function minuteOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 60_000);
}
