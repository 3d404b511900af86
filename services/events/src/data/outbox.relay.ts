import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { createOutboxRelay as createSharedRelay, type OutboxRelay } from '@lm/outbox';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import { createEventsOutboxStore, type OutboxCollection } from './outbox.store';

export type { OutboxRelay };

/**
 * The events service's relay: the shared @lm/outbox relay (leases, per-document order, batched
 * publish and acknowledgement, backoff while Kafka is down, `events_outbox_*` metrics) over the
 * documents' outbox arrays of `collections`.
 */
export function createOutboxRelay(opts: {
  conn: Connection;
  collections: OutboxCollection[];
  producer: EventProducer;
  topic: string;
  logger: Logger;
  intervalMs?: number;
  metrics?: Registry;
}): OutboxRelay {
  return createSharedRelay({
    store: createEventsOutboxStore(opts.conn, opts.collections),
    producer: opts.producer,
    topic: opts.topic,
    logger: opts.logger,
    metricsPrefix: 'events',
    pollMs: opts.intervalMs ?? 500,
    batchSize: 100,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
}
