import express, { Router } from 'express';
import fs from 'fs';
import helmet from 'helmet';
import path from 'path';

/**
 * Security headers for everything the console serves. The SPA is one origin: its scripts,
 * styles and API calls all come from 'self' (no inline script, no CDN), so the policy can be
 * strict. `upgrade-insecure-requests` is left out: TLS is the job of the proxy in front.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * The built single-page app: hashed assets are cached for a year, index.html never (a new
 * deployment is picked up on the next load), and any other GET that wants HTML gets index.html
 * so deep links (/events/123/schedule) work after a reload.
 */
export function spaRoutes(webDir: string): Router {
  const r = Router();
  const index = path.join(webDir, 'index.html');
  r.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  r.use(express.static(webDir, { index: false, maxAge: '1h' }));
  r.get(/^\/(?!api\/|auth\/).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    if (!fs.existsSync(index)) return res.status(503).type('text/plain').send('The console has not been built: run `npm run build -w services/console`.');
    res.setHeader('cache-control', 'no-cache').sendFile(index);
  });
  return r;
}
