import { Injectable } from '@nestjs/common';
import type { ChangePasswordRequest, User, UserListQuery, UserListResponse } from '@hi-msg/contracts';
import { z } from 'zod';
import { assertStrongPassword, hashPassword, verifyPassword } from '../auth/password';
import { SessionsRepository } from '../auth/sessions.repository';
import { Throttle } from '../auth/throttle';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { Database } from '../database/data-source';
import { RealtimeService } from '../realtime/realtime.service';
import type { UserEntity } from '../database/entities';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { toUserDto } from './user.mapper';
import { UsersRepository } from './users.repository';

const UserCursorSchema = z.tuple([z.string(), z.string()]);

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: Throttle,
    private readonly realtime: RealtimeService,
  ) {}

  /** Any signed-in employee may browse the directory of active colleagues. */
  async list(_auth: AuthContext, query: UserListQuery): Promise<UserListResponse> {
    const after = query.cursor ? decodeCursor(UserCursorSchema, query.cursor) : undefined;
    const rows = await this.users.listActive({
      q: query.q || undefined,
      department: query.department || undefined,
      after: after && { name: after[0], id: after[1] },
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { users: page.map(toUserDto), nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null };
  }

  async me(auth: AuthContext): Promise<User> {
    return toUserDto(await this.requireUser(auth.userId));
  }

  /** Needs the current password; every other session of the account ends, this one stays. */
  async changePassword(auth: AuthContext, dto: ChangePasswordRequest): Promise<void> {
    const user = await this.requireUser(auth.userId);
    const throttleKey = user.employeeId.toLowerCase();
    await this.throttle.assertOpen('loginAccount', throttleKey);
    if (!(await verifyPassword(dto.currentPassword, user.passwordHash))) {
      await this.throttle.record('loginAccount', throttleKey);
      throw new AppError('WRONG_PASSWORD', 'The current password is not correct.');
    }
    assertStrongPassword(dto.newPassword, user.employeeId);
    const passwordHash = await hashPassword(dto.newPassword);
    await this.db.transaction(async (em) => {
      await this.users.setPassword(user.id, passwordHash, em);
      await this.sessions.revokeAllForUser(user.id, auth.sessionId, em);
    });
    await this.realtime.disconnectOtherSessions(user.id, auth.sessionId, 'password_changed');
  }

  private async requireUser(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new AppError('USER_NOT_FOUND', 'Your account no longer exists.');
    return user;
  }
}
