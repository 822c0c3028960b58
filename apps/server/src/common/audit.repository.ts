import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/data-source';
import { AuditLogEntity } from '../database/entities';

export interface AuditInput {
  actorId: string | null;
  action: string;
  target?: string | null;
  detail?: unknown;
}

/** The audit log: every admin action writes one row, inside the action's own transaction. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async write(entry: AuditInput, em: EntityManager = this.db.manager): Promise<void> {
    await em.insert(AuditLogEntity, {
      actorId: entry.actorId,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      at: new Date(),
    });
  }

  /** Newest first, keyset-paged on id. */
  async list(limit: number, beforeId?: number): Promise<AuditLogEntity[]> {
    const qb = this.db.manager.createQueryBuilder(AuditLogEntity, 'a').orderBy('a.id', 'DESC').limit(limit);
    if (beforeId !== undefined) qb.where('a.id < :beforeId', { beforeId });
    return qb.getMany();
  }
}
