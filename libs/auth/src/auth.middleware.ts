import { AppError } from '@lm/errors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenVerifier } from './jwt';
import type { Principal, Role } from './principal';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Reads `Authorization: Bearer <jwt>`; 401 when missing or invalid. */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return next(new AppError('unauthenticated', 'missing bearer token'));
    try {
      req.principal = verifier.verify(match[1]!);
      // Every later log line of this request names who made it (pino-http's request logger).
      (req as { log?: { setBindings?: (b: object) => void } }).log?.setBindings?.({ sub: req.principal.sub, role: req.principal.role });
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** 403 unless the authenticated principal has one of the roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) return next(new AppError('unauthenticated', 'missing bearer token'));
    if (!roles.includes(req.principal.role)) {
      return next(new AppError('forbidden', `role ${req.principal.role} may not do this (needs ${roles.join(' or ')})`));
    }
    next();
  };
}

/** The principal of an authenticated request (routes behind `authenticate`). */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'missing bearer token');
  return req.principal;
}
