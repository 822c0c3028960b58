import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { SessionEntity, UserEntity } from '../database/entities';
import { RawRows, rawQuery } from '../database/raw-rows';

/** What a live session tells about its user: enough to authorize a request. */
export interface LiveSession {
  user: Pick<UserEntity, 'id' | 'role' | 'status' | 'employeeId' | 'name'>;
}

/** Refresh-token sessions: the only code that reads or writes the sessions table. */
@Injectable()
export class SessionsRepository {
  private readonly rows: RawRows<SessionEntity>;

  constructor(private readonly db: Database) {
    this.rows = new RawRows(db.dataSource, SessionEntity);
  }

  /**
   * The user behind a live session (not revoked, not expired), or null. Runs on every request
   * and socket check, so it is one indexed join in plain SQL (no query building) that reads only the columns access needs.
   */
  async findLive(sessionId: string, userId: string): Promise<LiveSession | null> {
    const [row] = await rawQuery<Record<'id' | 'role' | 'status' | 'employee_id' | 'name', string>[]>(
      this.db.manager,
      'SELECT u.id, u.role, u.status, u.employee_id, u.name FROM sessions s JOIN users u ON u.id = s.user_id ' +
        'WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ?',
      [sessionId, userId, this.rows.param('expiresAt', new Date())],
    );
    if (!row) return null;
    const user = { id: row.id, role: row.role, status: row.status, employeeId: row.employee_id, name: row.name } as LiveSession['user'];
    return { user };
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
