import { z } from 'zod';

/**
 * An id, as the server stores it: lower case whatever case it came in. MySQL compares ids
 * without regard to case and the code with ===, so an id in capitals would pass one check and
 * miss the other (a member not found as one, a membership stored under a second spelling).
 */
export const uuid = () => z.uuid().toLowerCase();
export const UuidSchema = uuid();
/** Path parameter that must be a uuid. */
export const IdParamSchema = z.object({ id: uuid() }).strict();

/** Keyset paging over a room's seq: before or after a seq, never OFFSET. */
export const SeqPageQuerySchema = z
  .object({
    before: z.coerce.number().int().positive().optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type SeqPageQuery = z.infer<typeof SeqPageQuerySchema>;

/** Cursor paging for lists of people and records. */
export const CursorPageQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const IsoDateSchema = z.string();

/** GET /api/health: the server answers and its database does too. */
export const HealthResponseSchema = z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'mysql']) });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
