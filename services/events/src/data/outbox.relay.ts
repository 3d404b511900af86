import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { createOutboxRelay as createSharedRelay, type OutboxRelay } from '@lm/outbox';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import { MAX_EVENTS_PER_MARK, type OutboxCollection } from './outbox.marks';
import { createEventsOutboxStore } from './outbox.store';

export type { OutboxRelay };

/**
 * The events service's relay: the shared @lm/outbox relay (leases, per-document order, batched
 * publish and acknowledgement, backoff while Kafka is down, `events_outbox_*` metrics) over the
 * outbox marks of the documents of `collections` (outbox.store).
 */
export function createOutboxRelay(opts: {
  conn: Connection;
  collections: OutboxCollection[];
  producer: EventProducer;
  topic: string;
  logger: Logger;
  intervalMs?: number;
  coalesceMs?: number;
  metrics?: Registry;
}): OutboxRelay {
  return createSharedRelay({
    store: createEventsOutboxStore(opts.conn, opts.collections),
    producer: opts.producer,
    topic: opts.topic,
    logger: opts.logger,
    metricsPrefix: 'events',
    pollMs: opts.intervalMs ?? 500,
    coalesceMs: opts.coalesceMs ?? 0,
    // Envelopes per round (one produce request): a whole mark of a publish, or ~100 requests' marks.
    batchSize: MAX_EVENTS_PER_MARK,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
}
