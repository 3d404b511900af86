import { figureOf, type Figure } from '@lm/testing';
import autocannon from 'autocannon';

export { figureOf, formatTable, runRaw, type Figure, type Row } from '@lm/testing';

export interface BenchRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Closed-loop HTTP load with autocannon: `connections` keep-alive connections, each sending the
 * next request as soon as the previous one answered; `amount` requests in all (writes: each one
 * is a distinct change) or for `durationSec` (reads). Latency is taken per response (autocannon's
 * own histogram has no p95). Any non-2xx answer is an error; its first bodies are kept to print.
 * `onBody` sees each 2xx body (to collect the ids the service assigned).
 */
export async function runHttp(opts: {
  name: string;
  url: string;
  connections: number;
  amount?: number;
  durationSec?: number;
  request: (i: number) => BenchRequest;
  onBody?: (body: string) => void;
}): Promise<Figure & { failures: string[] }> {
  let next = 0;
  const latencies: number[] = [];
  const failures: string[] = [];
  let errors = 0;
  const request: autocannon.Request = {
    setupRequest: (req) => {
      const r = opts.request(next++);
      return {
        ...req,
        method: r.method ?? 'GET',
        path: r.path,
        headers: { authorization: `Bearer ${r.token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
        ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
      };
    },
    onResponse: (status, body) => {
      if (status >= 200 && status < 300) opts.onBody?.(body);
      else if (failures.length < 3) failures.push(`${status} ${body.slice(0, 300)}`);
    },
  };
  const t0 = performance.now();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationSec ?? 5 }),
        timeout: 60,
        requests: [request],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    if (status < 200 || status >= 300) errors++;
  });
  const result = await done;
  errors += result.errors + result.timeouts;
  return { ...figureOf(opts.name, latencies, (performance.now() - t0) / 1000, errors), failures };
}
