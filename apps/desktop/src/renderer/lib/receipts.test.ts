import { describe, expect, it } from 'vitest';
import { id, member, message, room } from '../test/fixtures';
import { applyRead, applyReads, carryCaughtUp, totalUnread, unreadByOthers } from './receipts';

describe('the number beside a message', () => {
  const [me, b, c] = [id(), id(), id()];
  const rid = id();

  it('counts the members other than the sender who have not read up to its seq', () => {
    const members = [member(me, 10), member(b, 7), member(c, 9)];
    expect(unreadByOthers(message(rid, 8, me), members)).toBe(1); // b has not read 8
    expect(unreadByOthers(message(rid, 10, me), members)).toBe(2); // b and c
    expect(unreadByOthers(message(rid, 7, me), members)).toBe(0);
  });

  it('does not count the sender, even when the sender’s own pointer lags', () => {
    const members = [member(me, 3), member(b, 5)];
    expect(unreadByOthers(message(rid, 5, me), members)).toBe(0);
    // A message from b that I have not read yet counts me.
    expect(unreadByOthers(message(rid, 5, b), members)).toBe(1);
  });

  it('is zero for system messages and deleted ones', () => {
    const members = [member(me, 0), member(b, 0)];
    expect(unreadByOthers(message(rid, 1, null, { kind: 'system' }), members)).toBe(0);
    expect(unreadByOthers(message(rid, 2, me, { deletedAt: '2026-11-26T10:00:00.000Z' }), members)).toBe(0);
  });

  it('a system message counts as read by the members caught up just before it, me included; the others keep their place', () => {
    const r = room([member(me, 6), member(b, 6), member(c, 4)], { kind: 'group', lastSeq: 6, lastReadSeq: 6, unreadCount: 0 });
    const carried = carryCaughtUp(r, 7);
    expect(carried.members.map((m) => m.lastReadSeq)).toEqual([7, 7, 4]);
    expect(carried).toMatchObject({ lastReadSeq: 7, unreadCount: 0 });
    // Behind already: nothing moves, not even for a second system message.
    const behind = room([member(me, 3), member(b, 5)], { kind: 'group', lastSeq: 6, lastReadSeq: 3 });
    expect(carryCaughtUp(behind, 7)).toBe(behind);
    // The next message is unread for whoever was carried and whoever was behind alike.
    expect(unreadByOthers(message(r.id, 8, me), carried.members)).toBe(2);
  });

  it('falls as read events move the members’ positions forward, never backward', () => {
    let r = room([member(me, 5), member(b, 2), member(c, 2)], { kind: 'group', lastSeq: 5, lastReadSeq: 5 });
    const m = message(r.id, 5, me);
    expect(unreadByOthers(m, r.members)).toBe(2);
    r = applyRead(r, b, 5, me);
    expect(unreadByOthers(m, r.members)).toBe(1);
    const same = applyRead(r, b, 3, me); // an older position arriving late changes nothing
    expect(same).toBe(r);
    r = applyRead(r, c, 6, me);
    expect(unreadByOthers(m, r.members)).toBe(0);
  });

  it('my own read position clears my unread count', () => {
    const r = room([member(me, 2), member(b, 9)], { lastSeq: 9, lastReadSeq: 2, unreadCount: 7 });
    const next = applyRead(r, me, 9, me);
    expect(next.unreadCount).toBe(0);
    expect(next.lastReadSeq).toBe(9);
    expect(applyRead(r, me, 6, me).unreadCount).toBe(3);
  });

  it('applies a batch of read positions as one by one would, the highest of each member, never backward', () => {
    const r = room([member(me, 2), member(b, 2), member(c, 4)], { kind: 'group', lastSeq: 9, lastReadSeq: 2, unreadCount: 7 });
    const batch = [
      { userId: b, lastReadSeq: 6 },
      { userId: c, lastReadSeq: 3 },
      { userId: me, lastReadSeq: 8 },
      { userId: b, lastReadSeq: 5 },
    ];
    const oneByOne = batch.reduce((x, p) => applyRead(x, p.userId, p.lastReadSeq, me), r);
    const together = applyReads(r, batch, me);
    expect(together).toEqual(oneByOne);
    expect(together.members.map((m) => m.lastReadSeq)).toEqual([8, 6, 4]);
    expect(together).toMatchObject({ lastReadSeq: 8, unreadCount: 1 });
    expect(applyReads(together, [{ userId: c, lastReadSeq: 1 }], me)).toBe(together);
  });

  it('totals the unread counts for the badge', () => {
    expect(totalUnread([{ unreadCount: 3 }, { unreadCount: 0 }, { unreadCount: 4 }])).toBe(7);
  });
});
