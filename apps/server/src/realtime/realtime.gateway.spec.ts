import { Logger } from '@nestjs/common';
import type { AccessResolver } from '../auth/auth.guard';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { MessagesService } from '../messages/messages.service';
import type { RoomsService } from '../rooms/rooms.service';
import type { ContactsRepository } from './contacts.repository';
import type { PresenceStore } from './presence.store';
import { RealtimeGateway } from './realtime.gateway';
import type { RealtimeService } from './realtime.service';

const USER = '00000000-0000-4000-8000-000000000001';

function fakeSocket() {
  return { id: 'socket-1', data: { auth: { userId: USER, role: 'user' } }, disconnected: false, on: jest.fn(), join: jest.fn(), emit: jest.fn(), disconnect: jest.fn() };
}

function gateway(presence: Partial<PresenceStore>, contacts: Partial<ContactsRepository> = { of: jest.fn(async () => []) }) {
  return new RealtimeGateway({} as AccessResolver, {} as SessionsRepository, {} as RealtimeService, {} as MessagesService, {} as RoomsService, contacts as ContactsRepository, presence as PresenceStore);
}

describe('RealtimeGateway connection handling', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('closes a socket it could not set up (presence store unreachable) instead of leaving a rejection that ends the process', async () => {
    const socket = fakeSocket();
    const gw = gateway({ connect: jest.fn(async () => Promise.reject(new Error('Connection is closed.'))) });
    await expect(gw.handleConnection(socket as never)).resolves.toBeUndefined();
    expect(socket.disconnect).toHaveBeenCalledWith(true);
    expect(socket.emit).not.toHaveBeenCalled();
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('Connection is closed.'));
  });

  it('the same when the database cannot list the user’s contacts', async () => {
    const socket = fakeSocket();
    const connect = jest.fn(async () => true);
    const gw = gateway({ connect }, { of: jest.fn(async () => Promise.reject(new Error('ECONNREFUSED'))) });
    await expect(gw.handleConnection(socket as never)).resolves.toBeUndefined();
    expect(socket.disconnect).toHaveBeenCalledWith(true);
    expect(connect).not.toHaveBeenCalled();
  });

  it('a disconnection the store cannot count is logged, not thrown', async () => {
    const gw = gateway({ disconnect: jest.fn(async () => Promise.reject(new Error('Connection is closed.'))) });
    await expect(gw.handleDisconnect(fakeSocket() as never)).resolves.toBeUndefined();
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('presence not updated'));
  });
});
