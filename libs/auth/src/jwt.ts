import { AppError } from '@lm/errors';
import { createPublicKey } from 'crypto';
import jwt, { Algorithm } from 'jsonwebtoken';
import { Principal, ROLES, Role } from './principal';

/** Pinned: a token signed with any other algorithm (including `none` or HS*) is refused. */
export const JWT_ALGORITHM: Algorithm = 'ES256';

/** Seconds of clock skew tolerated between the issuer and this service (exp, nbf, iat). */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface JwtSettings {
  issuer: string;
  audience: string;
  /** Refuse high-S ECDSA signatures (default true); see JWT_REQUIRE_LOW_S. */
  requireLowS?: boolean;
}

// Order of the P-256 group. An ECDSA signature (r, s) verifies with (r, n − s) too, so one set of
// claims has two valid encodings; only the low-S one (s ≤ n/2, as in BIP-62 / RFC 6979 practice)
// is accepted, so a token maps to exactly one string (deny-lists, replay caches, logs).
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P256_HALF_ORDER = P256_ORDER >> 1n;
const ES256_SIGNATURE_BYTES = 64;

function signatureOf(token: string): Buffer | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]*$/.test(parts[2]!)) return undefined;
  const sig = Buffer.from(parts[2]!, 'base64url');
  return sig.length === ES256_SIGNATURE_BYTES ? sig : undefined;
}

function isLowS(sig: Buffer): boolean {
  return BigInt(`0x${sig.subarray(32).toString('hex')}`) <= P256_HALF_ORDER;
}

/** The other valid encoding of the same ES256 signature: `(r, n − s)` for `(r, s)`. */
export function signatureTwin(token: string): string {
  const sig = signatureOf(token);
  if (!sig) return token;
  const s = P256_ORDER - BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const twin = Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]);
  return `${token.slice(0, token.lastIndexOf('.'))}.${twin.toString('base64url')}`;
}

/** The same token with its signature in low-S form (what {@link signToken} issues). */
export function withLowS(token: string): string {
  const sig = signatureOf(token);
  return !sig || isLowS(sig) ? token : signatureTwin(token);
}

export interface TokenVerifier {
  verify(token: string): Principal;
}

export function createVerifier(publicKey: string, settings: JwtSettings): TokenVerifier {
  // Parsed once: given the PEM string, jsonwebtoken parses it again on every request (~0.5 ms of CPU each).
  const key = createPublicKey(publicKey);
  return {
    verify(token) {
      let claims: jwt.JwtPayload;
      const sig = signatureOf(token);
      if (settings.requireLowS !== false && sig && !isLowS(sig))
        throw new AppError('unauthenticated', 'invalid token', { details: [{ field: 'authorization', message: 'non-canonical (high-S) ECDSA signature' }] });
      try {
        const decoded = jwt.verify(token, key, {
          algorithms: [JWT_ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        if (typeof decoded === 'string') throw new Error('payload is not an object');
        claims = decoded;
      } catch (e) {
        const reason = e instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
        throw new AppError('unauthenticated', reason, { cause: e });
      }
      if (!claims.exp) throw new AppError('unauthenticated', 'token has no expiry');
      // jsonwebtoken checks nbf but not iat: a token "issued" in the future is forged or from a broken clock.
      if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
        throw new AppError('unauthenticated', 'token issued in the future');
      }
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
  const token = jwt.sign({ role: principal.role, ...(principal.org ? { org: principal.org } : {}) }, opts.privateKey, {
    algorithm: JWT_ALGORITHM,
    subject: principal.sub,
    issuer: opts.issuer,
    audience: opts.audience,
    expiresIn: opts.expiresInSeconds ?? 3600,
  });
  return withLowS(token);
}
