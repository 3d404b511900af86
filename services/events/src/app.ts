import { authenticate, type TokenVerifier } from '@lm/auth';
import { TOPICS } from '@lm/contracts';
import { createHttpApp, type RateLimitSettings, ReadinessCheck } from '@lm/http';
import type { Logger } from '@lm/logger';
import { Router } from 'express';
import type { Repos, ScheduleRunner } from './domain/events.ports';
import { agendaRoutes } from './http/agenda.routes';
import { buildAsyncApiDocument } from './http/asyncapi';
import { eventsRoutes } from './http/events.routes';
import { buildOpenApiDocument } from './http/openapi';
import { requestsRoutes } from './http/requests.routes';
import { scheduleRoutes } from './http/schedule.routes';
import { createWorkerScheduleRunner } from './workers/schedule.runner';

export interface AppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Record<string, ReadinessCheck>;
  /** Absent in the bare health test; every business route needs it. */
  repos?: Repos;
  scheduleBudgetMs?: number;
  meetingsTopic?: string;
  /** Abuse limits (default on); `false` in tests that need volume. */
  rateLimit?: RateLimitSettings | false;
  /** Computes schedules off the event loop; main.ts passes the worker-thread runner (closed on shutdown). */
  scheduler?: ScheduleRunner;
}

/** Express wiring only (no listen): supertest drives it directly. */
export function createApp(deps: AppDeps) {
  const routes = Router();
  if (deps.repos) {
    routes.use('/events', authenticate(deps.verifier));
    routes.use(eventsRoutes(deps.repos));
    routes.use(requestsRoutes(deps.repos));
    routes.use(scheduleRoutes(deps.repos, { budgetMs: deps.scheduleBudgetMs ?? 3000 }, deps.scheduler ?? createWorkerScheduleRunner({ concurrency: 1 })));
    routes.use(agendaRoutes(deps.repos));
  }
  return createHttpApp({
    service: 'events',
    logger: deps.logger,
    readiness: deps.readiness,
    openapi: buildOpenApiDocument,
    documents: { '/asyncapi.json': () => buildAsyncApiDocument(deps.meetingsTopic ?? TOPICS.meetings) },
    routes,
    ...(deps.rateLimit !== undefined ? { rateLimit: deps.rateLimit } : {}),
    // A schedule run holds a worker for up to its time budget.
    expensiveRoutes: [{ method: 'POST', path: /^\/events\/[^/]+\/schedule:generate$/ }],
  });
}
