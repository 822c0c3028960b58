import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/data-source';
import { UserEntity } from '../database/entities';

export type UniqueClash = 'employeeId' | 'email';

export interface UserPageFilter {
  q?: string;
  department?: string;
  after?: { name: string; id: string };
  limit: number;
}

/** Escape LIKE wildcards with `!` (the same escape on both databases) so "50%" finds that text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * The users table. Employee ids and e-mails compare case-insensitively on both databases:
 * MariaDB's utf8mb4_unicode_ci does it by itself, SQLite needs NOCASE spelled out.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Database) {}

  private get nocase(): string {
    return this.db.dialect === 'sqlite' ? ' COLLATE NOCASE' : '';
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { where: { id } });
  }

  findByEmployeeId(employeeId: string, em: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return em
      .createQueryBuilder(UserEntity, 'u')
      .where(`u.employee_id = :employeeId${this.nocase}`, { employeeId })
      .getOne();
  }

  /** Which unique field an insert would clash on, if any. */
  async clash(employeeId: string, email: string, em: EntityManager = this.db.manager): Promise<UniqueClash | null> {
    if (await this.findByEmployeeId(employeeId, em)) return 'employeeId';
    const byEmail = await em
      .createQueryBuilder(UserEntity, 'u')
      .where(`u.email = :email${this.nocase}`, { email })
      .getExists();
    return byEmail ? 'email' : null;
  }

  /** Insert, or name the unique field a concurrent insert took first. */
  async insert(user: UserEntity, em: EntityManager = this.db.manager): Promise<UniqueClash | null> {
    const clash = await this.clash(user.employeeId, user.email, em);
    if (clash) return clash;
    try {
      await em.insert(UserEntity, user);
      return null;
    } catch (err) {
      const text = String((err as { message?: unknown }).message ?? '');
      // SQLite names the column, MariaDB the unique key.
      if (/users\.employee_id|uq_users_employee_id/.test(text)) return 'employeeId';
      if (/users\.email|uq_users_email/.test(text)) return 'email';
      throw err;
    }
  }

  async anyAdmin(em: EntityManager = this.db.manager): Promise<boolean> {
    return em.exists(UserEntity, { where: { role: 'admin' } });
  }

  async activeAdminIds(em: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await em.find(UserEntity, { where: { role: 'admin', status: 'active' }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  countPending(em: EntityManager = this.db.manager): Promise<number> {
    return em.count(UserEntity, { where: { status: 'pending' } });
  }

  /** Pending signups, oldest first. */
  listPending(limit: number): Promise<UserEntity[]> {
    return this.db.manager.find(UserEntity, { where: { status: 'pending' }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
  }

  /** Move a pending account to its decision; false when it was not pending (a racing admin lost). */
  async decide(id: string, status: 'active' | 'rejected', adminId: string, em: EntityManager): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(UserEntity)
      .set({ status, approvedAt: new Date(), approvedBy: adminId })
      .where(`id = :id AND status = 'pending'`, { id })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  /** New password hash; token_version moves on so anything bound to the old one is stale. */
  async setPassword(id: string, passwordHash: string, em: EntityManager): Promise<void> {
    await em
      .createQueryBuilder()
      .update(UserEntity)
      .set({ passwordHash, tokenVersion: () => 'token_version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  /** Active users ordered by (name, id), keyset-paged; q matches name or employee id. */
  listActive(filter: UserPageFilter): Promise<UserEntity[]> {
    const qb: SelectQueryBuilder<UserEntity> = this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .where(`u.status = 'active'`)
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(filter.limit);
    if (filter.q) {
      qb.andWhere(`(u.name LIKE :q ESCAPE '!' OR u.employee_id LIKE :q ESCAPE '!')`, { q: likePattern(filter.q) });
    }
    if (filter.department) qb.andWhere(`u.department = :department${this.nocase}`, { department: filter.department });
    if (filter.after) {
      qb.andWhere('(u.name > :afterName OR (u.name = :afterName AND u.id > :afterId))', {
        afterName: filter.after.name,
        afterId: filter.after.id,
      });
    }
    return qb.getMany();
  }
}
