import { execFile, spawn, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import net from 'net';
import path from 'path';
import { waitFor } from '@lm/testing';

/** The repository root (the directory of turbo.json), whether this runs from test/ or compiled from dist/ (the pipeline bench). */
export const ROOT = (() => {
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
      { cwd: ROOT, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
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
}

const OUTPUT_LIMIT = 16_000;

export function startService(name: ProcessName, port: number, env: Record<string, string>): RunningService {
  const child = spawn(process.execPath, [path.join(ROOT, 'services', name, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const keep = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, url: `http://127.0.0.1:${port}`, child, output: () => buffer };
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
