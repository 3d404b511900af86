import { execFile, spawn, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import path from 'path';
import { waitFor } from './wait';

// One launcher for the compiled services as child processes (e2e tests, the console's browser
// tests, every service's bench): a port the kernel picks, /readyz, the last output on failure, graceful stop.

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

export interface RunningService {
  name: ProcessName;
  /** Known once the process listens (after waitReady); reading it earlier throws. */
  readonly url: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), shown when something goes wrong. */
  output(): string;
  /** SIGTERM, SIGKILL after 10 s (see stopService). */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 16_000;

/**
 * Starts `services/<name>/dist/main.js` on a port the kernel picks (PORT=0); the process tells
 * its port over the IPC channel once it listens. A port picked here and handed over would be free
 * only at the moment of the check: under load, another test's process or an outgoing connection
 * took it before the service listened (EADDRINUSE). `echo` also copies its output to this
 * process's stderr (benches).
 */
export function startService(name: ProcessName, env: Record<string, string>, opts: { echo?: boolean } = {}): RunningService {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'services', name, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let buffer = '';
  const keep = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    if (opts.echo) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let url: string | undefined;
  child.on('message', (message: { type?: string; port?: number }) => {
    if (message?.type === 'listening' && message.port) url = `http://127.0.0.1:${message.port}`;
  });
  const service: RunningService = {
    name,
    get url() {
      if (!url) throw new Error(`${name} is not listening yet (wait for it with waitReady)`);
      return url;
    },
    child,
    output: () => buffer,
    stop: () => stopService(service),
  };
  return service;
}

/**
 * A service on a port of its own, ready (/readyz 200) or stopped again with its output in the error.
 * Abuse limits are off unless `env` says otherwise: tests and benches send volume from one host.
 */
export async function startReadyService(
  name: ProcessName,
  env: Record<string, string>,
  opts: { echo?: boolean; timeoutMs?: number } = {},
): Promise<RunningService> {
  const service = startService(name, { RATE_LIMIT_ENABLED: 'false', ...env }, opts);
  try {
    await waitReady(service, opts.timeoutMs ?? 60_000);
  } catch (e) {
    await stopService(service);
    throw e;
  }
  return service;
}

/** Waits until the process listens and its /readyz = 200; the error carries the child's output. */
export async function waitReady(service: RunningService, timeoutMs: number): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode}`);
        if (!isListening(service)) return false;
        const res = await fetch(`${service.url}/readyz`);
        return res.status === 200;
      },
      { timeoutMs, intervalMs: 200, description: `${service.name} /readyz` },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- ${service.name} output ---\n${service.output()}`);
  }
}

function isListening(service: RunningService): boolean {
  try {
    return Boolean(service.url);
  } catch {
    return false;
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
