import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type RunningConsumer } from '@lm/kafka';
import type { MatchingDeps } from '../domain/matching.ports';
import { indexOrganisationEvents } from '../domain/index-organisations.usecase';
import type { MatchingConsumerOptions } from './consumer.options';

/**
 * profiles.organisations.v1 → index, as `_bulk` writes only, so it keeps up with the topic
 * (large chunks: one bulk per chunk). Thin: validation, retries, DLQ and the
 * commit-after-effects live in runConsumer; the effect is the use case.
 */
export function startIndexingConsumer(deps: MatchingDeps, opts: MatchingConsumerOptions): Promise<RunningConsumer> {
  return runConsumer({
    chunkSize: 500,
    // The partitions' bulks overlap: Elasticsearch writes one while the next is fetched and parsed.
    partitionsConsumedConcurrently: 3,
    ...opts,
    topics: [opts.topic],
    schema: OrganisationEvent,
    fromBeginning: true,
    handle: async (batch) => {
      await indexOrganisationEvents(
        deps,
        batch.map((b) => b.event),
      );
    },
  });
}
