import { loadavg } from 'os';
import type { BenchContext } from './bench.context';
import { now, sleep } from './clock';
import { countByName } from './elasticsearch.baseline';
import { GROUP } from './kafka.progress';
import { secs } from './report';

/** Milestones of one burst, sampled every 500 ms while it runs (ms since the burst's start). */
export interface Milestones {
  allIndexed?: number;
  topNDrained?: number;
  /** When the groups `follow` was asked to wait for were at lag 0. */
  drained?: number;
  allDrained?: number;
}

/**
 * Samples a burst of `count` organisations named `Bench <tag> …` every 500 ms from `t0` until
 * they are all indexed and the groups in `drainGroups` (`GROUP` places) are at lag 0;
 * logs events on the profiles topic, indexed documents and lags every 10 s.
 */
export async function follow(
  { names, progress }: Pick<BenchContext, 'names' | 'progress'>,
  t0: number,
  tag: string,
  count: number,
  drainGroups: number[],
): Promise<Milestones> {
  const m: Milestones = {};
  const topicBefore = await progress.highWatermark(names.topics.organisations);
  let lastLog = 0;
  for (;;) {
    const [onTopic, indexed, lag] = await Promise.all([
      progress.highWatermark(names.topics.organisations),
      countByName(names.alias, `Bench ${tag} `),
      progress.lags(),
    ]);
    const t = now() - t0;
    const published = onTopic - topicBefore;
    if (m.allIndexed === undefined && indexed >= count) m.allIndexed = t;
    if (m.allIndexed !== undefined && m.topNDrained === undefined && lag[GROUP.topN] === 0) m.topNDrained = t;
    if (m.allIndexed !== undefined && drainGroups.every((g) => lag[g] === 0)) {
      m.drained = t;
      return m;
    }
    if (t - lastLog > 10_000) {
      lastLog = t;
      process.stdout.write(
        `  ${secs(t)}: on the topic +${published}, indexed ${indexed}/${count}, lag ${progress.lagText(lag)}, load ${loadavg()[0]!.toFixed(1)}\n`,
      );
    }
    if (t > 3_600_000) throw new Error('not drained within an hour');
    await sleep(500);
  }
}
