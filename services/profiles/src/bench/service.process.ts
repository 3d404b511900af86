import { signToken, type Principal } from '@lm/auth';
import { spawn, type ChildProcess } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import net from 'net';
import path from 'path';

const ISSUER = 'profiles-bench';
const AUDIENCE = 'profiles-bench';

export interface RunningProfiles {
  url: string;
  tokenFor(p: Principal): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The compiled service (`dist/main.js`) as its own process, as in production: the load
 * generator and the service do not share an event loop. Tokens are signed with a key pair
 * made for this run.
 */
export async function startProfilesProcess(env: Record<string, string>): Promise<RunningProfiles> {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '..', 'main.js')], {
    env: { ...process.env, RATE_LIMIT_ENABLED: 'false', ...env, PORT: String(port), JWT_PUBLIC_KEY: keys.publicKey, JWT_PUBLIC_KEY_FILE: '', JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, LOG_LEVEL: env.LOG_LEVEL ?? 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`profiles exited with code ${child.exitCode} during start-up`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('profiles was not ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    tokenFor: (p) => signToken(p, { issuer: ISSUER, audience: AUDIENCE, privateKey: keys.privateKey, expiresInSeconds: 3600 }),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
