import type { Envelope } from '@lm/contracts';
import { uniqueName } from '@lm/testing';
import type { BenchContext } from './bench.context';
import { follow, type Milestones } from './burst.sampler';
import { now, sleep } from './clock';
import { indexDocuments, indexedCount, rawBulk } from './elasticsearch.baseline';
import { rawProduce, readEnvelopes } from './kafka.baseline';
import { GROUP } from './kafka.progress';
import { rate, secs } from './report';
import { syntheticInput } from './synthetic.inputs';

/** What the later phases build on: the burst's tag, the imported ids, their envelopes, the raw `_bulk` time of their documents. */
export interface Imported {
  tag: string;
  ids: string[];
  envelopes: Envelope[];
  rawBulkMs: number;
}

/**
 * 1. import `n` synthetic organisations with `POST /organisations:import` (chunks of `chunk` rows)
 *    → time until all are in the matching index, until every consumer group's lag is 0, until the
 *    top-N messages are out; suggestion messages per profile change; a sampler (every 500 ms)
 *    follows each stage meanwhile — import calls, relay (events on the topic), indexing, top-N —
 *    so the figures say where the time goes;
 *    baselines: raw `_bulk` of the same documents (same mapping), raw kafkajs produce of the same envelopes.
 * The events service's groups are waited for at most `drain` seconds after matching's.
 */
export async function importPhase(ctx: BenchContext): Promise<Imported> {
  const { names, progress, report } = ctx;
  const { n, drainS } = ctx.options;
  const tag = uniqueName('b');
  const inputs = Array.from({ length: n }, (_, i) => syntheticInput(tag, i));
  const suggestionsBefore = await progress.highWatermark(names.topics.suggestions);
  const topicBefore = await progress.highWatermark(names.topics.organisations);
  const t0 = now();
  const relayed = relayDone(ctx, topicBefore, t0);
  const followed = follow(ctx, t0, tag, n, [GROUP.indexing, GROUP.topN]);
  const ids = await importInChunks(ctx, inputs, t0);
  const importDone = now() - t0;
  const milestones = await followed;
  const relayMs = await relayed;
  const { eventsRate, lagsLeft } = await waitForEventsService(ctx, milestones, t0);
  if ((await indexedCount(names.alias, ids)) !== ids.length) throw new Error('not every imported organisation is in the index');
  const messages = (await progress.highWatermark(names.topics.suggestions)) - suggestionsBefore;

  // Baselines of the same run: raw _bulk of the same documents, raw produce of the same envelopes.
  const importedDocs = (await indexDocuments(names.alias)).filter((d) => String(d._source.name ?? '').startsWith(`Bench ${tag} `));
  const rawBulkMs = await rawBulk(names.alias, importedDocs);
  const envelopes = await readEnvelopes(names.topics.organisations, ids.length);
  const rawProduceMs = await rawProduce(ctx.admin, ctx.producer, envelopes, ctx.scratchTopics);

  report.row(
    'import: POST /organisations:import calls (profiles, issue 12)',
    `${ids.length} rows in ${secs(importDone)}`,
    `(${rate(ids.length, importDone)} rows)`,
  );
  report.row(
    'import → relay put all events on the topic (libs/outbox)',
    `${secs(relayMs)} (${rate(n, relayMs)} events)`,
    `raw produce of the same envelopes: ${secs(rawProduceMs)} (${rate(n, rawProduceMs)})`,
  );
  report.row(
    'import → all in the matching index (all matchable)',
    `${secs(milestones.allIndexed!)}`,
    `raw _bulk of the same docs: ${secs(rawBulkMs)} (${rate(n, rawBulkMs)}); target ≤ 60 s`,
  );
  report.row('  of which after the relay was done (indexing tail)', secs(milestones.allIndexed! - relayMs));
  report.row('import → top-N messages out (top-N group lag 0)', secs(milestones.topNDrained!), `  after the relay: ${secs(milestones.topNDrained! - relayMs)}`);
  report.row(
    'import → every consumer group at lag 0 (events service too)',
    milestones.allDrained !== undefined ? secs(milestones.allDrained) : `not within ${drainS} s more`,
    milestones.allDrained !== undefined ? '' : `left: ${lagsLeft}; the events service's groups consumed ${eventsRate.toFixed(1)} msg/s meanwhile`,
  );
  report.row('suggestion messages per profile change', `${(messages / ids.length).toFixed(2)} (${messages} messages)`, 'target ≤ 5');
  return { tag, ids, envelopes, rawBulkMs };
}

/** The relay publishes while the import runs: samples the topic meanwhile; resolves with when the last event went out (ms since `t0`). */
async function relayDone({ names, progress, options }: BenchContext, topicBefore: number, t0: number): Promise<number> {
  for (;;) {
    if ((await progress.highWatermark(names.topics.organisations)) - topicBefore >= options.n) return now() - t0;
    await sleep(250);
  }
}

/** `POST /organisations:import` of `inputs`, `chunk` rows a call, one call at a time; the created ids. */
async function importInChunks({ profiles, options: { n, chunk } }: BenchContext, inputs: unknown[], t0: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += chunk) {
    const res = await profiles<{ summary: { created: number; failed: number }; rows: { id?: string; status: string }[] }>(
      'POST',
      '/organisations:import',
      inputs.slice(i, i + chunk),
    );
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${res.text.slice(0, 300)}`);
    ids.push(...res.body.rows.filter((r) => r.id).map((r) => r.id!));
    process.stdout.write(`  imported ${Math.min(i + chunk, n)}/${n} (${secs(now() - t0)})\n`);
  }
  return ids;
}

/**
 * The events service's groups follow the same topics: a wait of at most `drain` seconds after
 * matching's groups drained (sets `milestones.allDrained` when they get to lag 0), then their lag and rate.
 */
async function waitForEventsService({ progress, options }: BenchContext, milestones: Milestones, t0: number) {
  const eventsBehind = async () => {
    const lag = await progress.lags();
    return lag[GROUP.eventsOrganisations]! + lag[GROUP.eventsSuggestions]!;
  };
  const behindAtMatching = await eventsBehind();
  for (const tw = now(); milestones.allDrained === undefined && now() - tw < options.drainS * 1000; await sleep(500)) {
    if ((await eventsBehind()) === 0) milestones.allDrained = now() - t0;
  }
  const eventsRate = (behindAtMatching - (await eventsBehind())) / ((now() - t0 - milestones.topNDrained!) / 1000);
  return { eventsRate, lagsLeft: progress.lagText(await progress.lags()) };
}
