import type { Express } from 'express';
import request from 'supertest';

// The events API's routes as data for the contract test's error matrix: each with a valid call's
// parts, a bad body or query, and what the matrix expects of it.

/** Each route with a valid call's parts and a bad body or query (400); `{id}` etc. are filled per probe. */
export interface Route {
  method: 'get' | 'post' | 'patch' | 'put';
  path: string;
  body?: (ids: Ids) => object;
  bad?: { body?: object; query?: Record<string, unknown> };
  /** Anyone signed in may call it (no 403 for an organisation taking no part). */
  open?: boolean;
  /** Takes If-Match: a stale version is a 412. */
  versioned?: boolean;
  /** Changes the event: refused with 409 once it is cancelled. */
  write?: boolean;
  /** Who makes the valid call after the cancellation (default staff). */
  as?: (ids: Ids) => string;
}
export type Ids = { id: string; pid: Record<string, string>; rid: string; mid: string };
/** Every route of the service, as the error matrix calls it. */
export function contractRoutes(h: { eventBody: (title: string) => object; orgToken: (org: string) => string }): Route[] {
  const { eventBody, orgToken } = h;
  return [
    { method: 'post', path: '/events', body: () => eventBody('Contract: matrix'), bad: { body: { title: 1 } }, open: false },
    { method: 'get', path: '/events', bad: { query: { limit: 0 } }, open: true },
    { method: 'post', path: '/events/{id}:cancel', body: () => ({}), bad: { body: { reason: 5 } }, versioned: true },
    { method: 'get', path: '/events/{id}', open: true },
    { method: 'patch', path: '/events/{id}', body: () => ({ title: 'Contract: renamed' }), bad: { body: { title: 5 } }, versioned: true, write: true },
    { method: 'post', path: '/events/{id}/participants', body: () => ({ organisationId: 'co-2' }), bad: { body: { organisationId: 5 } }, write: true },
    { method: 'get', path: '/events/{id}/participants', bad: { query: { limit: 0 } } },
    { method: 'patch', path: '/events/{id}/participants/{pid}', body: () => ({ vip: true }), bad: { body: {} }, write: true },
    { method: 'post', path: '/events/{id}/participants/{pid}:withdraw', write: true },
    { method: 'get', path: '/events/{id}/participants/{pid}/suggestions', bad: { query: { limit: 0 } } },
    { method: 'get', path: '/events/{id}/participants/{pid}/agenda', bad: { query: { format: 'pdf' } } },
    { method: 'post', path: '/events/{id}/requests', body: (ids) => ({ to: ids.pid['inv-1'], from: ids.pid['co-2'] }), bad: { body: { to: 5 } }, write: true },
    { method: 'get', path: '/events/{id}/requests', bad: { query: { limit: 0 } } },
    { method: 'post', path: '/events/{id}/requests/{rid}/accept', write: true, as: () => orgToken('rc-1') },
    { method: 'post', path: '/events/{id}/requests/{rid}/decline', write: true, as: () => orgToken('rc-1') },
    { method: 'post', path: '/events/{id}/schedule:generate', bad: { query: { budgetMs: 1 } }, write: true },
    { method: 'get', path: '/events/{id}/schedule/run' },
    { method: 'get', path: '/events/{id}/schedule' },
    {
      method: 'patch',
      path: '/events/{id}/schedule',
      body: (ids) => ({ edits: [{ op: 'remove', meetingId: ids.mid }] }),
      bad: { body: { edits: [] } },
      versioned: true,
      write: true,
    },
    { method: 'post', path: '/events/{id}/schedule:publish', bad: { query: { wait: 'maybe' } }, versioned: true, write: true },
    { method: 'get', path: '/events/{id}/schedule/publication' },
    { method: 'post', path: '/events/{id}/meetings/{mid}/check-in', body: (ids) => ({ participantId: ids.pid['co-1'] }), bad: { body: {} }, write: true },
    { method: 'post', path: '/events/{id}/meetings/{mid}/no-show', body: (ids) => ({ participantId: ids.pid['co-1'] }), bad: { body: {} }, write: true },
    {
      method: 'put',
      path: '/events/{id}/meetings/{mid}/feedback',
      body: () => ({ outcome: 'cooperation_possible' }),
      bad: { body: {} },
      write: true,
      as: () => orgToken('co-1'),
    },
    { method: 'get', path: '/events/{id}/analytics' },
  ];
}

/** A route called with its ids filled in: as `auth`, with `body` / `query` / `If-Match` when given (else its valid body). */
export function callRoute(
  app: Express,
  route: Route,
  ids: Ids,
  opts: { auth?: string; body?: object; query?: Record<string, unknown>; ifMatch?: string } = {},
) {
  const url = route.path.replace('{id}', ids.id).replace('{pid}', ids.pid['co-1']!).replace('{rid}', ids.rid).replace('{mid}', ids.mid);
  let req = request(app)
    [route.method](url)
    .query(opts.query ?? {});
  if (opts.auth) req = req.set('Authorization', opts.auth);
  if (opts.ifMatch) req = req.set('If-Match', opts.ifMatch);
  return route.method === 'get' ? req : req.send(opts.body ?? route.body?.(ids) ?? {});
}
