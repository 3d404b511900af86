import createClient, { type Middleware } from 'openapi-fetch';
import type { paths as EventsPaths } from './generated/events';
import type { paths as MatchingPaths } from './generated/matching';
import type { paths as ProfilesPaths } from './generated/profiles';

/** A field-level problem as the services report it (`{error:{code,message,details}}`). */
export interface ErrorDetail {
  field: string;
  message: string;
  code?: string;
}

/** Any non-2xx answer: the status, the machine-readable code and the per-field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Details keyed by field path without the "body." prefix, e.g. `needs.0.trl.min`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) out[d.field.replace(/^body\./, '')] ??= d.message;
    return out;
  }
}

let currentToken: string | undefined;
let onUnauthenticated: () => void = () => undefined;

/** The auth provider keeps the token here; every client sends it as a bearer token. */
export function setAuth(token: string | undefined, onExpired: () => void): void {
  currentToken = token;
  onUnauthenticated = onExpired;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (currentToken) request.headers.set('authorization', `Bearer ${currentToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthenticated();
    return response;
  },
};

function withAuth<C extends { use: (m: Middleware) => void }>(c: C): C {
  c.use(auth);
  return c;
}

// One origin: the console server proxies /api/<service> to each service (no CORS).
export const profilesApi = withAuth(createClient<ProfilesPaths>({ baseUrl: '/api/profiles' }));
export const matchingApi = withAuth(createClient<MatchingPaths>({ baseUrl: '/api/matching' }));
export const eventsApi = withAuth(createClient<EventsPaths>({ baseUrl: '/api/events' }));

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch result: the data, or an ApiError with the service's details. */
export async function ok<T>(call: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = outcome;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
  throw new ApiError(response.status, body.error?.code ?? `http_${response.status}`, body.error?.message ?? response.statusText, body.error?.details ?? []);
}

/** Like ok() but also returns the response (for ETag / If-Match). */
export async function withResponse<T>(call: Promise<Outcome<T>>): Promise<{ data: T; etag: string | null }> {
  const outcome = await call;
  const data = await ok(Promise.resolve(outcome));
  return { data, etag: outcome.response.headers.get('etag') };
}

/** Lists that were plain arrays and become pages ({items, nextCursor}) read the same way. */
export function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const items = (body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

const MAX_PAGES = 50;

/**
 * Every item of a list, following `nextCursor` when the service pages it (a plain array is one
 * page). For the short lists of one event (participants, requests), which a screen shows whole.
 */
export async function allItems<T>(fetchPage: (cursor: string | undefined) => Promise<unknown>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await fetchPage(cursor);
    out.push(...itemsOf<T>(body));
    const next = Array.isArray(body) ? undefined : (body as { nextCursor?: unknown } | undefined)?.nextCursor;
    if (typeof next !== 'string' || !next) return out;
    cursor = next;
  }
  return out;
}

/** `?cursor=` only when following a page (the first request sends no query). */
export const cursorQuery = (cursor: string | undefined) => (cursor ? { query: { cursor } as never } : {});
