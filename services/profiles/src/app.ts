import type { TokenVerifier } from '@lm/auth';
import { TOPICS } from '@lm/contracts';
import { createHttpApp, Metrics, type RateLimitSettings, ReadinessCheck } from '@lm/http';
import type { Logger } from '@lm/logger';
import { Router } from 'express';
import { createImportUseCase } from './domain/import/import.usecase';
import type { OrganisationSearch } from './domain/organisation.search';
import type { OrganisationStore } from './domain/organisation.store';
import { createOrganisationUseCases } from './domain/organisation.usecases';
import { buildAsyncApiDocument } from './http/asyncapi';
import { buildOpenApiDocument } from './http/openapi';
import { organisationRoutes } from './http/organisation.routes';

export interface AppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Record<string, ReadinessCheck>;
  /** Absent in tests that only exercise health and documentation. */
  store?: OrganisationStore;
  /** The list/search read model. */
  search?: OrganisationSearch;
  /** Called after each write (the relay's kick). */
  onChange?: () => void;
  metrics?: Metrics;
  /** The topic the outbox relay publishes to (ORGANISATIONS_TOPIC), as /asyncapi.json documents it. */
  organisationsTopic?: string;
  /** Abuse limits (default on); `false` in tests that need volume. */
  rateLimit?: RateLimitSettings | false;
}

/** Express wiring only (no listen): supertest drives it directly. */
export function createApp(deps: AppDeps) {
  const routes = Router();
  if (deps.store) {
    const organisations = createOrganisationUseCases({ store: deps.store, search: deps.search, onChange: deps.onChange });
    const importOrganisations = createImportUseCase({ store: deps.store, organisations });
    routes.use(organisationRoutes({ verifier: deps.verifier, organisations, importOrganisations }));
  }
  return createHttpApp({
    service: 'profiles',
    logger: deps.logger,
    readiness: deps.readiness,
    openapi: buildOpenApiDocument,
    documents: { '/asyncapi.json': () => buildAsyncApiDocument(deps.organisationsTopic ?? TOPICS.organisations) },
    routes,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.rateLimit !== undefined ? { rateLimit: deps.rateLimit } : {}),
    expensiveRoutes: [{ method: 'POST', path: /^\/organisations:import$/ }],
  });
}
