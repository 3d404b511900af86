import { generateKeyPairSync } from 'crypto';
import fs from 'fs';
import path from 'path';
import { TokenVerifier, createVerifier } from './jwt';

/** `.data/` at the repository root (git-ignored); DATA_DIR overrides it. */
export function dataDir(): string {
  return process.env.DATA_DIR ?? path.resolve(__dirname, '../../..', '.data');
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh ES256 (P-256) key pair in PEM: dev keys, tests and benches sign with one. */
export function generateKeyPair(): KeyPair {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/**
 * The local development key pair (ES256), generated once under `.data/auth/`. Production
 * gives the services only the identity provider's public key (JWT_PUBLIC_KEY[_FILE]).
 */
export function ensureDevKeys(dir = path.join(dataDir(), 'auth')): KeyPair {
  const priv = path.join(dir, 'dev-private.pem');
  const pub = path.join(dir, 'dev-public.pem');
  if (!fs.existsSync(priv) || !fs.existsSync(pub)) {
    fs.mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPair();
    // Write to temp names then rename: two services starting at once never read a half-written key.
    const suffix = `.${process.pid}.tmp`;
    fs.writeFileSync(priv + suffix, privateKey, { mode: 0o600 });
    fs.writeFileSync(pub + suffix, publicKey);
    if (!fs.existsSync(priv)) {
      fs.renameSync(priv + suffix, priv);
      fs.renameSync(pub + suffix, pub);
    } else {
      fs.rmSync(priv + suffix);
      fs.rmSync(pub + suffix);
    }
  }
  return { privateKey: fs.readFileSync(priv, 'utf8'), publicKey: fs.readFileSync(pub, 'utf8') };
}

/** The verifier a service uses: the configured public key, or the local dev key outside production. */
export interface AuthConfig {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_FILE?: string;
  NODE_ENV?: string;
  JWT_REQUIRE_LOW_S?: boolean;
}

export function verifierFromConfig(cfg: AuthConfig): TokenVerifier {
  let key = cfg.JWT_PUBLIC_KEY ?? (cfg.JWT_PUBLIC_KEY_FILE ? fs.readFileSync(cfg.JWT_PUBLIC_KEY_FILE, 'utf8') : undefined);
  if (!key) {
    if (cfg.NODE_ENV === 'production') throw new Error('JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE must be set in production');
    key = ensureDevKeys().publicKey;
  }
  return createVerifier(key, { issuer: cfg.JWT_ISSUER, audience: cfg.JWT_AUDIENCE, requireLowS: cfg.JWT_REQUIRE_LOW_S });
}
