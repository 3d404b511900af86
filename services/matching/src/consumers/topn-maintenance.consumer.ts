import { OrganisationEvent, type OrganisationEvent as Event } from '@lm/contracts';
import { runConsumer, type ConsumedEvent, type RunningConsumer } from '@lm/kafka';
import type { MatchingDeps } from '../domain/matching.ports';
import { maintainTopN } from '../domain/maintain-topn.usecase';
import { createBurstGate } from './burst.gate';
import { coalesced } from './coalesced';
import type { MatchingConsumerOptions } from './consumer.options';

export type TopNConsumerOptions = MatchingConsumerOptions & {
  /** The indexing group of the same topic: a full pass covers what it has committed. */
  indexingGroupId: string;
  /** A full pass waits for the topic to be quiet this long (and the indexing group to catch up)… */
  burstQuietMs?: number;
  /** …but at most this long. */
  burstMaxWaitMs?: number;
};

/**
 * profiles.organisations.v1 → top-N maintenance and suggestion messages, in its own consumer
 * group (own offsets, own lag). Coalescing: the broker holds each fetch for up to
 * `maxWaitTimeInMs` (the window) until `minBytes` accumulate, and a whole chunk is handled at
 * once, so every affected company is recomputed once per chunk however many of the chunk's
 * changes touch it. A chunk that affects every company (a bulk import) waits for the burst to
 * end and starts one full pass; the changes that pass saw are skipped when read afterwards —
 * a burst becomes one full pass and one message per company whose top-N changed.
 */
export async function startTopNConsumer(deps: MatchingDeps, opts: TopNConsumerOptions): Promise<RunningConsumer> {
  const { indexingGroupId, burstQuietMs = 2_000, burstMaxWaitMs = 60_000, ...common } = opts;
  const gate = createBurstGate({
    kafka: opts.kafka,
    topic: opts.topic,
    indexingGroupId,
    quietMs: burstQuietMs,
    maxWaitMs: burstMaxWaitMs,
    logger: opts.logger,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  // Filtered when the merged run starts, not when a chunk arrives: a pass that finished meanwhile covers more.
  const maintain = coalesced((batch: ConsumedEvent<Event>[]) =>
    maintainTopN(
      deps,
      batch.filter((b) => !gate.covers(b)).map((b) => b.event),
      gate,
    ),
  );
  const running = await runConsumer({
    chunkSize: 5_000,
    maxWaitTimeInMs: 1_000,
    minBytes: 256 * 1024,
    // A backlog fetched at once (~2 KB a message): a chunk is a whole burst, not a few hundred.
    maxBytesPerPartition: 16 * 1024 * 1024,
    // Every partition's chunk is handed over at once and merged by `coalesced`.
    partitionsConsumedConcurrently: 3,
    ...common,
    topics: [opts.topic],
    schema: OrganisationEvent,
    // The indexing group reads the same topic and dead-letters invalid messages once.
    deadLetterInvalid: false,
    fromBeginning: true,
    handle: maintain,
  });
  return {
    get consumer() {
      return running.consumer;
    },
    check: () => running.check(),
    status: () => running.status(),
    async stop() {
      await running.stop();
      await gate.close();
    },
  };
}
