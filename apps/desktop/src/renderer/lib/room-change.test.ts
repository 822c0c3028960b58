import { describe, expect, it } from 'vitest';
import type { Room, RoomMember } from '@hi-msg/contracts';
import { applyRoomChange } from './room-change';

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
