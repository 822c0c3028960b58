import { randomUUID } from 'node:crypto';
import { SessionsCleanup } from '../src/auth/sessions.cleanup';
import { SessionEntity, UserEntity } from '../src/database/entities';
import { AccessResolver } from '../src/auth/auth.guard';
import { createActiveUser, newSession } from './fixtures';
import { dialects, startServer, type TestServer } from './harness';

const DAY = 24 * 3600 * 1000;

describe.each(dialects())('ended sessions on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterAll(async () => {
    await server.close();
  });

  it('are removed a week after they end; live and recently ended ones stay', async () => {
    const user = await createActiveUser(server);
    const now = Date.now();
    const row = (over: Partial<SessionEntity>): SessionEntity => ({
      id: randomUUID(),
      userId: user.id,
      refreshHash: 'a'.repeat(64),
      generation: 0,
      device: null,
      createdAt: new Date(now - 40 * DAY),
      expiresAt: new Date(now + DAY),
      revokedAt: null,
      ...over,
    });
    const oldRevoked = row({ revokedAt: new Date(now - 8 * DAY) });
    const oldExpired = row({ expiresAt: new Date(now - 8 * DAY) });
    const recentRevoked = row({ revokedAt: new Date(now - DAY) });
    const recentExpired = row({ expiresAt: new Date(now - DAY) });
    const keep = [user.sessionId, recentRevoked.id, recentExpired.id].sort();
    for (const s of [oldRevoked, oldExpired, recentRevoked, recentExpired]) await server.db.manager.insert(SessionEntity, { ...s });

    expect(await server.app.get(SessionsCleanup).sweep(new Date(now))).toBe(2);
    const left = (await server.db.manager.find(SessionEntity, { where: { userId: user.id } })).map((s) => s.id).sort();
    expect(left).toEqual(keep);
  });

  it('give access only while neither revoked nor expired, and only to an active account', async () => {
    const user = await createActiveUser(server);
    const resolver = server.app.get(AccessResolver);
    const live = await resolver.resolve(user.accessToken);
    expect(live).toMatchObject({ userId: user.id, sessionId: user.sessionId, role: 'user', employeeId: user.employeeId, name: user.name });

    const expiring = await newSession(server, user.id);
    await server.db.manager.update(SessionEntity, { id: expiring.sessionId }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(resolver.resolve(expiring.accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const revoked = await newSession(server, user.id);
    await server.db.manager.update(SessionEntity, { id: revoked.sessionId }, { revokedAt: new Date() });
    await expect(resolver.resolve(revoked.accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    await expect(resolver.resolve(user.accessToken)).resolves.toMatchObject({ userId: user.id });
    await server.db.manager.update(UserEntity, { id: user.id }, { status: 'rejected' });
    await expect(resolver.resolve(user.accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
