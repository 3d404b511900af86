import { MatchEvent } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { startApplyingConsumer, type ApplyConsumerOptions } from './apply-events.consumer';

/** matching.suggestions.v2 → stored suggestions, so scheduling never calls the matching service. */
export function startSuggestionsConsumer(opts: ApplyConsumerOptions<MatchEvent>): Promise<RunningConsumer> {
  return startApplyingConsumer(MatchEvent, opts);
}
