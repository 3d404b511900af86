import type { Logger } from '@lm/logger';
import { randomUUID } from 'crypto';
import express, { Express, RequestHandler, Router } from 'express';
import pinoHttp from 'pino-http';
import { errorHandler, notFoundHandler } from './error.handler';
import { Metrics, createMetrics } from './metrics';
import { DEFAULT_RATE_LIMITS, ExpensiveRoute, RateLimitSettings, rateLimiters } from './rate-limit';
import { securityHeaders } from './security';
import { withDeadline } from './server';

/** A readiness check: resolves when the engine answers, rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  /** engine name → check; /readyz is 200 only when all pass. */
  readiness?: Record<string, ReadinessCheck>;
  /** Served at /openapi.json (generated from the contracts' schemas). */
  openapi?: () => unknown;
  /** Extra documents, e.g. { '/asyncapi.json': () => doc }; each is built on its first request, once per app (so per configuration). */
  documents?: Record<string, () => unknown>;
  routes: Router;
  bodyLimit?: string;
  metrics?: Metrics;
  /** Per-client abuse limits; defaults on. `false` only for tests and benches that need volume. */
  rateLimit?: RateLimitSettings | false;
  /** Routes limited as expensive (imports, schedule runs, reindex). */
  expensiveRoutes?: ExpensiveRoute[];
  /**
   * Security headers for every response; default: those of a JSON API (nothing may load, no-store).
   * An app that serves pages and cacheable assets (the console) brings its own policy.
   */
  securityHeaders?: RequestHandler | RequestHandler[];
}

const READINESS_TIMEOUT_MS = 2_000;

export function createHttpApp(opts: HttpAppOptions): Express {
  const app = express();
  const metrics = opts.metrics ?? createMetrics(opts.service);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.locals.metrics = metrics;

  app.use(
    pinoHttp({
      logger: opts.logger,
      // Reuse an incoming id (from a gateway or another service) so one request is traceable across services.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
      customAttributeKeys: { reqId: 'requestId' },
    }),
  );
  app.use(opts.securityHeaders ?? securityHeaders());
  app.use(metrics.middleware);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.service, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(opts.readiness ?? {}).map(async ([name, check]) => {
        try {
          await withDeadline(check(), READINESS_TIMEOUT_MS, name);
          return [name, 'ok'] as const;
        } catch (e) {
          return [name, `error: ${e instanceof Error ? e.message : String(e)}`] as const;
        }
      }),
    );
    const ready = entries.every(([, v]) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(entries) });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  // After the probes (an abusive neighbour must not turn an orchestrator's /readyz into 429),
  // before body parsing (a refused client costs no parsing).
  const limits = opts.rateLimit ?? DEFAULT_RATE_LIMITS;
  if (limits) app.use(rateLimiters(limits, opts.expensiveRoutes ?? []));
  app.use(express.json({ limit: opts.bodyLimit ?? '1mb' }));

  if (opts.openapi) {
    const openapi = opts.openapi;
    app.get('/openapi.json', (_req, res) => {
      res.json(openapi());
    });
  }
  for (const [route, build] of Object.entries(opts.documents ?? {})) {
    let doc: unknown;
    app.get(route, (_req, res) => {
      res.json((doc ??= build()));
    });
  }

  app.use(opts.routes);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
