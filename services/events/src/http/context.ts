import { decodeCursor, type Page, PageQuery, toPage } from '@lm/contracts';
import { parseOrThrow } from '@lm/http';
import type { Request } from 'express';
import type { Paged, PageRequest, Repos, UseCaseContext } from '../domain/events.ports';

export function contextOf(req: Request, repos: Repos): UseCaseContext {
  const log = (req as { log?: { info: (o: object, m: string) => void } }).log;
  return { repos, now: () => new Date(), log: (msg, data = {}) => log?.info(data, msg) };
}

export function param(req: Request, name: string): string {
  return String(req.params[name]);
}

/** `?limit&cursor` of a list (400 on anything else) → the page the use case reads. */
export function pageRequestOf(req: Request): PageRequest {
  const q = parseOrThrow(PageQuery, req.query, 'query');
  return { limit: q.limit, ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}) };
}

/** A use case's page → the list body every list answers with: `{ items, nextCursor }`. */
export function pageBody<R extends { id: string }, V>(paged: Paged<R, V>): Page<V> {
  return toPage(paged.rows, paged.limit, paged.view);
}
