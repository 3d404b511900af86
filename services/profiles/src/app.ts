import type { TokenVerifier } from '@lm/auth';
import { createHttpApp, ReadinessCheck } from '@lm/http';
import type { Logger } from '@lm/logger';
import { Router } from 'express';
import { buildOpenApiDocument } from './http/openapi';

export interface AppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Record<string, ReadinessCheck>;
}

/** Express wiring only (no listen): supertest drives it directly. */
export function createApp(deps: AppDeps) {
  const routes = Router();
  return createHttpApp({
    service: 'profiles',
    logger: deps.logger,
    readiness: deps.readiness,
    openapi: buildOpenApiDocument,
    routes,
  });
}
