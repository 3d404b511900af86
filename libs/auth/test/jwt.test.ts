import { createLogger } from '@lm/logger';
import { createHttpApp } from '@lm/http';
import { Router } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { authenticate, createVerifier, generateKeyPair, principalOf, requireRole, signToken, withLowS } from '../src';

const { privateKey, publicKey } = generateKeyPair();
const settings = { issuer: 'https://issuer.test', audience: 'lombardy-match' };
const verifier = createVerifier(publicKey, settings);
const sign = (claims: object, opts: jwt.SignOptions = {}) =>
  withLowS(jwt.sign(claims, privateKey, { algorithm: 'ES256', issuer: settings.issuer, audience: settings.audience, subject: 'u1', expiresIn: 60, ...opts }));

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
/** The probe's forgery: the same token with its signature's s replaced by n − s (still a valid ECDSA signature). */
function flipS(token: string): string {
  const [head, body, sig] = token.split('.');
  const raw = Buffer.from(sig!, 'base64url');
  const s = P256_ORDER - BigInt(`0x${raw.subarray(32).toString('hex')}`);
  return `${head}.${body}.${Buffer.concat([raw.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('token verification', () => {
  it('when a company token is valid, then the principal carries role and org', () => {
    const token = signToken({ sub: 'u1', role: 'company', org: 'org-9' }, { ...settings, privateKey });
    expect(verifier.verify(token)).toEqual({ sub: 'u1', role: 'company', org: 'org-9' });
  });

  it.each([
    ['expired', () => sign({ role: 'admin' }, { expiresIn: -60 }), /expired/],
    ['wrong issuer', () => sign({ role: 'admin' }, { issuer: 'https://evil' }), /invalid/],
    ['wrong audience', () => sign({ role: 'admin' }, { audience: 'other' }), /invalid/],
    [
      'signed by another key',
      () => jwt.sign({ role: 'admin' }, generateKeyPair().privateKey, { algorithm: 'ES256', ...settings, subject: 'u', expiresIn: 60 }),
      /invalid/,
    ],
    [
      'HS256 with the public key as secret',
      () => jwt.sign({ role: 'admin' }, 'shared', { algorithm: 'HS256', ...settings, subject: 'u', expiresIn: 60 }),
      /invalid/,
    ],
    [
      'alg none',
      () =>
        jwt.sign({ role: 'admin', iss: settings.issuer, aud: settings.audience, sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' }),
      /invalid/,
    ],
    ['no expiry', () => withLowS(jwt.sign({ role: 'admin' }, privateKey, { algorithm: 'ES256', ...settings, subject: 'u' })), /expiry/],
    ['unknown role', () => sign({ role: 'root' }), /role/],
    ['company without org', () => sign({ role: 'company' }), /org/],
  ])('when the token is %s, then it is refused as unauthenticated', (_name, make, message) => {
    expect(() => verifier.verify(make())).toThrow(message);
    try {
      verifier.verify(make());
    } catch (e) {
      expect((e as { status: number }).status).toBe(401);
    }
  });
});

describe('token edge cases of the probe', () => {
  it('when the signature of a valid token has its s replaced by n − s, then the forged twin is refused and the issued token still passes', () => {
    for (let i = 0; i < 8; i++) {
      const token = signToken({ sub: `u${i}`, role: 'admin' }, { ...settings, privateKey });
      expect(verifier.verify(token)).toMatchObject({ sub: `u${i}` });
      const twin = flipS(token);
      expect(jwt.verify(twin, publicKey, { algorithms: ['ES256'] })).toBeTruthy(); // the library alone accepts it
      expect(() => verifier.verify(twin)).toThrow(expect.objectContaining({ status: 401 }));
    }
  });

  it('when low-S is not required (an identity provider that does not normalise), then both encodings of a signature pass', () => {
    const lenient = createVerifier(publicKey, { ...settings, requireLowS: false });
    const token = signToken({ sub: 'u1', role: 'admin' }, { ...settings, privateKey });
    expect(lenient.verify(flipS(token))).toMatchObject({ sub: 'u1' });
    expect(lenient.verify(token)).toMatchObject({ sub: 'u1' });
  });

  it('when a token says it was issued a day in the future, then it is refused; a few seconds of clock skew are tolerated', () => {
    expect(() => verifier.verify(sign({ role: 'admin', iat: now() + 86_400 }))).toThrow(/issued in the future/);
    expect(() => verifier.verify(sign({ role: 'admin', iat: now() + 60 }))).toThrow(expect.objectContaining({ status: 401 }));
    expect(verifier.verify(sign({ role: 'admin', iat: now() + 2 }))).toMatchObject({ role: 'admin' });
  });

  it('when a token is not valid before an hour from now, then it is refused; within the tolerance it passes', () => {
    expect(() => verifier.verify(sign({ role: 'admin' }, { notBefore: 3600 }))).toThrow(expect.objectContaining({ status: 401 }));
    expect(verifier.verify(sign({ role: 'admin', nbf: now() + 2 }))).toMatchObject({ role: 'admin' });
  });
});

describe('auth middleware', () => {
  const routes = Router();
  routes.get('/staff-only', authenticate(verifier), requireRole('hub_staff', 'admin'), (req, res) => {
    res.json(principalOf(req));
  });
  const app = createHttpApp({ service: 't', logger: createLogger({ service: 't', level: 'silent' }), routes });

  it('when no token is sent, then 401 with a WWW-Authenticate header', async () => {
    const res = await request(app).get('/staff-only');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('when the role is not allowed, then 403 forbidden', async () => {
    const res = await request(app)
      .get('/staff-only')
      .set('authorization', `Bearer ${sign({ role: 'partner' })}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('when the role is allowed, then the handler sees the principal', async () => {
    const res = await request(app)
      .get('/staff-only')
      .set('authorization', `Bearer ${sign({ role: 'hub_staff' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'u1', role: 'hub_staff' });
  });
});
