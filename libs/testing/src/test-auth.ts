import { createVerifier, generateKeyPair, signToken, type JwtSettings, type KeyPair, type Principal, type TokenVerifier } from '@lm/auth';

export interface TestAuth {
  keys: KeyPair;
  settings: JwtSettings;
  verifier: TokenVerifier;
  /** A signed token for `p` (an hour long). */
  tokenFor(p: Principal): string;
  /** `Bearer <token>` for an Authorization header. */
  bearer(p: Principal): string;
  /** What a service process needs to verify these tokens (JWT_PUBLIC_KEY, issuer, audience). */
  env: Record<string, string>;
}

/** A key pair made for this test file or bench run, with its verifier and a signer. */
export function createTestAuth(settings: JwtSettings = { issuer: 'test-issuer', audience: 'test-audience' }): TestAuth {
  const keys = generateKeyPair();
  const tokenFor = (p: Principal) => signToken(p, { ...settings, privateKey: keys.privateKey, expiresInSeconds: 3600 });
  return {
    keys,
    settings,
    verifier: createVerifier(keys.publicKey, settings),
    tokenFor,
    bearer: (p) => `Bearer ${tokenFor(p)}`,
    env: { JWT_PUBLIC_KEY: keys.publicKey, JWT_PUBLIC_KEY_FILE: '', JWT_ISSUER: settings.issuer, JWT_AUDIENCE: settings.audience },
  };
}
