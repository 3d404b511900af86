import autocannon from 'autocannon';

/** One measured operation: latency percentiles (ms) and throughput. */
export interface Figure {
  name: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
}

export interface BenchRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Nearest-rank percentile of sorted latencies. */
function at(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

export function figureOf(name: string, latencies: number[], seconds: number, errors: number): Figure {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, requests: sorted.length, p50: at(sorted, 0.5), p95: at(sorted, 0.95), p99: at(sorted, 0.99), rps: sorted.length / seconds, errors };
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

/** Times `op` `n` times with `concurrency` callers at once: the raw-engine baseline beside an HTTP figure. */
export async function runRaw(name: string, n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<Figure> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        try {
          await op(i);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  return figureOf(name, latencies, (performance.now() - t0) / 1000, errors);
}

export interface Row {
  ours: Figure;
  raw?: Figure;
}

export function formatTable(rows: Row[]): string {
  const n = (x: number, w = 8) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(w);
  const head = `${'operation (HTTP)'.padEnd(44)} ${'reqs'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'err'.padStart(4)} | ${'raw engine calls, same shape'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'ops/s'.padStart(8)}`;
  const lines = rows.map(({ ours, raw }) => {
    const left = `${ours.name.padEnd(44)} ${String(ours.requests).padStart(6)} ${n(ours.p50)} ${n(ours.p95)} ${n(ours.p99)} ${n(ours.rps)} ${String(ours.errors).padStart(4)}`;
    return raw ? `${left} | ${raw.name.padEnd(52)} ${n(raw.p50)} ${n(raw.p95)} ${n(raw.rps)}` : left;
  });
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
