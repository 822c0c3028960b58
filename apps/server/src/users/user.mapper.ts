import type { User } from '@hi-msg/contracts';
import type { UserEntity } from '../database/entities';

/** The one place a stored user becomes the contract's `User`: never the hash, never internal columns. */
export function toUserDto(u: UserEntity): User {
  return {
    id: u.id,
    employeeId: u.employeeId,
    name: u.name,
    email: u.email,
    department: u.department,
    position: u.position,
    grade: u.grade,
    role: u.role,
    status: u.status,
  };
}
