import { describe, expect, it } from 'vitest';
import type { Message, Room, RoomMember } from '@hi-msg/contracts';
import { applyRoomChange, mergeListedRoom } from './room-change';

const ROOM_ID = '00000000-0000-4000-8000-000000000001';
const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
const member = (n: number, lastReadSeq = 3): RoomMember => ({ userId: id(n), name: `직원${n}`, department: '개발팀', position: '사원', lastReadSeq });
const room = (members: RoomMember[]): Room => ({
  id: ROOM_ID,
  kind: 'group',
  name: '프로젝트방',
  createdBy: id(1),
  members,
  lastSeq: 5,
  lastReadSeq: 3,
  unreadCount: 2,
  muted: true,
  lastMessage: null,
  lastMessageAt: null,
});

describe('applyRoomChange', () => {
  it('renames and keeps everything this member sees of their own', () => {
    const before = room([member(1), member(2)]);
    const after = applyRoomChange(before, { roomId: ROOM_ID, name: '새 프로젝트방' });
    expect(after).toEqual({ ...before, name: '새 프로젝트방' });
    expect(after.members).toBe(before.members);
  });

  it('adds members who came in after those held, and drops members who went out', () => {
    const before = room([member(1), member(2), member(3)]);
    const after = applyRoomChange(before, { roomId: ROOM_ID, joined: [member(4, 4)], left: [id(2)] });
    expect(after.members.map((m) => m.userId)).toEqual([id(1), id(3), id(4)]);
    expect(after.members[2]).toEqual(member(4, 4));
    expect(after).toMatchObject({ unreadCount: 2, lastReadSeq: 3, muted: true, name: '프로젝트방' });
  });

  it('does not list a member twice when the same invitation arrives again', () => {
    const once = applyRoomChange(room([member(1)]), { roomId: ROOM_ID, joined: [member(2)] });
    const twice = applyRoomChange(once, { roomId: ROOM_ID, joined: [member(2)] });
    expect(twice.members.map((m) => m.userId)).toEqual([id(1), id(2)]);
  });

  it('returns the same room when nothing it holds changes', () => {
    const before = room([member(1), member(2)]);
    expect(applyRoomChange(before, { roomId: ROOM_ID })).toBe(before);
    expect(applyRoomChange(before, { roomId: ROOM_ID, name: '프로젝트방', left: [id(9)] })).toBe(before);
  });
});

describe('mergeListedRoom', () => {
  const me = id(1);
  const msg = (seq: number, senderId: string | null, over: Partial<Message> = {}): Message => ({
    id: `00000000-0000-4000-9000-0000000000${String(seq).padStart(2, '0')}`,
    roomId: ROOM_ID,
    seq,
    senderId,
    kind: 'text',
    body: `메시지 ${seq}`,
    clientId: null,
    file: null,
    createdAt: `2026-12-07T09:00:${String(seq).padStart(2, '0')}.000Z`,
    deletedAt: null,
    ...over,
  });

  it('takes the listed room when nothing newer was heard', () => {
    const listed = room([member(1), member(2)]);
    expect(mergeListedRoom(listed, undefined, [], me)).toBe(listed);
    expect(mergeListedRoom(listed, { ...listed, name: '옛 이름' }, [], me)).toBe(listed);
  });

  it('keeps messages and read positions heard while the list was on its way, counting only others’ visible messages as unread', () => {
    const listed = room([member(1, 3), member(2, 3)]);
    const heard = [msg(5, id(2)), msg(6, null, { kind: 'system' }), msg(7, me), msg(8, id(2), { deletedAt: '2026-12-07T09:01:00.000Z' }), msg(9, id(2))];
    const held: Room = { ...listed, lastSeq: 9, lastMessage: heard[4]!, lastMessageAt: heard[4]!.createdAt, members: [member(1, 3), member(2, 7)] };
    const merged = mergeListedRoom(listed, held, heard, me);
    expect(merged).toMatchObject({ lastSeq: 9, lastMessage: heard[4], lastMessageAt: heard[4]!.createdAt, unreadCount: 2 + 1 });
    expect(merged.members.map((m) => m.lastReadSeq)).toEqual([3, 7]);
    expect(merged.name).toBe(listed.name);
  });

  it('keeps my own read position when I read meanwhile', () => {
    const listed = room([member(1, 3), member(2, 5)]);
    const held: Room = { ...listed, lastReadSeq: 5, unreadCount: 0, members: [member(1, 5), member(2, 5)] };
    expect(mergeListedRoom(listed, held, [], me)).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
  });
});
