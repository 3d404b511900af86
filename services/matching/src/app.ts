import type { TokenVerifier } from '@lm/auth';
import { TOPICS } from '@lm/contracts';
import { createHttpApp, type RateLimitSettings, ReadinessCheck } from '@lm/http';
import type { Logger } from '@lm/logger';
import { Router } from 'express';
import { adminRoutes } from './http/admin.routes';
import { buildAsyncApiDocument } from './http/asyncapi';
import { matchesRoutes } from './http/matches.routes';
import { buildOpenApiDocument } from './http/openapi';
import type { MatchingDeps } from './domain/matching.ports';
import type { ReindexJobs } from './domain/reindex.usecase';

export interface AppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Record<string, ReadinessCheck>;
  /** Absent in tests of the bare app (health, documents). */
  matching?: MatchingDeps;
  reindex?: ReindexJobs;
  /** The topic suggestion events go to (SUGGESTIONS_TOPIC), as /asyncapi.json documents it. */
  suggestionsTopic?: string;
  /** Abuse limits (default on); `false` in tests that need volume. */
  rateLimit?: RateLimitSettings | false;
}

/** Express wiring only (no listen): supertest drives it directly. */
export function createApp(deps: AppDeps) {
  const routes = Router();
  if (deps.matching) routes.use(matchesRoutes(deps.matching, deps.verifier));
  routes.use(adminRoutes(deps.reindex, deps.verifier));
  return createHttpApp({
    service: 'matching',
    logger: deps.logger,
    readiness: deps.readiness,
    openapi: buildOpenApiDocument,
    documents: { '/asyncapi.json': () => buildAsyncApiDocument(deps.suggestionsTopic ?? TOPICS.suggestions) },
    routes,
    ...(deps.rateLimit !== undefined ? { rateLimit: deps.rateLimit } : {}),
    expensiveRoutes: [{ method: 'POST', path: /^\/admin\/reindex$/ }],
  });
}
