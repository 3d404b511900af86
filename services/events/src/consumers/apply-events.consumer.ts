import { runConsumer, type ConsumerOptions, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { z } from 'zod';

export interface ApplyConsumerOptions<E> extends Pick<ConsumerOptions<z.ZodType>, 'onDown' | 'engineCheck' | 'maxDownMs' | 'lagIntervalMs' | 'chunkSize'> {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  groupId: string;
  topic: string;
  metrics?: Registry;
  /** Idempotent, version/time-ordered store update; called once per event, in offset order. */
  apply: (ev: E) => Promise<void>;
  /**
   * Events carrying a whole state (a snapshot per key): of the events of one chunk with the same
   * key only the last is applied — the earlier ones would be overwritten at once.
   */
  snapshotKey?: (ev: E) => string;
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
    chunkSize: opts.chunkSize,
    handle: async (batch) => {
      const events = batch.map((b) => b.event);
      for (const event of opts.snapshotKey ? lastPerKey(events, opts.snapshotKey) : events) await opts.apply(event);
    },
  });
}

/** The last event per key, in the order of those last events (offset order within a partition). */
function lastPerKey<E>(events: E[], key: (ev: E) => string): E[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => last.set(key(e), i));
  return events.filter((e, i) => last.get(key(e)) === i);
}
