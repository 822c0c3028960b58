import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { LoginRequest, LoginResponse, RegisterRequest, TokenPair, User } from '@hi-msg/contracts';
import { AppError } from '../common/app-error';
import { Database } from '../database/data-source';
import { UserEntity } from '../database/entities';
import { PendingNotifier } from '../users/pending.notifier';
import { toUserDto } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { SessionsRepository } from './sessions.repository';
import { Throttle } from './throttle';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_MS, sameDigest, TokenService } from './token.service';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'The employee ID or password is not correct.');
const invalidRefresh = () => new AppError('INVALID_REFRESH_TOKEN', 'Your session has ended. Log in again.');

/** Signup, login and the refresh-token sessions. These routes are public: the caller has no AuthContext yet. */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly throttle: Throttle,
    private readonly pending: PendingNotifier,
  ) {}

  /** A new account starts pending; admins hear about it at once. */
  async register(dto: RegisterRequest, clientAddress: string): Promise<User> {
    await this.throttle.take('register', clientAddress);
    assertStrongPassword(dto.password, dto.employeeId);
    const early = await this.users.clash(dto.employeeId, dto.email);
    if (early) throw this.taken(early);
    const user = Object.assign(new UserEntity(), {
      id: randomUUID(),
      employeeId: dto.employeeId,
      name: dto.name,
      email: dto.email,
      department: dto.department,
      position: dto.position,
      grade: dto.grade,
      passwordHash: await hashPassword(dto.password),
      role: 'user' as const,
      status: 'pending' as const,
      tokenVersion: 0,
      createdAt: new Date(),
      approvedAt: null,
      approvedBy: null,
    });
    // Checked again inside the write: a signup racing this one may have taken the id meanwhile.
    const clash = await this.db.transaction((em) => this.users.insert(user, em));
    if (clash) throw this.taken(clash);
    await this.pending.notify('signup', () => this.users.countPending());
    return toUserDto(user);
  }

  /**
   * The password is checked before the account's status, so ACCOUNT_PENDING/REJECTED never tell
   * a stranger that an employee ID exists; an unknown ID costs the same hash as a known one.
   */
  async login(dto: LoginRequest, clientAddress: string): Promise<LoginResponse> {
    const accountKey = dto.employeeId.trim().toLowerCase();
    // Each attempt is counted before the password is checked (a second), so attempts sent all at
    // once cannot get past the limit while the first are still being checked; a right password
    // gives its attempts back.
    await this.throttle.take('loginAddress', clientAddress);
    try {
      await this.throttle.take('loginAccount', accountKey);
    } catch (err) {
      await this.throttle.giveBack('loginAddress', clientAddress);
      throw err;
    }
    const user = await this.users.findByEmployeeId(dto.employeeId.trim());
    const ok = await verifyPassword(dto.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) throw invalidCredentials();
    await this.throttle.clear('loginAccount', accountKey);
    await this.throttle.giveBack('loginAddress', clientAddress);
    switch (user.status) {
      case 'pending':
        throw new AppError('ACCOUNT_PENDING', 'Your signup is waiting for an administrator to approve it.');
      case 'rejected':
        throw new AppError('ACCOUNT_REJECTED', 'Your signup was rejected. Ask your administrator.');
      case 'active':
        break;
    }
    const sessionId = randomUUID();
    const refresh = this.tokens.mintRefresh(sessionId);
    const now = Date.now();
    await this.sessions.insert({
      id: sessionId,
      userId: user.id,
      refreshHash: refresh.hash,
      generation: 0,
      device: dto.device ?? null,
      createdAt: new Date(now),
      expiresAt: new Date(now + REFRESH_TOKEN_TTL_MS),
      revokedAt: null,
    });
    return { ...this.pair(user.id, sessionId, refresh.token), user: toUserDto(user) };
  }

  /**
   * Rotate: the presented secret must be the session's current one. An older secret of the same
   * session means the token was copied (or a second client raced), so the session ends for both.
   */
  async refresh(token: string): Promise<TokenPair> {
    const presented = this.tokens.readRefresh(token);
    if (!presented) throw invalidRefresh();
    const session = await this.sessions.findById(presented.sessionId);
    if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) throw invalidRefresh();
    if (!sameDigest(session.refreshHash, presented.hash)) {
      if (presented.minted) await this.sessions.revoke(session.id);
      throw invalidRefresh();
    }
    const user = await this.users.findById(session.userId);
    if (!user || user.status !== 'active') {
      await this.sessions.revoke(session.id);
      throw invalidRefresh();
    }
    const next = this.tokens.mintRefresh(session.id);
    const rotated = await this.sessions.rotate(session.id, presented.hash, next.hash, new Date(Date.now() + REFRESH_TOKEN_TTL_MS));
    if (!rotated) {
      // Another refresh with this same secret won the race: the secret was used twice.
      await this.sessions.revoke(session.id);
      throw invalidRefresh();
    }
    return this.pair(user.id, session.id, next.token);
  }

  /** End the session the refresh token belongs to. Unknown tokens change nothing; the answer is the same. */
  async logout(token: string): Promise<void> {
    const presented = this.tokens.readRefresh(token);
    if (!presented?.minted) return;
    const session = await this.sessions.findById(presented.sessionId);
    if (session && !session.revokedAt) await this.sessions.revoke(session.id);
  }

  private pair(userId: string, sessionId: string, refreshToken: string): TokenPair {
    return { accessToken: this.tokens.signAccess({ userId, sessionId }), refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  private taken(field: 'employeeId' | 'email'): AppError {
    return field === 'employeeId'
      ? new AppError('EMPLOYEE_ID_TAKEN', 'That employee ID is already registered.')
      : new AppError('EMAIL_TAKEN', 'That e-mail address is already registered.');
  }
}
