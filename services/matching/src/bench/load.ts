import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  /** Seconds measured (the sum over the rounds of an alternating run). */
  seconds: number;
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
export async function runLoad(opts: {
  url: string;
  connections: number;
  seconds: number;
  requests: LoadRequest[];
  countHeader?: string;
}): Promise<LoadResult & { latencies: number[] }> {
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
  return summarise(latencies, {
    requests: result.requests.total,
    seconds: result.duration || opts.seconds,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    byHeader,
  });
}

function summarise(
  latencies: number[],
  counts: Pick<LoadResult, 'requests' | 'seconds' | 'non2xx' | 'errors' | 'byHeader'>,
): LoadResult & { latencies: number[] } {
  latencies.sort((a, b) => a - b);
  return {
    ...counts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: counts.requests / counts.seconds,
    latencies,
  };
}

/**
 * Two loads compared fairly on a shared machine: `rounds` short runs of each, alternating
 * (a, b, a, b, …), pooled per side — a neighbour's burst then falls on both sides instead of
 * on whichever happened to run during it. `measure` wraps each run (e.g. CPU of a process).
 */
export async function runAlternating(
  a: Parameters<typeof runLoad>[0],
  b: Parameters<typeof runLoad>[0],
  rounds: number,
  measure: <T>(side: 'a' | 'b', run: () => Promise<T>) => Promise<T> = (_side, run) => run(),
): Promise<[LoadResult, LoadResult]> {
  const runs: Record<'a' | 'b', Awaited<ReturnType<typeof runLoad>>[]> = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    for (const [side, opts] of [['a', a] as const, ['b', b] as const]) {
      runs[side].push(await measure(side, () => runLoad({ ...opts, seconds: opts.seconds / rounds })));
    }
  }
  const pool = (rs: Awaited<ReturnType<typeof runLoad>>[]): LoadResult => {
    const byHeader: Record<string, number> = {};
    for (const r of rs) for (const [k, v] of Object.entries(r.byHeader)) byHeader[k] = (byHeader[k] ?? 0) + v;
    const sum = (f: (r: LoadResult) => number) => rs.reduce((s, r) => s + f(r), 0);
    const { latencies: _l, ...result } = summarise(
      rs.flatMap((r) => r.latencies),
      { requests: sum((r) => r.requests), seconds: sum((r) => r.seconds), non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors), byHeader },
    );
    return result;
  };
  return [pool(runs.a), pool(runs.b)];
}
