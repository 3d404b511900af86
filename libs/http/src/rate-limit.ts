import { AppError } from '@lm/errors';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';

/**
 * Abuse limits, per client (its IP as seen through the loopback-trusted proxy):
 * - failed authentication: only 401 answers count, so a client with a valid token is never slowed;
 *   past the limit every request of that client gets 429 until the window ends;
 * - expensive routes (imports, schedule runs, reindex): every call counts.
 * Both answer 429 `rate_limited` with `Retry-After` (seconds); the expensive-route limiter also sends
 * the IETF `RateLimit`/`RateLimit-Policy` headers on every call it counts.
 * Counters live in memory: one process, one set of counters (see the services' READMEs).
 */
export interface RateLimitSettings {
  windowMs: number;
  /** 401 answers a client may get per window. */
  failedAuthPerWindow: number;
  /** Calls of the expensive routes a client may make per window. */
  expensivePerWindow: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { windowMs: 60_000, failedAuthPerWindow: 30, expensivePerWindow: 20 };

/** A route that costs far more than a read: `method` and a regular expression on the path. */
export interface ExpensiveRoute {
  method: string;
  path: RegExp;
}

/** The `RATE_LIMIT_*` variables of `serviceEnv` (@lm/config) → settings; `false` when disabled. */
export function rateLimitsFromConfig(c: {
  RATE_LIMIT_ENABLED: boolean;
  RATE_LIMIT_WINDOW_MS: number;
  RATE_LIMIT_FAILED_AUTH: number;
  RATE_LIMIT_EXPENSIVE: number;
}): RateLimitSettings | false {
  return c.RATE_LIMIT_ENABLED
    ? { windowMs: c.RATE_LIMIT_WINDOW_MS, failedAuthPerWindow: c.RATE_LIMIT_FAILED_AUTH, expensivePerWindow: c.RATE_LIMIT_EXPENSIVE }
    : false;
}

const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

function rateLimited(what: string, limit: number, windowMs: number, resetTime: Date | undefined): AppError {
  return new AppError('rate_limited', `too many ${what}; retry later`, {
    retriable: true,
    details: [{ field: 'client', message: `limit ${limit} per ${Math.round(windowMs / 1000)} s${resetTime ? `, resets at ${resetTime.toISOString()}` : ''}` }],
  });
}

function retryAfterSeconds(resetTime: Date | undefined, windowMs: number): number {
  return Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
}

/**
 * Failed authentication: a 401 answer counts once it is sent; a client already at the limit is
 * refused before any work. (express-rate-limit's own middleware counts every request up front
 * and gives successes back afterwards, so a burst of valid parallel requests could be refused.)
 */
function failedAuthLimiter(settings: RateLimitSettings): RequestHandler {
  const store = new MemoryStore();
  store.init({ windowMs: settings.windowMs } as Parameters<MemoryStore['init']>[0]);
  const limit = settings.failedAuthPerWindow;
  return async (req, res, next) => {
    const key = clientKey(req);
    try {
      const seen = await store.get(key);
      if (seen && seen.totalHits >= limit) {
        res.setHeader('Retry-After', String(retryAfterSeconds(seen.resetTime, settings.windowMs)));
        return next(rateLimited('failed authentication attempts', limit, settings.windowMs, seen.resetTime));
      }
    } catch (e) {
      return next(e);
    }
    res.on('finish', () => {
      if (res.statusCode === 401) void store.increment(key);
    });
    next();
  };
}

/** Expensive routes: every call counts (express-rate-limit). */
function expensiveLimiter(settings: RateLimitSettings, routes: ExpensiveRoute[]): RequestHandler {
  const limit = settings.expensivePerWindow;
  return rateLimit({
    windowMs: settings.windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'expensive-operations',
    keyGenerator: clientKey,
    skip: (req) => !routes.some((r) => r.method === req.method && r.path.test(req.path)),
    // The one error path: the central handler writes the machine-readable body.
    handler: (req, _res, next) => {
      const info = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit;
      next(rateLimited('expensive operations (imports, schedule runs, reindex)', limit, settings.windowMs, info?.resetTime));
    },
  });
}

export function rateLimiters(settings: RateLimitSettings, expensive: ExpensiveRoute[]): RequestHandler[] {
  return expensive.length ? [failedAuthLimiter(settings), expensiveLimiter(settings, expensive)] : [failedAuthLimiter(settings)];
}
