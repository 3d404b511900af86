import type { Logger } from '@lm/logger';
import type { Express } from 'express';
import { createServer, Server } from 'http';

export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

export interface RunningServer {
  server: Server;
  port: number;
  stop: (reason?: string) => Promise<void>;
}

/**
 * Listens and installs graceful shutdown: on SIGTERM/SIGINT the server stops accepting
 * connections, in-flight requests finish, then closers run in order (consumers before
 * producers before database connections), bounded by `timeoutMs`.
 */
export async function startServer(
  app: Express,
  opts: { port: number; host?: string; logger: Logger; closers?: Closer[]; timeoutMs?: number; handleSignals?: boolean },
): Promise<RunningServer> {
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  // A client that declares more body than it sends must not hold a socket for Node's default 300 s.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  // A parent that started this process with an IPC channel (the tests' launcher, PORT=0) learns
  // the port the kernel picked; a port chosen by the parent beforehand could be taken meanwhile.
  if (process.connected) process.send?.({ type: 'listening', port });

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop'): Promise<void> => {
    stopping ??= (async () => {
      opts.logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        opts.logger.error({ timeoutMs: opts.timeoutMs }, 'shutdown timed out, exiting');
        process.exit(1);
      }, opts.timeoutMs ?? 10_000);
      timer.unref();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      for (const closer of opts.closers ?? []) {
        try {
          await closer.close();
          opts.logger.info({ component: closer.name }, 'closed');
        } catch (e) {
          opts.logger.error({ err: e, component: closer.name }, 'close failed');
        }
      }
      clearTimeout(timer);
    })();
    return stopping;
  };

  if (opts.handleSignals !== false) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void stop(signal).then(() => process.exit(0));
      });
    }
  }
  return { server, port, stop };
}

/**
 * Runs a service's main: any start-up failure (bad configuration, unreachable engine)
 * becomes one clear line on stderr and exit code 1 — no hang, no stack dump.
 */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`[${service}] failed to start: ${message}\n`);
    process.exit(1);
  });
}

/** Fails with `what` in the message when `p` takes longer than `ms` (start-up steps never hang). */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms}ms`)), ms);
      timer.unref();
    }),
  ]);
}
