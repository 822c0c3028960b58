import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { hashPassword } from '../auth/password';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { UserEntity } from '../database/entities';
import { UsersRepository } from './users.repository';

export const INITIAL_ADMIN_FILE = 'initial-admin.txt';

/**
 * On the first start (no admin yet) create the admin from ADMIN_EMPLOYEE_ID and ADMIN_PASSWORD,
 * or a random password printed once and written to DATA_DIR/initial-admin.txt (mode 0600).
 * Two processes starting together both try; the unique employee id lets exactly one win.
 */
@Injectable()
export class InitialAdminService implements OnApplicationBootstrap {
  private readonly log = new Logger('Hi_Msg');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.anyAdmin()) return;
    const { employeeId } = this.config.admin;
    const generated = this.config.admin.password === undefined;
    const password = this.config.admin.password ?? randomBytes(18).toString('base64url');
    const now = new Date();
    const admin = Object.assign(new UserEntity(), {
      id: randomUUID(),
      employeeId,
      name: '관리자',
      email: `${employeeId}@hi-msg.local`,
      department: '관리',
      position: '관리자',
      grade: '-',
      passwordHash: await hashPassword(password),
      role: 'admin' as const,
      status: 'active' as const,
      tokenVersion: 0,
      createdAt: now,
      approvedAt: now,
      approvedBy: null,
    });
    const clash = await this.users.insert(admin);
    if (clash) {
      // Another process created it first, or the id is taken by an ordinary account.
      if (!(await this.users.anyAdmin())) this.log.warn(`No admin created: employee ID "${employeeId}" is already taken. Set ADMIN_EMPLOYEE_ID to a free one.`);
      return;
    }
    if (!generated) {
      this.log.log(`Created the admin account "${employeeId}" with the password from ADMIN_PASSWORD.`);
      return;
    }
    const file = join(this.config.dataDir, INITIAL_ADMIN_FILE);
    writeFileSync(file, `employeeId=${employeeId}\npassword=${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    this.log.warn(`Created the admin account "${employeeId}" with password: ${password}\nIt is shown only this once and kept in ${file} (mode 0600). Change it after logging in.`);
  }
}
