import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  non2xx: number;
  errors: number;
  /** Count per value of `countHeader` (e.g. which path served each request). */
  byHeader: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Closed-loop load with autocannon: `connections` keep-alive connections each send the next
 * request as soon as the previous answered, cycling over `requests`, for `seconds`. Latencies
 * are taken per response (autocannon's own histogram has no p95).
 */
export async function runLoad(opts: { url: string; connections: number; seconds: number; requests: LoadRequest[]; countHeader?: string }): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const byHeader: Record<string, number> = {};
  const request: autocannon.Request = {
    setupRequest: (req) => ({ ...req, ...opts.requests[next++ % opts.requests.length]! }),
  };
  if (opts.countHeader) {
    request.onResponse = (_status, _body, _ctx, headers) => {
      // autocannon passes the raw header names (case as sent).
      const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === opts.countHeader);
      const v = String((key && headers?.[key]) ?? 'none');
      byHeader[v] = (byHeader[v] ?? 0) + 1;
    };
  }
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url: opts.url, connections: opts.connections, duration: opts.seconds, requests: [request] }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
  instance.on('response', (_client, _status, _bytes, ms) => void latencies.push(ms));
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: result.requests.total / (result.duration || opts.seconds),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    byHeader,
  };
}
