import { Injectable } from '@nestjs/common';
import { Database } from '../database/data-source';

/** The people whose presence a user sees without asking: everyone sharing at least one room with them. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly db: Database) {}

  /** Ids of the users who share a room with this one (not the user), each once. */
  async of(userId: string): Promise<string[]> {
    const rows: { userId: string }[] = await this.db.manager.query(
      `SELECT DISTINCT other.user_id AS userId
         FROM room_members mine
         JOIN room_members other ON other.room_id = mine.room_id
        WHERE mine.user_id = ? AND other.user_id <> ?`,
      [userId, userId],
    );
    return rows.map((r) => r.userId);
  }
}
