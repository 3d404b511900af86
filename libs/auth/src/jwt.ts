import { AppError } from '@lm/errors';
import jwt, { Algorithm } from 'jsonwebtoken';
import { Principal, ROLES, Role } from './principal';

/** Pinned: a token signed with any other algorithm (including `none` or HS*) is refused. */
export const JWT_ALGORITHM: Algorithm = 'ES256';

export interface JwtSettings {
  issuer: string;
  audience: string;
}

export interface TokenVerifier {
  verify(token: string): Principal;
}

export function createVerifier(publicKey: string, settings: JwtSettings): TokenVerifier {
  return {
    verify(token) {
      let claims: jwt.JwtPayload;
      try {
        const decoded = jwt.verify(token, publicKey, {
          algorithms: [JWT_ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: 5,
        });
        if (typeof decoded === 'string') throw new Error('payload is not an object');
        claims = decoded;
      } catch (e) {
        const reason = e instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
        throw new AppError('unauthenticated', reason, { cause: e });
      }
      if (!claims.exp) throw new AppError('unauthenticated', 'token has no expiry');
      const role = claims.role as Role;
      if (!ROLES.includes(role)) throw new AppError('unauthenticated', 'token has no valid role');
      if (typeof claims.sub !== 'string' || !claims.sub) throw new AppError('unauthenticated', 'token has no subject');
      if (role === 'company' && typeof claims.org !== 'string') {
        throw new AppError('unauthenticated', 'company token has no org claim');
      }
      return { sub: claims.sub, role, ...(typeof claims.org === 'string' ? { org: claims.org } : {}) };
    },
  };
}

export interface SignOptions extends JwtSettings {
  privateKey: string;
  expiresInSeconds?: number;
}

/** Signs a token the services accept (CLI, tests, demo scripts). */
export function signToken(principal: Principal, opts: SignOptions): string {
  return jwt.sign({ role: principal.role, ...(principal.org ? { org: principal.org } : {}) }, opts.privateKey, {
    algorithm: JWT_ALGORITHM,
    subject: principal.sub,
    issuer: opts.issuer,
    audience: opts.audience,
    expiresIn: opts.expiresInSeconds ?? 3600,
  });
}
