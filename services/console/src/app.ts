import { createHttpApp, Metrics, ReadinessCheck } from '@lm/http';
import type { Logger } from '@lm/logger';
import { Router } from 'express';
import { authRoutes, type DevTokenSigner } from './http/dev-login.routes';
import { proxyRoutes, type Upstreams } from './http/proxy.routes';
import { securityHeaders, spaRoutes } from './http/spa.routes';

export interface AppDeps {
  logger: Logger;
  upstreams: Upstreams;
  /** The built SPA (index.html + assets/). */
  webDir: string;
  /** Present only when development sign-in is on (AUTH_DEV_LOGIN=1). */
  devSigner?: DevTokenSigner;
  readiness: Record<string, ReadinessCheck>;
  metrics?: Metrics;
}

/** Express wiring only (no listen): supertest drives it directly. */
export function createApp(deps: AppDeps) {
  const routes = Router();
  routes.use(authRoutes(deps.devSigner, deps.upstreams.profiles));
  routes.use(proxyRoutes(deps.upstreams, deps.logger));
  routes.use(spaRoutes(deps.webDir));
  return createHttpApp({
    service: 'console',
    logger: deps.logger,
    readiness: deps.readiness,
    routes,
    securityHeaders: securityHeaders(),
    // Organisation imports (up to the profiles service's row limit) pass through as JSON.
    bodyLimit: '20mb',
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}
