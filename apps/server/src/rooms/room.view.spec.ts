import { MessageEntity, RoomEntity, RoomMemberEntity } from '../database/entities';
import { nextCursorOf, roomList, roomsFor, roomViews } from './room.view';
import { rawIso, type RoomListRow, type RoomsSnapshot } from './rooms.repository';

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

describe('roomViews', () => {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  it('gives each member the room as roomsFor would, members who see it alike in one view', () => {
    // Twelve members: caught up (9), behind at 4 (with a deleted message unread for one), muted, or joined after the last message.
    const members = Array.from({ length: 12 }, (_, i) => member('r', id(i), i < 6 ? 9 : 4, i === 11 ? 9 : 0));
    members[3]!.muted = true;
    const snap = snapshot([room('r', 9, '2026-01-03T10:00:00Z')], [...members, member('other', id(0), 1)], [message('r', 9)], new Map([[`r:${id(7)}`, 1]]));
    const asked = [...members.map((m) => m.userId), id(0), id(99)];
    const views = roomViews('r', asked, snap);

    // Everyone asked who is a member is in exactly one view, once; a non-member in none.
    expect(views.flatMap((v) => v.viewerIds).sort()).toEqual(members.map((m) => m.userId).sort());
    for (const v of views) for (const viewer of v.viewerIds) expect(v.room).toEqual(roomsFor(viewer, snap).find((r) => r.id === 'r'));
    // Caught up; caught up and muted; behind at 4; behind with one deleted; joined after the last message.
    expect(views.map((v) => v.viewerIds.length).sort((a, b) => a - b)).toEqual([1, 1, 1, 4, 5]);
    expect(views.find((v) => v.viewerIds.includes(id(11)))!.room).toMatchObject({ lastMessage: null, unreadCount: 0 });
    expect(views.find((v) => v.viewerIds.includes(id(7)))!.room.unreadCount).toBe(4);
    expect(views.find((v) => v.viewerIds.includes(id(6)))!.room.unreadCount).toBe(5);
  });

  it('is empty for a room the snapshot does not hold', () => {
    const snap = snapshot([room('r', 1, null)], [member('r', ME, 1)], []);
    expect(roomViews('missing', [ME], snap)).toEqual([]);
  });
});

describe('rawIso', () => {
  it('prints a raw date column as the entity would, from either dialect', () => {
    expect(rawIso('2026-11-26 09:05:03.007')).toBe('2026-11-26T09:05:03.007Z');
    expect(rawIso(new Date('2026-11-26T09:05:03.007Z'))).toBe('2026-11-26T09:05:03.007Z');
    expect(rawIso('2026-11-26 09:05:03')).toBe('2026-11-26T09:05:03.000Z');
    expect(rawIso('2026-11-26T09:05:03.007+09:00')).toBe('2026-11-26T00:05:03.007Z');
  });
});

describe('roomList', () => {
  function row(over: Partial<RoomListRow>): RoomListRow {
    return {
      id: 'r',
      kind: 'group',
      name: '팀',
      createdBy: ME,
      activity: '2026-01-03 10:00:00.000',
      lastSeq: 9,
      lastMessageAt: '2026-01-03 10:00:00.000',
      muted: 0,
      myLastReadSeq: 4,
      myJoinedSeq: 0,
      deletedUnread: 0,
      mId: '10000000-0000-4000-8000-000000000009',
      mSenderId: YOU,
      mClientId: null,
      mKind: 'file',
      mBody: '자료',
      mFileId: '20000000-0000-4000-8000-000000000001',
      mCreatedAt: '2026-01-03 10:00:00.000',
      mDeletedAt: null,
      fName: '자료.pdf',
      fMime: 'application/pdf',
      fSize: 1234,
      fThumbPath: null,
      ...over,
    };
  }
  const people = (userId: string, name: string | null, roomId = 'r', lastReadSeq = 0) => ({ roomId, userId, lastReadSeq, name, department: name && '개발팀', position: name && '사원' });

  it('sends members as ids and read positions, each profile once, and none for a deleted account', () => {
    const list = roomList(
      {
        rooms: [row({ deletedUnread: '2' }), row({ id: 'r2', activity: '2026-01-02 10:00:00.000', muted: 1, mId: null })],
        members: [people(ME, '나', 'r', 4), people(YOU, '너', 'r', 9), people(GONE, null, 'r', 2), people(ME, '나', 'r2'), people(YOU, '너', 'r2')],
        totalUnread: 8,
        more: false,
      },
      null,
    );
    expect(list.nextCursor).toBeNull();
    expect(list.people).toEqual([
      { id: ME, name: '나', department: '개발팀', position: '사원' },
      { id: YOU, name: '너', department: '개발팀', position: '사원' },
    ]);
    expect(list.rooms[0]).toEqual({
      id: 'r',
      kind: 'group',
      name: '팀',
      createdBy: ME,
      members: [
        { userId: ME, lastReadSeq: 4 },
        { userId: YOU, lastReadSeq: 9 },
        { userId: GONE, lastReadSeq: 2 },
      ],
      lastSeq: 9,
      lastReadSeq: 4,
      unreadCount: 3,
      muted: false,
      lastMessage: {
        id: '10000000-0000-4000-8000-000000000009',
        roomId: 'r',
        seq: 9,
        senderId: YOU,
        clientId: null,
        kind: 'file',
        body: '자료',
        file: { id: '20000000-0000-4000-8000-000000000001', name: '자료.pdf', mime: 'application/pdf', size: 1234, hasPreview: false },
        createdAt: '2026-01-03T10:00:00.000Z',
        deletedAt: null,
      },
      lastMessageAt: '2026-01-03T10:00:00.000Z',
    });
    expect(list.rooms[1]).toMatchObject({ id: 'r2', muted: true, lastMessage: null, unreadCount: 5 });
  });

  it('shows a deleted last message as a tombstone, without its body or file', () => {
    const [r] = roomList({ rooms: [row({ mDeletedAt: '2026-01-03 11:00:00.000' })], members: [people(ME, '나')], totalUnread: 5, more: false }, null).rooms;
    expect(r!.lastMessage).toMatchObject({ body: null, file: null, deletedAt: '2026-01-03T11:00:00.000Z' });
  });
});

describe('nextCursorOf', () => {
  const room = (id: string, activity: RoomListRow['activity']) => ({ id, activity }) as RoomListRow;
  const rows = (rooms: RoomListRow[], more: boolean) => ({ rooms, members: [], totalUnread: 0, more });

  it('points after the last room of a page that has more after it, from either dialect', () => {
    expect(nextCursorOf(rows([room('a', '2026-01-03 10:09:00.000'), room('c', '2026-01-03 10:05:00.000')], true))).toEqual({ at: '2026-01-03T10:05:00.000Z', id: 'c' });
    expect(nextCursorOf(rows([room('m', new Date('2026-01-03T10:08:00.000Z'))], true))).toEqual({ at: '2026-01-03T10:08:00.000Z', id: 'm' });
  });

  it('is null on the last page and on an empty one', () => {
    expect(nextCursorOf(rows([room('a', '2026-01-03 10:09:00.000')], false))).toBeNull();
    expect(nextCursorOf(rows([], false))).toBeNull();
  });
});
