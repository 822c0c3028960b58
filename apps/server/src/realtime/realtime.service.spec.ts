import { Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import { RealtimeService } from './realtime.service';

describe('RealtimeService.disconnectOtherSessions', () => {
  afterEach(() => jest.restoreAllMocks());

  it('closes the other sessions’ sockets and keeps the one asked to keep', async () => {
    const kept = { data: { auth: { sessionId: 'keep' } }, emit: jest.fn(), disconnect: jest.fn() };
    const other = { data: { auth: { sessionId: 'old' } }, emit: jest.fn(), disconnect: jest.fn() };
    const service = new RealtimeService();
    service.attach({ in: () => ({ fetchSockets: async () => [kept, other] }) } as unknown as Server);
    await service.disconnectOtherSessions('u1', 'keep', 'password_changed');
    expect(other.emit).toHaveBeenCalledWith('session_revoked', { reason: 'password_changed' });
    expect(other.disconnect).toHaveBeenCalledWith(true);
    expect(kept.disconnect).not.toHaveBeenCalled();
  });

  it('does not fail the password change when other processes cannot be asked (their sockets go at the next session check)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const service = new RealtimeService();
    service.attach({ in: () => ({ fetchSockets: () => Promise.reject(new Error('timeout reached while waiting for fetchSockets response')) }) } as unknown as Server);
    await expect(service.disconnectOtherSessions('u1', 'keep', 'password_changed')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('timeout reached'));
  });
});
