import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';

/** profiles.organisations.v1 → organisation snapshots (registration reads them; no calls to profiles). */
export function startOrganisationsConsumer(opts: {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  groupId: string;
  topic: string;
  metrics?: Registry;
  apply: (ev: OrganisationEvent) => Promise<void>;
}): Promise<RunningConsumer> {
  return runConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schema: OrganisationEvent,
    producer: opts.producer,
    logger: opts.logger,
    metrics: opts.metrics,
    handle: async (batch) => {
      for (const { event } of batch) await opts.apply(event);
    },
  });
}
