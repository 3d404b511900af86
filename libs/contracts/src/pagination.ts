import { AppError } from '@lm/errors';
import { z } from './zod';

/**
 * Cursor pagination, the one shape of every list (profiles' `GET /organisations` uses the same;
 * it lives with the schemas so domain code may use it, like the other contracts):
 * `?limit=1..100&cursor=<opaque>` → `{ items, nextCursor }`, `nextCursor: null` on the last page.
 * The cursor is the last sort key (`_id`) of the previous page: unique and immutable, so pages
 * neither skip nor repeat a row when others are inserted meanwhile.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The OpenAPI/zod shape of a page of `item`. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page') })
    .openapi(name);
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

/** The id to continue after; a cursor this service did not issue is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && parsed.after.length > 0 && parsed.after.length <= 200) return parsed.after;
  } catch {
    // fall through: any undecodable cursor is a client error
  }
  throw AppError.validation('invalid query', [{ field: 'query.cursor', message: 'cursor is not one this service issued' }]);
}

/**
 * A page from rows fetched with `limit + 1` (the extra row only tells whether more exist).
 * `view` maps each stored row to what the caller may see.
 */
export function toPage<R extends { id: string }, V>(rows: R[], limit: number, view: (r: R) => V): Page<V> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
