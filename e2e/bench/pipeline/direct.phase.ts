import type { BenchContext } from './bench.context';
import { follow } from './burst.sampler';
import { now } from './clock';
import type { Imported } from './import.phase';
import { GROUP } from './kafka.progress';
import { rate, secs } from './report';
import { directEnvelopes } from './synthetic.inputs';

/**
 * 2. `direct` organisations' envelopes produced straight to the profiles topic (no import, no
 *    relay) → the pipeline's own throughput; beside the raw produce and the import's raw `_bulk`
 *    (scaled to `direct` documents when their number differs).
 */
export async function directPhase(ctx: BenchContext, { tag, envelopes, rawBulkMs }: Imported): Promise<void> {
  const { n, directN } = ctx.options;
  const directTag = `${tag}-direct`;
  const direct = directEnvelopes(envelopes, directTag, directN);
  const td = now();
  const directFollowed = follow(ctx, td, directTag, directN, [GROUP.indexing, GROUP.topN]);
  for (let i = 0; i < direct.length; i += 500) await ctx.producer.publish(ctx.names.topics.organisations, direct.slice(i, i + 500));
  const directProduced = now() - td;
  const dm = await directFollowed;
  const directRawBulk = directN === n ? rawBulkMs : (rawBulkMs * directN) / n;
  ctx.report.row(
    `pipeline alone (${directN} produced): produce → all indexed`,
    `${secs(dm.allIndexed!)} (${rate(directN, dm.allIndexed!)} docs)`,
    `raw produce ${secs(directProduced)}, raw _bulk ${secs(directRawBulk)}${directN === n ? '' : ' (scaled)'}`,
  );
  ctx.report.row('pipeline alone: produce → indexing + top-N groups at lag 0', `${secs(dm.drained!)} (${rate(directN, dm.drained!)} events)`);
}
