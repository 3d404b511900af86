import { AppError } from '@lm/errors';
import { createLogger } from '@lm/logger';
import { Router } from 'express';
import request from 'supertest';
import { createHttpApp, type RateLimitSettings } from '../src';

const logger = createLogger({ service: 'test', level: 'silent' });

/** A service with a route that 401s without `Authorization: Bearer good`, and one expensive route. */
function service(rateLimit?: RateLimitSettings | false) {
  const routes = Router();
  routes.use('/private', (req, _res, next) => next(req.headers.authorization === 'Bearer good' ? undefined : new AppError('unauthenticated', 'invalid token')));
  routes.get('/private/data', (_req, res) => {
    res.json({ ok: true });
  });
  routes.post('/private/jobs\\:run', (_req, res) => {
    res.status(202).json({ started: true });
  });
  routes.get('/boom', () => {
    throw new Error('x');
  });
  return createHttpApp({
    service: 'test',
    logger,
    routes,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    expensiveRoutes: [{ method: 'POST', path: /^\/private\/jobs:run$/ }],
  });
}

const limits: RateLimitSettings = { windowMs: 60_000, failedAuthPerWindow: 5, expensivePerWindow: 3 };

describe('security headers', () => {
  it.each([
    ['a JSON answer', (a: ReturnType<typeof service>) => request(a).get('/private/data').set('authorization', 'Bearer good'), 200],
    ['a 401', (a: ReturnType<typeof service>) => request(a).get('/private/data'), 401],
    ['a 404', (a: ReturnType<typeof service>) => request(a).get('/nowhere'), 404],
    ['a 500', (a: ReturnType<typeof service>) => request(a).get('/boom'), 500],
    ['the health probe', (a: ReturnType<typeof service>) => request(a).get('/healthz'), 200],
  ])('when the service sends %s, then it carries nosniff, a deny-all CSP, no-store and no framing', async (_what, call, status) => {
    const res = await call(service());
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('when a client keeps failing authentication, then past the limit it gets 429 rate_limited with Retry-After, even with a good token', async () => {
    const app = service(limits);
    for (let i = 0; i < 5; i++) expect((await request(app).get('/private/data').set('authorization', 'Bearer bad')).status).toBe(401);
    const res = await request(app).get('/private/data').set('authorization', 'Bearer good');
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'rate_limited', details: [{ field: 'client' }] });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The probes stay answerable for the orchestrator on the same host.
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  it('when the probe sends 300 bad tokens 10 at a time, then at most the allowance is answered 401 and the rest 429', async () => {
    const app = service({ ...limits, failedAuthPerWindow: 30 });
    const statuses: number[] = [];
    for (let round = 0; round < 30; round++) {
      statuses.push(
        ...(await Promise.all(Array.from({ length: 10 }, () => request(app).get('/private/data').set('authorization', 'Bearer forged')))).map((r) => r.status),
      );
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(40); // 30 + what was in flight when the limit was reached
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(260);
  });

  it('when a client with a valid token sends a burst of 100 parallel requests, then none is limited', async () => {
    const app = service(limits);
    const res = await Promise.all(Array.from({ length: 100 }, () => request(app).get('/private/data').set('authorization', 'Bearer good')));
    expect(res.map((r) => r.status)).toEqual(Array(100).fill(200));
  });

  it('when a client calls an expensive route past its allowance, then 429 with Retry-After; cheap routes still answer', async () => {
    const app = service(limits);
    for (let i = 0; i < 3; i++) expect((await request(app).post('/private/jobs:run').set('authorization', 'Bearer good')).status).toBe(202);
    const res = await request(app).post('/private/jobs:run').set('authorization', 'Bearer good');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['ratelimit-policy']).toContain('q=3');
    expect((await request(app).get('/private/data').set('authorization', 'Bearer good')).status).toBe(200);
  });

  it('when limits are switched off (load tests), then volume passes', async () => {
    const app = service(false);
    for (let i = 0; i < 40; i++) expect((await request(app).get('/private/data')).status).toBe(401);
    for (let i = 0; i < 25; i++) expect((await request(app).post('/private/jobs:run').set('authorization', 'Bearer good')).status).toBe(202);
  });
});
