import { z } from 'zod';

export const UuidSchema = z.uuid();
/** Path parameter that must be a uuid. */
export const IdParamSchema = z.object({ id: z.uuid() }).strict();

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
