import type { Logger } from '@lm/logger';
import type { IncomingMessage, ServerResponse } from 'http';
import { AppError } from '@lm/errors';
import { Router } from 'express';
import { createProxyMiddleware, fixRequestBody } from 'http-proxy-middleware';

export interface Upstreams {
  profiles: string;
  matching: string;
  events: string;
}

/**
 * One origin for the browser: `/api/<service>/…` goes to that service with the path after the
 * prefix, the caller's Authorization header and the request id, so no CORS is needed and a
 * request can be followed across the console and the service logs.
 */
export function proxyRoutes(upstreams: Upstreams, logger: Logger): Router {
  const r = Router();
  for (const [name, target] of Object.entries(upstreams)) {
    r.use(
      `/api/${name}`,
      createProxyMiddleware({
        target,
        changeOrigin: true,
        xfwd: true,
        proxyTimeout: 60_000,
        on: {
          proxyReq: (proxyReq, req) => {
            const id = (req as IncomingMessage & { id?: unknown }).id;
            if (typeof id === 'string') proxyReq.setHeader('x-request-id', id);
            // express.json() (in the shared app kit) has read JSON bodies already: write them again.
            fixRequestBody(proxyReq, req as IncomingMessage & { body?: unknown });
          },
          error: (err, _req, res) => {
            logger.warn({ err, upstream: name }, 'upstream unreachable');
            const out = res as ServerResponse;
            if ('headersSent' in out && !out.headersSent) {
              const unavailable = new AppError('dependency_unavailable', `the ${name} service is not reachable`);
              out.writeHead(unavailable.status, { 'content-type': 'application/json' });
              out.end(JSON.stringify(unavailable.toBody()));
            } else if ('destroy' in out) out.destroy();
          },
        },
      }),
    );
  }
  return r;
}
