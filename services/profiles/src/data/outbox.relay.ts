import type { Envelope } from '@lm/contracts';
import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { randomBytes } from 'crypto';
import { Counter, Gauge, Registry } from 'prom-client';
import type { OutboxStore } from './outbox.store';

export interface RelayOptions {
  store: OutboxStore;
  producer: EventProducer;
  topic: string;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  maxBackoffMs?: number;
  /** Identifies this relay in leases and logs. */
  owner?: string;
  metrics?: Registry;
}

function relayMetrics(registry: Registry | undefined, store: OutboxStore) {
  if (!registry) return undefined;
  const published =
    (registry.getSingleMetric('profiles_outbox_published_total') as Counter | undefined) ??
    new Counter({ name: 'profiles_outbox_published_total', help: 'Outbox events published to Kafka', registers: [registry] });
  const failures =
    (registry.getSingleMetric('profiles_outbox_publish_failures_total') as Counter | undefined) ??
    new Counter({ name: 'profiles_outbox_publish_failures_total', help: 'Failed relay cycles (Kafka or Mongo unavailable)', registers: [registry] });
  if (!registry.getSingleMetric('profiles_outbox_backlog')) {
    new Gauge({
      name: 'profiles_outbox_backlog',
      help: 'Organisations with events not yet published',
      registers: [registry],
      async collect() {
        this.set(await store.backlog());
      },
    });
  }
  return { published, failures };
}

/**
 * Publishes the outbox: claim documents (lease), publish their events in version order in one
 * keyed send, then remove exactly those events. Kafka down → the events stay in the documents,
 * the relay backs off and retries; nothing is lost and writes are never blocked by it.
 */
export function createOutboxRelay(opts: RelayOptions) {
  const log = opts.logger.child({ component: 'outbox-relay' });
  const pollMs = opts.pollMs ?? 300;
  const batchSize = opts.batchSize ?? 50;
  const maxBackoffMs = opts.maxBackoffMs ?? 5_000;
  const owner = opts.owner ?? `relay-${process.pid}-${randomBytes(3).toString('hex')}`;
  const metrics = relayMetrics(opts.metrics, opts.store);
  let claims = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let kicked = false;

  /** One claim → publish → acknowledge round; returns the number of events published. */
  async function runOnce(): Promise<number> {
    const token = `${owner}:${++claims}`;
    const claimed = await opts.store.claim(token, batchSize);
    if (!claimed.length) return 0;
    const envelopes = claimed.flatMap((c) => c.events.map((e) => JSON.parse(e) as Envelope));
    try {
      // One send: per key (= organisation) the messages keep their array order, i.e. version order.
      await opts.producer.publish(opts.topic, envelopes);
    } catch (e) {
      await opts.store.release(token, claimed).catch(() => undefined);
      throw e;
    }
    await opts.store.acknowledge(token, claimed);
    metrics?.published.inc(envelopes.length);
    return envelopes.length;
  }

  let backingOff = false;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (kicked || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      kicked = false;
      try {
        const n = await runOnce();
        if (failures) log.info({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
        if (n > 0) continue; // more may be waiting: drain before sleeping
        await sleep(pollMs);
      } catch (e) {
        failures++;
        metrics?.failures.inc();
        const backoff = Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failures - 1, 8));
        log.warn({ err: e instanceof Error ? e.message : String(e), failures, backoffMs: backoff }, 'outbox relay cycle failed, retrying');
        // Writes during an outage must not turn the backoff into a busy loop of failing sends.
        kicked = false;
        backingOff = true;
        await sleep(backoff);
        backingOff = false;
      }
    }
  }

  return {
    owner,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
      log.info({ topic: opts.topic, pollMs, batchSize }, 'outbox relay started');
    },
    /** A write happened: publish now instead of at the next poll. */
    kick() {
      if (backingOff) return;
      kicked = true;
      wake?.();
    },
    /** Finishes the current round (its events are acknowledged or left pending), then stops. */
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}
export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
