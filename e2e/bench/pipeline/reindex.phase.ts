import type { BenchContext } from './bench.context';
import { follow } from './burst.sampler';
import { now, sleep } from './clock';
import { indexDocuments, rawBulk } from './elasticsearch.baseline';
import type { Imported } from './import.phase';
import { GROUP } from './kafka.progress';
import { rate, secs } from './report';
import { directEnvelopes } from './synthetic.inputs';

/**
 * 4. `POST /admin/reindex` of the whole topic (topped up with direct envelopes to `reindex`
 *    messages when asked, indexed first) vs raw `_bulk` of the same documents into an index
 *    with the same mapping, docs/s.
 */
export async function reindexPhase(ctx: BenchContext, imported: Imported): Promise<void> {
  const { names, progress, matching } = ctx;
  const present = await progress.highWatermark(names.topics.organisations);
  if (ctx.options.reindexN > present) await topUp(ctx, imported, ctx.options.reindexN - present);
  const total = await progress.highWatermark(names.topics.organisations);
  const docs = await indexDocuments(names.alias);
  const rawAll = await rawBulk(names.alias, docs);
  const tr = now();
  const job = await matching<{ jobId: string }>('POST', '/admin/reindex');
  for (;;) {
    const s = await matching<{ state: string; processedMessages: number }>('GET', `/admin/reindex/${job.body.jobId}`);
    if (s.body.state === 'succeeded') break;
    if (s.body.state !== 'running') throw new Error(`reindex ${s.body.state}`);
    await sleep(250);
  }
  const reindexMs = now() - tr;
  const reindexRate = docs.length / (reindexMs / 1000);
  const rawRate = docs.length / (rawAll / 1000);
  ctx.report.row(
    `reindex: ${total} messages → ${docs.length} documents`,
    `${secs(reindexMs)} (${reindexRate.toFixed(0)} docs/s)`,
    `raw _bulk of the same docs ${secs(rawAll)} (${rawRate.toFixed(0)} docs/s) → ×${(reindexRate / rawRate).toFixed(2)} (target ≥ 0.7)`,
  );
}

/**
 * Tops the topic up with `count` direct envelopes and lets the pipeline index them first, so the
 * reindex is measured alone, as an operator runs it.
 */
async function topUp(ctx: BenchContext, { tag, envelopes }: Imported, count: number): Promise<void> {
  const fillTag = `${tag}-fill`;
  // Candidates only: the top-N group then recomputes the imported companies, not 30,000 new
  // ones, and loads the engine less while the reindex and its baseline are measured.
  const candidates = envelopes.filter((e) => (e.data as { organisation: { kind: string } }).organisation.kind !== 'company');
  const fill = directEnvelopes(candidates, fillTag, count);
  const tf = now();
  // Only the indexing group is waited for: the top-N group recomputing every company for
  // 100,000 organisations takes far longer; it keeps working (and loading the engine) during
  // the reindex and its raw baseline alike.
  const filled = follow(ctx, tf, fillTag, fill.length, [GROUP.indexing]);
  for (let i = 0; i < fill.length; i += 500) await ctx.producer.publish(ctx.names.topics.organisations, fill.slice(i, i + 500));
  const fm = await filled;
  ctx.report.row(
    `top-up for the reindex (${fill.length} produced): all indexed`,
    `${secs(fm.allIndexed!)} (${rate(fill.length, fm.allIndexed!)} docs)`,
    `top-N lag then: ${(await ctx.progress.lags())[GROUP.topN]}`,
  );
}
