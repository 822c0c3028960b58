import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { SessionEntity, UserEntity } from '../database/entities';

/** Refresh-token sessions: the only code that reads or writes the sessions table. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Database) {}

  /** The session and its user, when the session is live (not revoked, not expired). */
  async findLive(sessionId: string, userId: string): Promise<{ session: SessionEntity; user: UserEntity } | null> {
    const session = await this.db.manager.findOne(SessionEntity, { where: { id: sessionId, userId } });
    if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
    const user = await this.db.manager.findOne(UserEntity, { where: { id: userId } });
    return user ? { session, user } : null;
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<SessionEntity | null> {
    return em.findOne(SessionEntity, { where: { id } });
  }

  async insert(session: SessionEntity, em: EntityManager = this.db.manager): Promise<void> {
    await em.insert(SessionEntity, session);
  }

  /** Swap the refresh secret only if it is still the one presented: a racing refresh loses. */
  async rotate(id: string, expectedHash: string, nextHash: string, expiresAt: Date, em: EntityManager = this.db.manager): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ refreshHash: nextHash, expiresAt, generation: () => 'generation + 1' })
      .where('id = :id AND refresh_hash = :expectedHash AND revoked_at IS NULL', { id, expectedHash })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  async revoke(id: string, em: EntityManager = this.db.manager): Promise<void> {
    await em.update(SessionEntity, { id }, { revokedAt: new Date() });
  }

  /** Delete sessions that ended (revoked or expired) before the cutoff; returns how many. */
  async deleteEndedBefore(cutoff: Date, em: EntityManager = this.db.manager): Promise<number> {
    const res = await em
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where('(revoked_at IS NOT NULL AND revoked_at < :cutoff) OR expires_at < :cutoff', { cutoff })
      .execute();
    return res.affected ?? 0;
  }

  /** Revoke every live session of a user, except one to keep (the caller's own). */
  async revokeAllForUser(userId: string, exceptSessionId?: string, em: EntityManager = this.db.manager): Promise<void> {
    const qb = em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: new Date() })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) qb.andWhere('id <> :exceptSessionId', { exceptSessionId });
    await qb.execute();
  }
}
