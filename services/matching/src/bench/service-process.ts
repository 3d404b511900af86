import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';

/** A free TCP port from the OS (never the 4000-4003 of `npm start`). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/** The compiled matching service (`dist/main.js`) as a child process, ready when /readyz is 200. */
export async function startMatchingService(env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '../main.js')], {
    env: { ...process.env, RATE_LIMIT_ENABLED: 'false', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const keep = (chunk: Buffer) => void (buffer = (buffer + chunk.toString('utf8')).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`matching exited with ${child.exitCode}:\n${buffer}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return { url, stop, output: () => buffer };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`matching not ready within ${timeoutMs} ms:\n${buffer}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
