import { MatchEvent } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { startApplyingConsumer, type ApplyConsumerOptions } from './apply-events.consumer';

/** matching.suggestions.v2 → stored suggestions, so scheduling never calls the matching service. */
export function startSuggestionsConsumer(opts: ApplyConsumerOptions<MatchEvent>): Promise<RunningConsumer> {
  // A match.suggestions.changed carries the company's whole top-N: only the last per company of
  // a chunk counts, so large chunks turn a burst of messages into one write per company.
  return startApplyingConsumer(MatchEvent, {
    chunkSize: 500,
    ...opts,
    snapshotKey: (e) => (e.type === 'match.suggestions.changed' ? `topn:${e.data.companyId}` : e.id),
  });
}
