import type { Message, Room, RoomMember, User } from '@hi-msg/contracts';

let n = 0;
/** A uuid-shaped id that is unique within a test run. */
export function id(): string {
  n += 1;
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function user(over: Partial<User> = {}): User {
  return { id: id(), employeeId: `e${n}`, name: `User ${n}`, email: `u${n}@corp.example`, department: '개발팀', position: '선임', grade: 'G3', role: 'user', status: 'active', ...over };
}

export function member(userId: string, lastReadSeq: number, name = 'M'): RoomMember {
  return { userId, name, department: '개발팀', position: '선임', lastReadSeq, joinedAt: '2026-11-01T00:00:00.000Z' };
}

export function message(roomId: string, seq: number, senderId: string | null, over: Partial<Message> = {}): Message {
  return { id: id(), roomId, seq, senderId, clientId: null, kind: 'text', body: `message ${seq}`, file: null, createdAt: '2026-11-26T09:00:00.000Z', deletedAt: null, ...over };
}

export function room(members: RoomMember[], over: Partial<Room> = {}): Room {
  return { id: id(), kind: 'direct', name: null, createdBy: null, members, lastSeq: 0, lastReadSeq: 0, unreadCount: 0, muted: false, lastMessage: null, lastMessageAt: null, ...over };
}

/** localStorage-shaped storage backed by a Map. */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
}
