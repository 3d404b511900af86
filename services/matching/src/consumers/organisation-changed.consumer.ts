import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type ConsumerOptions, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { MatchingDeps } from '../usecases/deps';
import { applyOrganisationEvents } from '../usecases/index-organisations.usecase';

/**
 * profiles.organisations.v1 → index + top-N events. Thin: validation, retries, DLQ and the
 * commit-after-effects live in runConsumer; the effect is the use case.
 */
export function startOrganisationConsumer(
  deps: MatchingDeps,
  opts: { kafka: Kafka; groupId: string; topic: string; producer: EventProducer; logger: Logger; metrics?: Registry } & Pick<ConsumerOptions<z.ZodType>, 'onDown' | 'engineCheck'>,
): Promise<RunningConsumer> {
  return runConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schema: OrganisationEvent,
    producer: opts.producer,
    logger: opts.logger,
    metrics: opts.metrics,
    onDown: opts.onDown,
    engineCheck: opts.engineCheck,
    fromBeginning: true,
    handle: async (batch) => {
      await applyOrganisationEvents(
        deps,
        batch.map((b) => b.event),
      );
    },
  });
}
