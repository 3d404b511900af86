import { ensureDevKeys } from '@lm/auth';
import { createMetrics, runMain, startServer } from '@lm/http';
import { createLogger } from '@lm/logger';
import path from 'path';
import { createApp } from './app';
import { loadConsoleConfig, type ConsoleConfig } from './config';
import { createDevSigner, type DevTokenSigner } from './http/dev-login.routes';

/** The dev key of libs/auth signs console sign-ins; refused outright in production. */
function devSignerFrom(config: ConsoleConfig): DevTokenSigner | undefined {
  if (!config.AUTH_DEV_LOGIN) return undefined;
  if (config.NODE_ENV === 'production') throw new Error('AUTH_DEV_LOGIN must not be set in production');
  return createDevSigner({
    privateKey: ensureDevKeys().privateKey,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.DEV_TOKEN_TTL_SECONDS,
  });
}

/** An upstream is ready when its own /healthz answers (the console is useless without them). */
function upstreamCheck(url: string) {
  return async () => {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_500) });
    if (!res.ok) throw new Error(`healthz ${res.status}`);
  };
}

async function main() {
  const config = loadConsoleConfig();
  const logger = createLogger({ service: 'console', level: config.LOG_LEVEL });
  const upstreams = { profiles: config.PROFILES_URL, matching: config.MATCHING_URL, events: config.EVENTS_URL };
  const devSigner = devSignerFrom(config);
  const app = createApp({
    logger,
    upstreams,
    webDir: config.WEB_DIR ?? path.join(__dirname, 'web'),
    ...(devSigner ? { devSigner } : {}),
    metrics: createMetrics('console'),
    readiness: { profiles: upstreamCheck(upstreams.profiles), matching: upstreamCheck(upstreams.matching), events: upstreamCheck(upstreams.events) },
  });
  const { port } = await startServer(app, { port: config.PORT, logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info({ port, upstreams, devLogin: Boolean(devSigner) }, `console listening on http://127.0.0.1:${port}`);
}

runMain('console', main);
