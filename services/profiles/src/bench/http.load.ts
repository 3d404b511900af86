import type { Figure } from '@lm/testing';
import autocannon from 'autocannon';

export { formatTable, runRaw, type Figure } from '@lm/testing';

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
  return {
    name: s.name,
    requests: result.requests.total,
    p50: result.latency.p50,
    p95: percentile95(result.latency),
    p99: result.latency.p99,
    rps: result.requests.average,
    errors,
  };
}

/** autocannon reports p90 and p97.5, not p95: interpolate between them (documented in the table). */
function percentile95(l: autocannon.Histogram): number {
  const lat = l as unknown as Record<string, number>;
  const p90 = lat.p90 ?? 0;
  const p975 = lat.p97_5 ?? p90;
  return p90 + ((p975 - p90) * 5) / 7.5;
}
