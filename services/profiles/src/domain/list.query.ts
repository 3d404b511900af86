import { OrganisationKind, Province, S3Area, Specialty, z } from '@lm/contracts';
import { AppError } from '@lm/errors';

export const MAX_PAGE_SIZE = 100;

export const ListQuery = z
  .object({
    kind: OrganisationKind.optional(),
    s3Area: S3Area.optional(),
    specialty: Specialty.optional(),
    province: Province.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict()
  .openapi('OrganisationListQuery');
export type ListQuery = z.infer<typeof ListQuery>;

/** What a store needs to list: filters plus "after this id" (the cursor, decoded). */
export interface ListFilter {
  kind?: string;
  s3Area?: string;
  specialty?: string;
  province?: string;
  q?: string;
}

// The cursor is the last sort key of the previous page (`_id`, unique and immutable, so
// pages never skip or repeat a row when others are inserted meanwhile). Opaque to clients.
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && parsed.after.length > 0 && parsed.after.length <= 200) return parsed.after;
  } catch {
    // fall through: any undecodable cursor is a client error
  }
  throw AppError.validation('invalid query', [{ field: 'query.cursor', message: 'cursor is not one this service issued' }]);
}
