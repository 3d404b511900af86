import { MatchEvent } from '@lm/contracts';
import { runConsumer, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';

/** matching.suggestions.v1 → stored suggestions, so scheduling never calls the matching service. */
export function startSuggestionsConsumer(opts: {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  groupId: string;
  topic: string;
  metrics?: Registry;
  apply: (ev: MatchEvent) => Promise<void>;
}): Promise<RunningConsumer> {
  return runConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schema: MatchEvent,
    producer: opts.producer,
    logger: opts.logger,
    metrics: opts.metrics,
    handle: async (batch) => {
      for (const { event } of batch) await opts.apply(event);
    },
  });
}
