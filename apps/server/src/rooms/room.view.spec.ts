import { MessageEntity, RoomEntity, RoomMemberEntity } from '../database/entities';
import { roomsFor } from './room.view';
import type { RoomsSnapshot } from './rooms.repository';

const ME = '00000000-0000-4000-8000-000000000001';
const YOU = '00000000-0000-4000-8000-000000000002';
const GONE = '00000000-0000-4000-8000-000000000003';

function room(id: string, lastSeq: number, lastMessageAt: string | null, createdAt = '2026-01-01T00:00:00Z'): RoomEntity {
  return Object.assign(new RoomEntity(), { id, kind: 'group', name: id, directKey: null, createdBy: ME, lastSeq, lastMessageAt: lastMessageAt ? new Date(lastMessageAt) : null, createdAt: new Date(createdAt) });
}
function member(roomId: string, userId: string, lastReadSeq: number, joinedSeq = 0): RoomMemberEntity {
  return Object.assign(new RoomMemberEntity(), { roomId, userId, lastReadSeq, joinedSeq, muted: false, joinedAt: new Date('2026-01-01T00:00:00Z') });
}
function message(roomId: string, seq: number): MessageEntity {
  return Object.assign(new MessageEntity(), { id: `10000000-0000-4000-8000-00000000000${seq}`, roomId, seq, senderId: YOU, clientId: null, kind: 'text', body: `m${seq}`, fileId: null, createdAt: new Date('2026-01-02T00:00:00Z'), deletedAt: null });
}
function snapshot(rooms: RoomEntity[], members: RoomMemberEntity[], last: MessageEntity[], deletedUnread = new Map<string, number>()): RoomsSnapshot {
  return {
    rooms,
    members,
    users: new Map([
      [ME, { id: ME, name: '나', department: '개발팀', position: '사원' }],
      [YOU, { id: YOU, name: '너', department: '기획팀', position: '대리' }],
    ]),
    lastMessages: new Map(last.map((m) => [m.roomId, m])),
    files: new Map(),
    deletedUnread,
  };
}

describe('roomsFor', () => {
  it('leaves deleted messages I have not read out of my unread count', () => {
    const snap = snapshot([room('r', 9, '2026-01-03T10:00:00Z')], [member('r', ME, 4), member('r', YOU, 9)], [message('r', 9)], new Map([['r:' + ME, 2], ['r:' + YOU, 1]]));
    expect(roomsFor(ME, snap)[0]!.unreadCount).toBe(3);
    expect(roomsFor(YOU, snap)[0]!.unreadCount).toBe(0);
  });

  it('counts unread from my pointer, newest activity first, rooms I am not in left out', () => {
    const snap = snapshot(
      [room('old', 5, '2026-01-01T10:00:00Z'), room('new', 9, '2026-01-03T10:00:00Z'), room('quiet', 0, null, '2026-01-02T00:00:00Z'), room('other', 3, '2026-01-04T00:00:00Z')],
      [member('old', ME, 5), member('new', ME, 4), member('new', YOU, 9), member('quiet', ME, 0), member('other', YOU, 3)],
      [message('old', 5), message('new', 9)],
    );
    const rooms = roomsFor(ME, snap);
    expect(rooms.map((r) => [r.id, r.unreadCount])).toEqual([
      ['new', 5],
      ['quiet', 0],
      ['old', 0],
    ]);
    expect(rooms[0]!.lastMessage).toMatchObject({ seq: 9, body: 'm9' });
    expect(rooms[0]!.members.map((m) => [m.name, m.lastReadSeq])).toEqual([
      ['나', 4],
      ['너', 9],
    ]);
  });

  it('hides what came before I joined, and shows a departed member under a placeholder', () => {
    const snap = snapshot([room('r', 7, '2026-01-03T10:00:00Z')], [member('r', ME, 7, 7), member('r', GONE, 2)], [message('r', 7)]);
    const [r] = roomsFor(ME, snap);
    expect(r).toMatchObject({ unreadCount: 0, lastMessage: null });
    expect(r!.members.find((m) => m.userId === GONE)).toMatchObject({ name: '(퇴사자)', lastReadSeq: 2 });
  });
});
