import { AppError } from './app-error';
import type { AuthContext } from './auth-context';

/**
 * The access checks every service calls on its first line. Membership checks that need the
 * database live in RoomsRepository.requireMember; these are the ones that need only the caller.
 */
export const access = {
  requireAdmin(auth: AuthContext): void {
    if (auth.role !== 'admin') throw new AppError('ADMIN_ONLY', 'Only an administrator can do this.');
  },
  requireSelf(auth: AuthContext, userId: string): void {
    if (auth.userId !== userId) throw new AppError('FORBIDDEN', 'You can only do this for your own account.');
  },
};
