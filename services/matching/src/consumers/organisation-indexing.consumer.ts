import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type RunningConsumer } from '@lm/kafka';
import type { MatchingDeps } from '../domain/matching.ports';
import { indexOrganisationEvents } from '../domain/index-organisations.usecase';
import { coalesced } from './coalesced';
import type { MatchingConsumerOptions } from './consumer.options';

/**
 * profiles.organisations.v1 → index, as `_bulk` writes only, so it keeps up with the topic
 * (large chunks: one bulk per chunk). Thin: validation, retries, DLQ and the
 * commit-after-effects live in runConsumer; the effect is the use case. The partitions' chunks
 * that arrive while a bulk is in flight share the next bulk and its refresh (`coalesced`): during
 * a 10,000-row import Elasticsearch spent 32 s in 350 refreshes over 93 s (all indices, session
 * 10), and a refresh per partition and fetch made this consumer a large part of them.
 */
export function startIndexingConsumer(deps: MatchingDeps, opts: MatchingConsumerOptions): Promise<RunningConsumer> {
  const index = coalesced((events: OrganisationEvent[]) => indexOrganisationEvents(deps, events));
  return runConsumer({
    chunkSize: 500,
    // The partitions are fetched and parsed side by side; their chunks share bulks (above).
    partitionsConsumedConcurrently: 3,
    ...opts,
    topics: [opts.topic],
    schema: OrganisationEvent,
    fromBeginning: true,
    handle: (batch) => index(batch.map((b) => b.event)),
  });
}
