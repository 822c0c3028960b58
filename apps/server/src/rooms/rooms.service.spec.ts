import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import type { MembershipRepository } from '../common/membership.repository';
import type { RoomEntity, RoomMemberEntity } from '../database/entities';
import type { DeletionService } from '../deletion/deletion.service';
import type { MessagesRepository } from '../messages/messages.repository';
import type { RealtimeService } from '../realtime/realtime.service';
import type { RoomsRepository } from './rooms.repository';
import { READS_GATHERED_ABOVE } from '@hi-msg/contracts';
import { READS_BATCH_MS, RoomsService } from './rooms.service';

const ROOM = '00000000-0000-4000-8000-0000000000aa';
const auth: AuthContext = { userId: 'me', role: 'user', sessionId: 's', employeeId: 'e1', name: '나' };

/** The service against fakes: one room at last_seq 10, where I have read up to 4. */
function setup(member: Partial<RoomMemberEntity> | null = { lastReadSeq: 4, joinedSeq: 0 }, memberIds: readonly string[] = ['me', 'you']) {
  let pointer = member?.lastReadSeq ?? 0;
  const emitted: { userIds: readonly string[]; event: string; payload: unknown }[] = [];
  const membership = {
    requireMember: jest.fn(async () => {
      if (!member) throw new AppError('ROOM_NOT_MEMBER', 'not a member');
      return { roomId: ROOM, userId: auth.userId, ...member, lastReadSeq: pointer } as RoomMemberEntity;
    }),
    memberIds: jest.fn(async () => [...memberIds]),
    memberIdsUpTo: jest.fn(async (_roomId: string, limit: number) => memberIds.slice(0, limit)),
  } as unknown as MembershipRepository;
  const rooms = {
    findRoom: jest.fn(async () => ({ id: ROOM, lastSeq: 10 }) as RoomEntity),
    advanceRead: jest.fn(async (_r: string, _u: string, seq: number) => (pointer = Math.max(pointer, seq))),
  } as unknown as RoomsRepository;
  const realtime = { toUsers: (userIds: readonly string[], event: string, payload: unknown) => emitted.push({ userIds, event, payload }) } as unknown as RealtimeService;
  const service = new RoomsService(rooms, {} as MessagesRepository, membership, realtime, {} as DeletionService);
  return { service, emitted, rooms, membership, pointer: () => pointer };
}

describe('RoomsService.markRead', () => {
  it('moves my pointer forward and tells every member', async () => {
    const { service, emitted } = setup();
    expect(await service.markRead(auth, ROOM, 7)).toEqual({ roomId: ROOM, lastReadSeq: 7 });
    expect(emitted).toEqual([{ userIds: ['me', 'you'], event: 'read', payload: { roomId: ROOM, userId: 'me', lastReadSeq: 7 } }]);
  });

  it('reads to the end when no seq is given, and never past it', async () => {
    expect(await setup().service.markRead(auth, ROOM)).toEqual({ roomId: ROOM, lastReadSeq: 10 });
    expect(await setup().service.markRead(auth, ROOM, 99)).toEqual({ roomId: ROOM, lastReadSeq: 10 });
  });

  it('never moves back, and says nothing when nothing moved', async () => {
    const { service, emitted, rooms } = setup();
    expect(await service.markRead(auth, ROOM, 2)).toEqual({ roomId: ROOM, lastReadSeq: 4 });
    expect(rooms.advanceRead).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });

  it('in a room of more than READS_GATHERED_ABOVE members, gathers read positions and tells them in one `reads`', async () => {
    jest.useFakeTimers();
    try {
      const crowd = ['me', ...Array.from({ length: READS_GATHERED_ABOVE }, (_, i) => `m${i}`)];
      const { service, emitted, membership } = setup({ lastReadSeq: 4, joinedSeq: 0 }, crowd);
      expect(await service.markRead(auth, ROOM, 6)).toEqual({ roomId: ROOM, lastReadSeq: 6 });
      expect(await service.markRead(auth, ROOM, 8)).toEqual({ roomId: ROOM, lastReadSeq: 8 });
      expect(emitted).toEqual([]);
      // Whether the room is large is told by a few of its members; all of them are read once, for the batch.
      expect(membership.memberIds).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(READS_BATCH_MS);
      expect(emitted).toEqual([{ userIds: crowd, event: 'reads', payload: { roomId: ROOM, reads: [{ userId: 'me', lastReadSeq: 8 }] } }]);
      expect(membership.memberIds).toHaveBeenCalledTimes(1);
      await service.onModuleDestroy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('tells what it has gathered when the process stops', async () => {
    const crowd = ['me', ...Array.from({ length: READS_GATHERED_ABOVE }, (_, i) => `m${i}`)];
    const { service, emitted } = setup({ lastReadSeq: 4, joinedSeq: 0 }, crowd);
    await service.markRead(auth, ROOM, 9);
    await service.onModuleDestroy();
    expect(emitted).toEqual([{ userIds: crowd, event: 'reads', payload: { roomId: ROOM, reads: [{ userId: 'me', lastReadSeq: 9 }] } }]);
  });

  it('refuses a non-member before touching anything', async () => {
    const { service, emitted, rooms } = setup(null);
    await expect(service.markRead(auth, ROOM, 3)).rejects.toMatchObject({ code: 'ROOM_NOT_MEMBER' });
    expect(rooms.findRoom).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });
});
