import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { SessionEntity, UserEntity } from '../database/entities';

/** What a live session tells about its user: enough to authorize a request. */
export interface LiveSession {
  user: Pick<UserEntity, 'id' | 'role' | 'status' | 'employeeId' | 'name'>;
}

/** Refresh-token sessions: the only code that reads or writes the sessions table. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Database) {}

  /**
   * The user behind a live session (not revoked, not expired), or null. Runs on every request
   * and socket check, so it is one indexed join that reads only the columns access needs.
   */
  async findLive(sessionId: string, userId: string): Promise<LiveSession | null> {
    const row = await this.db.manager
      .createQueryBuilder()
      .select(['u.id AS id', 'u.role AS role', 'u.status AS status', 'u.employee_id AS employeeId', 'u.name AS name'])
      .from(SessionEntity, 's')
      .innerJoin(UserEntity, 'u', 'u.id = s.user_id')
      .where('s.id = :sessionId AND s.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > :now', { sessionId, userId, now: new Date() })
      .getRawOne<LiveSession['user']>();
    return row ? { user: row } : null;
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
