import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers of a JSON API (helmet): `X-Content-Type-Options: nosniff`, a CSP that lets
 * nothing load or frame a response, HSTS, no referrer, and `Cache-Control: no-store` because
 * responses carry one caller's data (shared caches and the browser's back button must not keep it).
 * Cross-origin resource policy is `same-site`: the console on another localhost port may read us.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
