import { Injectable } from '@nestjs/common';
import { Database, type Dialect } from '../database/data-source';

@Injectable()
export class HealthRepository {
  constructor(private readonly db: Database) {}

  get dialect(): Dialect {
    return this.db.dialect;
  }

  /** One round trip to the database; throws when it does not answer. */
  async ping(): Promise<void> {
    await this.db.manager.query('SELECT 1');
  }
}
