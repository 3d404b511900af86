import { runConsumer, type ConsumerOptions, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { z } from 'zod';

export interface ApplyConsumerOptions<E> extends Pick<ConsumerOptions<z.ZodType>, 'onDown' | 'engineCheck' | 'maxDownMs' | 'lagIntervalMs'> {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  groupId: string;
  topic: string;
  metrics?: Registry;
  /** Idempotent, version/time-ordered store update; called once per event, in offset order. */
  apply: (ev: E) => Promise<void>;
}

/** A consumer whose effect is applying each valid event to a local store, in order. */
export function startApplyingConsumer<S extends z.ZodType>(schema: S, opts: ApplyConsumerOptions<z.output<S>>): Promise<RunningConsumer> {
  return runConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schema,
    producer: opts.producer,
    logger: opts.logger,
    metrics: opts.metrics,
    onDown: opts.onDown,
    engineCheck: opts.engineCheck,
    maxDownMs: opts.maxDownMs,
    lagIntervalMs: opts.lagIntervalMs,
    handle: async (batch) => {
      for (const { event } of batch) await opts.apply(event);
    },
  });
}
