import { describe, expect, it } from 'vitest';
import { id, message } from '../test/fixtures';
import { groupByDay, mergeMessages, timeline, type OutboxItem } from './timeline';

const rid = id();
const me = id();
const other = id();

function at(day: number, hour: number): string {
  return new Date(2026, 10, day, hour, 0, 0).toISOString();
}

describe('messages grouped by day', () => {
  it('puts a day separator before the first message of each local day', () => {
    const list = [message(rid, 1, other, { createdAt: at(24, 9) }), message(rid, 2, other, { createdAt: at(24, 23) }), message(rid, 3, me, { createdAt: at(25, 0) }), message(rid, 4, me, { createdAt: at(26, 12) })];
    const rows = groupByDay(timeline(list, [], rid, me), me);
    expect(rows.map((r) => (r.kind === 'day' ? r.day : r.entry.type === 'message' ? r.entry.message.seq : 'p'))).toEqual(['2026-11-24', 1, 2, '2026-11-25', 3, '2026-11-26', 4]);
  });

  it('shows the sender’s name only on the first of a run from the same person', () => {
    const list = [message(rid, 1, other, { createdAt: at(26, 9) }), message(rid, 2, other, { createdAt: at(26, 9) }), message(rid, 3, me, { createdAt: at(26, 9) }), message(rid, 4, other, { createdAt: at(26, 9) })];
    const rows = groupByDay(timeline(list, [], rid, me), me).filter((r) => r.kind === 'entry');
    expect(rows.map((r) => r.kind === 'entry' && r.showSender)).toEqual([true, false, true, true]);
  });

  it('shows the time once for a run from one person within a minute, on its last message', () => {
    const t = (min: number, sec: number) => new Date(2026, 10, 26, 9, min, sec).toISOString();
    const list = [
      message(rid, 1, other, { createdAt: t(0, 1) }),
      message(rid, 2, other, { createdAt: t(0, 40) }),
      message(rid, 3, other, { createdAt: t(1, 5) }), // next minute
      message(rid, 4, me, { createdAt: t(1, 6) }), // another sender
      message(rid, 5, me, { createdAt: t(1, 30) }),
    ];
    const rows = groupByDay(timeline(list, [], rid, me), me).filter((r) => r.kind === 'entry');
    expect(rows.map((r) => r.kind === 'entry' && r.showTime)).toEqual([false, true, true, false, true]);
  });

  it('handles 10,000 messages quickly', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => message(rid, i + 1, i % 3 ? me : other, { createdAt: new Date(2026, 0, 1 + Math.floor(i / 100)).toISOString() }));
    const t0 = performance.now();
    const rows = groupByDay(timeline(list, [], rid, me), me);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(rows.filter((r) => r.kind === 'day')).toHaveLength(100);
  });
});

describe('merging and the outbox in the timeline', () => {
  it('keeps messages sorted by seq and replaces a message by its tombstone', () => {
    const m1 = message(rid, 1, me);
    const m3 = message(rid, 3, me);
    let list = mergeMessages([], [m3, m1]);
    expect(list.map((m) => m.seq)).toEqual([1, 3]);
    list = mergeMessages(list, [message(rid, 2, other)]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3]);
    const tomb = { ...m3, body: null, deletedAt: '2026-11-26T10:00:00.000Z' };
    list = mergeMessages(list, [tomb]);
    expect(list[2]!.deletedAt).not.toBeNull();
    expect(mergeMessages(list, [tomb])).toBe(list); // the same message twice changes nothing
  });

  it('shows a pending message until its clientId comes back, then only the stored one', () => {
    const clientId = id();
    const pending: OutboxItem = { clientId, roomId: rid, body: 'hello', createdAt: at(26, 10) };
    const before = timeline([message(rid, 1, other)], [pending], rid, me);
    expect(before.map((e) => e.type)).toEqual(['message', 'pending']);
    const echoed = message(rid, 2, me, { clientId, body: 'hello' });
    const after = timeline(mergeMessages([message(rid, 1, other)], [echoed, echoed]), [pending], rid, me);
    expect(after.map((e) => e.type)).toEqual(['message', 'message']);
    expect(after.filter((e) => e.type === 'message' && e.message.body === 'hello')).toHaveLength(1);
  });

  it('keeps a pending row’s key when it becomes the stored message, so the row is not redrawn', () => {
    const clientId = id();
    const pendingRows = groupByDay(timeline([], [{ clientId, roomId: rid, body: 'x', createdAt: at(26, 10) }], rid, me), me);
    const storedRows = groupByDay(timeline([message(rid, 1, me, { clientId, createdAt: at(26, 10) })], [], rid, me), me);
    expect(pendingRows[1]!.key).toBe(storedRows[1]!.key);
  });
});
