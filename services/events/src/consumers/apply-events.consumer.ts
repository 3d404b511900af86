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
  /** The events of one key are applied in offset order; different keys' events side by side. */
  keyOf: (ev: E) => string;
  /**
   * Events carrying a whole state (a snapshot per key): of the events of one chunk with the same
   * key only the last is applied — the earlier ones would be overwritten at once.
   */
  snapshots?: boolean;
  /**
   * Keys applied at once (default 1). On the embedded engine more is slower: SQLite has one
   * writer, and 8 at once slowed both this consumer (150 vs 220 messages/s) and the profiles
   * import sharing the engine (64 vs 98 rows/s) in `npm run bench:pipeline -- --n 3000`. A
   * server engine (MongoDB) can take more.
   */
  applyConcurrency?: number;
}

/** What a topic's consumer is started with; how it keys and coalesces the events is the topic's own business. */
export type AppliedTopicOptions<E> = Omit<ApplyConsumerOptions<E>, 'keyOf' | 'snapshots'>;

/** A consumer whose effect is applying each valid event to a local store, in order per key. */
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
      const perKey = byKey(
        batch.map((b) => b.event),
        opts.keyOf,
      );
      const queues = opts.snapshots ? perKey.map((events) => events.slice(-1)) : perKey;
      await applyQueues(queues, opts.applyConcurrency ?? 1, opts.apply);
    },
  });
}

/** The events of each key, in offset order; keys in first-seen order. */
function byKey<E>(events: E[], key: (ev: E) => string): E[][] {
  const groups = new Map<string, E[]>();
  for (const e of events) {
    const k = key(e);
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  return [...groups.values()];
}

/** Each queue in order, up to `concurrency` queues at once. The first failure fails the chunk (re-delivered: `apply` is idempotent). */
async function applyQueues<E>(queues: E[][], concurrency: number, apply: (ev: E) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < queues.length) for (const ev of queues[next++]!) await apply(ev);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
}
