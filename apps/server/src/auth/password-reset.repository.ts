import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Database } from '../database/data-source';
import { PasswordResetEntity, UserEntity } from '../database/entities';

type OpenStatus = 'pending' | 'approved';

/** Password-reset requests: the only code that reads or writes password_reset_requests. */
@Injectable()
export class PasswordResetRepository {
  constructor(private readonly db: Database) {}

  async insert(row: PasswordResetEntity, em: EntityManager): Promise<void> {
    await em.insert(PasswordResetEntity, row);
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<PasswordResetEntity | null> {
    return em.findOne(PasswordResetEntity, { where: { id } });
  }

  findByTicketHash(ticketHash: string): Promise<PasswordResetEntity | null> {
    return this.db.manager.findOne(PasswordResetEntity, { where: { ticketHash } });
  }

  /** Requests still open past their deadline become `expired`. */
  async expireStale(now: Date = new Date(), em: EntityManager = this.db.manager): Promise<void> {
    await em
      .createQueryBuilder()
      .update(PasswordResetEntity)
      .set({ status: 'expired' })
      .where(`status IN ('pending', 'approved') AND expires_at <= :now`, { now })
      .execute();
  }

  /** A new request replaces the user's requests still waiting for a decision. */
  async supersedePending(userId: string, em: EntityManager): Promise<void> {
    await em.update(PasswordResetEntity, { userId, status: 'pending' }, { status: 'expired' });
  }

  /** Move the request from `from` to `to` only if it is still `from` and unexpired; false when it was not. */
  async transition(id: string, from: OpenStatus, to: Partial<PasswordResetEntity>, em: EntityManager): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(PasswordResetEntity)
      .set(to)
      .where('id = :id AND status = :from AND expires_at > :now', { id, from, now: new Date() })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  countPending(): Promise<number> {
    return this.db.manager.count(PasswordResetEntity, { where: { status: 'pending' } });
  }

  /** Pending requests first (oldest first: a queue), then the latest decided ones; each with its user. */
  async listForAdmin(limit: number): Promise<{ request: PasswordResetEntity; user: UserEntity }[]> {
    const pending = await this.db.manager.find(PasswordResetEntity, { where: { status: 'pending' }, order: { requestedAt: 'ASC', id: 'ASC' }, take: limit });
    const rest =
      pending.length < limit
        ? await this.db.manager
            .createQueryBuilder(PasswordResetEntity, 'r')
            .where(`r.status <> 'pending'`)
            .orderBy('r.requested_at', 'DESC')
            .addOrderBy('r.id', 'DESC')
            .limit(limit - pending.length)
            .getMany()
        : [];
    const rows = [...pending, ...rest];
    const userIds = [...new Set(rows.map((r) => r.userId))];
    const users = userIds.length ? await this.db.manager.find(UserEntity, { where: { id: In(userIds) } }) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.flatMap((request) => {
      const user = byId.get(request.userId);
      return user ? [{ request, user }] : [];
    });
  }
}
