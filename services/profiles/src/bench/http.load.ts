import autocannon from 'autocannon';

/** One measured scenario: latency percentiles and throughput. */
export interface Figure {
  name: string;
  requests: number;
  p50: number;
  p95: number;
  rps: number;
  errors: number;
}

export interface HttpScenario {
  name: string;
  url: string;
  token: string;
  connections: number;
  durationSec: number;
  /** Cap on requests (a scenario that changes data stops after this many). */
  amount?: number;
  /** Builds each request (path, method, body, extra headers) from a running counter. */
  request: (i: number) => { method?: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown; headers?: Record<string, string> };
}

/**
 * Runs one scenario with autocannon (HTTP/1.1 keep-alive, `connections` in parallel) and
 * returns its latency percentiles. Any non-2xx answer counts as an error and is reported.
 */
export async function runHttp(s: HttpScenario): Promise<Figure> {
  let i = 0;
  const result = await autocannon({
    url: s.url,
    connections: s.connections,
    duration: s.durationSec,
    ...(s.amount ? { amount: s.amount } : {}),
    timeout: 60,
    requests: [
      {
        setupRequest: (req) => {
          const r = s.request(i++);
          return {
            ...req,
            method: r.method ?? 'GET',
            path: r.path,
            headers: { authorization: `Bearer ${s.token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
            ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
          };
        },
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name: s.name, requests: result.requests.total, p50: result.latency.p50, p95: percentile95(result.latency), rps: result.requests.average, errors };
}

/** autocannon reports p90 and p97.5, not p95: interpolate between them (documented in the table). */
function percentile95(l: autocannon.Histogram): number {
  const lat = l as unknown as Record<string, number>;
  const p90 = lat.p90 ?? 0;
  const p975 = lat.p97_5 ?? p90;
  return p90 + ((p975 - p90) * 5) / 7.5;
}

/** Times `op` `n` times with `concurrency` workers: the raw-driver baseline beside each HTTP figure. */
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
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name, requests: n, p50: at(0.5), p95: at(0.95), rps: n / seconds, errors };
}

export function formatTable(rows: { ours: Figure; raw?: Figure }[]): string {
  const n = (x: number, w = 8, d = 1) => x.toFixed(d).padStart(w);
  const head = `${'operation (HTTP)'.padEnd(40)} ${'reqs'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'err'.padStart(4)} | ${'raw engine call, same shape'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'ops/s'.padStart(8)}`;
  const lines = rows.map(({ ours, raw }) => {
    const left = `${ours.name.padEnd(40)} ${String(ours.requests).padStart(6)} ${n(ours.p50)} ${n(ours.p95)} ${n(ours.rps)} ${String(ours.errors).padStart(4)}`;
    return raw ? `${left} | ${raw.name.padEnd(44)} ${n(raw.p50)} ${n(raw.p95)} ${n(raw.rps)}` : left;
  });
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
