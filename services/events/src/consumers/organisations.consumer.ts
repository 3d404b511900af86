import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';

/** profiles.organisations.v1 → organisation snapshots (registration reads them; no calls to profiles). */
export function startOrganisationsConsumer(opts: {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  groupId: string;
  topic: string;
  apply: (ev: OrganisationEvent) => Promise<void>;
}): Promise<RunningConsumer> {
  return runConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schema: OrganisationEvent,
    producer: opts.producer,
    logger: opts.logger,
    handle: async (batch) => {
      for (const { event } of batch) await opts.apply(event);
    },
  });
}
