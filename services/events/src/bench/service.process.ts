import { signToken, type Principal } from '@lm/auth';
import { spawn } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import net from 'net';
import path from 'path';

const ISSUER = 'events-bench';
const AUDIENCE = 'events-bench';

export interface RunningEvents {
  url: string;
  tokenFor(p: Principal): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The compiled events service (`dist/main.js`) in its own process on a free port, as in
 * production: the load generator does not share its event loop. Tokens are signed with a key
 * pair made for this run; abuse limits are off (all the load comes from one host).
 */
export async function startEventsProcess(env: Record<string, string>): Promise<RunningEvents> {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', 'main.js')], {
    env: { ...process.env, RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'warn', ...env, PORT: String(port), JWT_PUBLIC_KEY: keys.publicKey, JWT_PUBLIC_KEY_FILE: '', JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`events exited with code ${child.exitCode} during start-up`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('events was not ready within 90 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    tokenFor: (p) => signToken(p, { issuer: ISSUER, audience: AUDIENCE, privateKey: keys.privateKey, expiresInSeconds: 4 * 3600 }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
