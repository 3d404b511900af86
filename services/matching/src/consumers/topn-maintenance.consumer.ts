import { OrganisationEvent, type OrganisationEvent as Event } from '@lm/contracts';
import { runConsumer, type RunningConsumer } from '@lm/kafka';
import type { MatchingDeps } from '../domain/matching.ports';
import { maintainTopN } from '../domain/maintain-topn.usecase';
import { coalesced } from './coalesced';
import type { MatchingConsumerOptions } from './consumer.options';

/**
 * profiles.organisations.v1 → top-N maintenance and suggestion messages, in its own consumer
 * group (own offsets, own lag). Coalescing: the broker holds each fetch for up to
 * `maxWaitTimeInMs` (the window) until `minBytes` accumulate, and a whole chunk is handled at
 * once, so every affected company is recomputed once per chunk however many of the chunk's
 * changes touch it — a burst becomes a bounded number of recomputes and one message per company.
 */
export function startTopNConsumer(deps: MatchingDeps, opts: MatchingConsumerOptions): Promise<RunningConsumer> {
  const maintain = coalesced((events: Event[]) => maintainTopN(deps, events));
  return runConsumer({
    chunkSize: 5_000,
    maxWaitTimeInMs: 1_000,
    minBytes: 256 * 1024,
    // A backlog fetched at once (~2 KB a message): a chunk is a whole burst, not a few hundred.
    maxBytesPerPartition: 16 * 1024 * 1024,
    // Every partition's chunk is handed over at once and merged by `coalesced`.
    partitionsConsumedConcurrently: 3,
    ...opts,
    topics: [opts.topic],
    schema: OrganisationEvent,
    // The indexing group reads the same topic and dead-letters invalid messages once.
    deadLetterInvalid: false,
    fromBeginning: true,
    handle: async (batch) => {
      await maintain(batch.map((b) => b.event));
    },
  });
}
