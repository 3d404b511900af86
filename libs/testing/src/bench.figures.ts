/**
 * Figures of the HTTP benches (profiles, events): each operation's latency percentiles and
 * throughput, printed beside the raw engine calls of the same shape measured in the same run.
 */

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

/** An HTTP figure and, when there is one, the raw engine baseline of the same shape. */
export interface Row {
  ours: Figure;
  raw?: Figure;
}

/** Nearest-rank percentile of sorted latencies. */
function at(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

export function figureOf(name: string, latencies: number[], seconds: number, errors: number): Figure {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, requests: sorted.length, p50: at(sorted, 0.5), p95: at(sorted, 0.95), p99: at(sorted, 0.99), rps: sorted.length / seconds, errors };
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

export function formatTable(rows: Row[]): string {
  const n = (x: number, w = 8) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(w);
  const head = `${'operation (HTTP)'.padEnd(44)} ${'reqs'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'err'.padStart(4)} | ${'raw engine calls, same shape'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'ops/s'.padStart(8)}`;
  const lines = rows.map(({ ours, raw }) => {
    const left = `${ours.name.padEnd(44)} ${String(ours.requests).padStart(6)} ${n(ours.p50)} ${n(ours.p95)} ${n(ours.p99)} ${n(ours.rps)} ${String(ours.errors).padStart(4)}`;
    return raw ? `${left} | ${raw.name.padEnd(52)} ${n(raw.p50)} ${n(raw.p95)} ${n(raw.rps)}` : left;
  });
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
