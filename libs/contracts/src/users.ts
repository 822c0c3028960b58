import { z } from 'zod';
import { uuid } from './common';

export const ROLES = ['user', 'admin'] as const;
export const USER_STATUSES = ['pending', 'active', 'rejected'] as const;

export const EmployeeIdSchema = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
/** 8 to 128 characters; the server also refuses common passwords. */
export const PasswordSchema = z.string().min(8).max(128);
const text = (max: number) => z.string().trim().min(1).max(max);

export const UserSchema = z.object({
  id: uuid(),
  employeeId: z.string(),
  name: z.string(),
  email: z.string(),
  department: z.string(),
  position: z.string(),
  grade: z.string(),
  role: z.enum(ROLES),
  status: z.enum(USER_STATUSES),
});
export type User = z.infer<typeof UserSchema>;

export const RegisterRequestSchema = z
  .object({
    employeeId: EmployeeIdSchema,
    password: PasswordSchema,
    name: text(64),
    email: z.email().max(254),
    department: text(64),
    position: text(64),
    grade: text(32),
  })
  .strict();
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;
export const RegisterResponseSchema = z.object({ user: UserSchema });

export const LoginRequestSchema = z
  .object({
    employeeId: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
    device: z.string().max(120).optional(),
  })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const TokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;
export const LoginResponseSchema = TokenPairSchema.extend({ user: UserSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/**
 * `refreshToken` is `<sessionId>.<secret>`, valid 30 days from its last use. Each refresh returns a
 * new one and the old one stops working; presenting an old one again ends that session.
 */
export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
export const LogoutRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) }).strict();

export const ChangePasswordRequestSchema = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: PasswordSchema })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

export const UserListQuerySchema = z
  .object({
    q: z.string().trim().max(64).optional(),
    department: z.string().trim().max(64).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type UserListQuery = z.infer<typeof UserListQuerySchema>;
export const UserListResponseSchema = z.object({
  users: z.array(UserSchema),
  nextCursor: z.string().nullable(),
});
export type UserListResponse = z.infer<typeof UserListResponseSchema>;

export const RESET_STATUSES = ['pending', 'approved', 'rejected', 'completed', 'expired'] as const;
export const ResetStatusSchema = z.enum(RESET_STATUSES);
export type ResetStatus = z.infer<typeof ResetStatusSchema>;

/**
 * Always answers 201 with a ticket, whether or not the employee ID and e-mail match an active
 * account, so the answer never tells whether the account exists. A ticket that matched nothing
 * reads as `pending` for ever. Requests expire after 24 hours; an approval gives 24 more.
 */
export const ResetRequestSchema = z.object({ employeeId: z.string().min(1).max(64), email: z.email().max(254) }).strict();
/**
 * The code the requester's screen shows and the admin's list shows beside the request, for the
 * admin to compare (by phone, in person) before approving: anyone who knows an employee ID and
 * e-mail can ask for a reset, only the employee sees this code. Made from the ticket's SHA-256
 * (hex), which is all the server keeps of it: six digits, "123 456".
 */
export function resetCheckCode(ticketSha256Hex: string): string {
  const n = Number.parseInt(ticketSha256Hex.slice(0, 12), 16) % 1_000_000;
  const digits = String(n).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

export const ResetRequestResponseSchema = z.object({ requestId: uuid(), ticket: z.string(), code: z.string() });
export const ResetStatusRequestSchema = z.object({ ticket: z.string().min(1).max(256) }).strict();
export const ResetStatusResponseSchema = z.object({ status: ResetStatusSchema });
/** Works only while the request is `approved` (otherwise 409 RESET_NOT_APPROVED with details.status); ends every session of the account. */
export const ResetCompleteRequestSchema = z
  .object({ ticket: z.string().min(1).max(256), newPassword: PasswordSchema })
  .strict();
