import { Injectable, Logger } from '@nestjs/common';
import { RealtimeService } from '../realtime/realtime.service';
import { UsersRepository } from './users.repository';

/** Tells every active admin, live, how many signups or reset requests wait for a decision. */
@Injectable()
export class PendingNotifier {
  private readonly log = new Logger('PendingNotifier');

  constructor(
    private readonly users: UsersRepository,
    private readonly realtime: RealtimeService,
  ) {}

  /** Called after commit; a failure here must not fail the request that already succeeded. */
  async notify(kind: 'signup' | 'reset', count: () => Promise<number>): Promise<void> {
    try {
      const [adminIds, n] = await Promise.all([this.users.activeAdminIds(), count()]);
      this.realtime.toUsers(adminIds, 'admin_pending', { kind, count: n });
    } catch (err) {
      this.log.warn(`Could not notify admins of a pending ${kind}: ${String(err)}`);
    }
  }
}
