import { OrganisationKind, Province, S3Area, Specialty, z } from '@lm/contracts';
import { AppError } from '@lm/errors';

export const MAX_PAGE_SIZE = 100;

export const ListSort = z.enum(['id', 'name', 'updated', 'relevance']).openapi({
  description: '`id` (default without `q`: creation order), `name` (legal name A→Z), `updated` (newest first), `relevance` (default with `q`)',
});
export type ListSort = z.infer<typeof ListSort>;

export const ListQuery = z
  .object({
    kind: OrganisationKind.optional(),
    s3Area: S3Area.optional(),
    specialty: Specialty.optional(),
    province: Province.optional(),
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'full text over legal name, descriptions, needs and offers (words and word prefixes)' }),
    sort: ListSort.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict()
  .openapi('OrganisationListQuery');
export type ListQuery = z.infer<typeof ListQuery>;

/** What the read model needs to list: the filters. */
export interface ListFilter {
  kind?: string;
  s3Area?: string;
  specialty?: string;
  province?: string;
  q?: string;
}

// The cursor is the sort values of the last row of the previous page plus the sort they
// belong to (ties broken by the unique id, so pages never skip or repeat a row when others
// are inserted meanwhile). Opaque to clients.
export function encodeCursor(sort: ListSort, after: unknown[]): string {
  return Buffer.from(JSON.stringify({ s: sort, a: after }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: ListSort): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; a?: unknown };
    const scalars =
      Array.isArray(parsed.a) &&
      parsed.a.length >= 1 &&
      parsed.a.length <= 3 &&
      parsed.a.every((v) => ['string', 'number'].includes(typeof v) && String(v).length <= 200);
    if (parsed.s === sort && scalars) return parsed.a as unknown[];
  } catch {
    // fall through: any undecodable cursor is a client error
  }
  throw AppError.validation('invalid query', [{ field: 'query.cursor', message: 'cursor is not one this service issued for this sort' }]);
}
