import { execFile, spawn, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import net from 'net';
import path from 'path';
import { waitFor } from './wait';

// One launcher for the compiled services as child processes (e2e tests, the console's browser
// tests, every service's bench): free port, /readyz, the last output on failure, graceful stop.

/** The repository root (the directory of turbo.json), whether this runs from src/ (tests) or compiled from dist/ (benches). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'turbo.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const SERVICE_NAMES = ['profiles', 'matching', 'events'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** The back-end services and the web console (started by the console's browser tests). */
export type ProcessName = ServiceName | 'console';

/**
 * Builds the services once (with their libs). CI's lint step has already built them, so this is
 * a turbo cache hit there; locally it makes sure the test never runs stale `dist/` code.
 */
export function buildServices(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['turbo', 'run', 'build', '--filter=./services/*', '--output-logs=errors-only'],
      { cwd: REPO_ROOT, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? reject(new Error(`build of the services failed:\n${stdout}\n${stderr}`)) : resolve()),
    );
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** A random free high port, never one of the default 4001-4003 a running `npm start` uses. */
export async function freePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if (taken.has(port)) continue;
    if (await portIsFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port found');
}

export interface RunningService {
  name: ProcessName;
  url: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), shown when something goes wrong. */
  output(): string;
  /** SIGTERM, SIGKILL after 10 s (see stopService). */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 16_000;

/** Starts `services/<name>/dist/main.js` on `port`; `echo` also copies its output to this process's stderr (benches). */
export function startService(name: ProcessName, port: number, env: Record<string, string>, opts: { echo?: boolean } = {}): RunningService {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'services', name, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const keep = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    if (opts.echo) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const service: RunningService = { name, url: `http://127.0.0.1:${port}`, child, output: () => buffer, stop: () => stopService(service) };
  return service;
}

/**
 * A service on a free port, ready (/readyz 200) or stopped again with its output in the error.
 * Abuse limits are off unless `env` says otherwise: tests and benches send volume from one host.
 */
export async function startReadyService(
  name: ProcessName,
  env: Record<string, string>,
  opts: { echo?: boolean; timeoutMs?: number; ports?: Set<number> } = {},
): Promise<RunningService> {
  const service = startService(name, await freePort(opts.ports ?? new Set()), { RATE_LIMIT_ENABLED: 'false', ...env }, opts);
  try {
    await waitReady(service, opts.timeoutMs ?? 60_000);
  } catch (e) {
    await stopService(service);
    throw e;
  }
  return service;
}

/** Waits for /readyz = 200; fails early (with the child's output) if the process exits. */
export async function waitReady(service: RunningService, timeoutMs: number): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode}`);
        const res = await fetch(`${service.url}/readyz`);
        return res.status === 200;
      },
      { timeoutMs, intervalMs: 200, description: `${service.name} /readyz` },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- ${service.name} output ---\n${service.output()}`);
  }
}

/** SIGTERM (graceful stop: consumers commit, relays finish), SIGKILL after 10 s. */
export async function stopService(service: RunningService): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
