import { loadavg } from 'os';
import type { BenchOptions } from './bench.options';

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const rate = (count: number, ms: number) => `${(count / (ms / 1000)).toFixed(0)}/s`;
export const p5095 = (v: number[]) => `${percentile(v, 50).toFixed(0)} / ${percentile(v, 95).toFixed(0)} ms`;
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The first line: what this run measures, and the load average before the services start. */
export function printHeader({ n, chunk, directN, patches, load, reindexN }: BenchOptions): void {
  process.stdout.write(
    `pipeline bench: n=${n}, import chunks of ${chunk}, ${directN} direct, ${patches} PATCHes idle and under ${load} writes/s, reindex of ${reindexN || 'the topic'}; load average ${loadAverage()}; starting the services…\n`,
  );
}

/** Each figure printed as it is measured, beside its baseline, and kept for the summary at the end. */
export function createReport() {
  const rows: string[] = [];
  return {
    row(what: string, value: string, baseline = ''): void {
      const line = `${what.padEnd(62)} ${value.padEnd(30)} ${baseline}`;
      rows.push(line);
      process.stdout.write(`${line}\n`);
    },
    printSummary(n: number): void {
      process.stdout.write(`\nsummary (n=${n}, 2 cores shared, same run, load average now ${loadAverage()}):\n${rows.join('\n')}\n`);
    },
  };
}
export type Report = ReturnType<typeof createReport>;
