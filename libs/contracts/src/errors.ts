import { z } from 'zod';

/** Stable error codes. The client translates each one; never rename a code. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'INVALID_REFRESH_TOKEN',
  'ACCOUNT_PENDING',
  'ACCOUNT_REJECTED',
  'FORBIDDEN',
  'ADMIN_ONLY',
  'NOT_FOUND',
  'USER_NOT_FOUND',
  'ROOM_NOT_FOUND',
  'ROOM_NOT_MEMBER',
  'MESSAGE_NOT_FOUND',
  'NOT_MESSAGE_SENDER',
  'FILE_NOT_FOUND',
  'FILE_TOO_LARGE',
  'FILE_TYPE_NOT_ALLOWED',
  'FILE_ALREADY_SENT',
  'EMPLOYEE_ID_TAKEN',
  'EMAIL_TAKEN',
  'CONFLICT',
  'WEAK_PASSWORD',
  'WRONG_PASSWORD',
  'RESET_NOT_FOUND',
  'RESET_NOT_APPROVED',
  'RESET_ALREADY_DECIDED',
  'USER_NOT_PENDING',
  'CANNOT_DELETE_SELF',
  'BACKUP_FAILED',
  'STORAGE_FAILED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** HTTP status that goes with each code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  ACCOUNT_PENDING: 403,
  ACCOUNT_REJECTED: 403,
  FORBIDDEN: 403,
  ADMIN_ONLY: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ROOM_NOT_FOUND: 404,
  ROOM_NOT_MEMBER: 403,
  MESSAGE_NOT_FOUND: 404,
  NOT_MESSAGE_SENDER: 403,
  FILE_NOT_FOUND: 404,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_ALREADY_SENT: 409,
  EMPLOYEE_ID_TAKEN: 409,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  WEAK_PASSWORD: 400,
  WRONG_PASSWORD: 400,
  RESET_NOT_FOUND: 404,
  RESET_NOT_APPROVED: 409,
  RESET_ALREADY_DECIDED: 409,
  USER_NOT_PENDING: 409,
  CANNOT_DELETE_SELF: 409,
  BACKUP_FAILED: 500,
  STORAGE_FAILED: 503,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export const ErrorBodySchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The one error envelope every REST error and failed socket ack uses. */
export const ErrorEnvelopeSchema = z.object({ error: ErrorBodySchema });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
