import type { Envelope } from '@lm/contracts';
import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { randomBytes } from 'crypto';
import { counterOn, gaugeOn, histogramOn } from '@lm/metrics';
import type { Registry } from 'prom-client';

/** One aggregate's unpublished events, in the order they must reach Kafka. */
export interface ClaimedOutbox {
  /** Aggregate id (the lease and the Kafka key are per aggregate). */
  id: string;
  events: Envelope[];
}

/**
 * What a service's storage offers the relay. Contract:
 * - `claim` leases up to `limit` aggregates with pending events for `token` (no other relay
 *   publishes them until acknowledged, released or the lease expires) and returns their events
 *   in version order;
 * - `acknowledge` removes exactly the published events (an event appended meanwhile stays
 *   pending) and gives the leases back — in a few statements for the whole batch;
 * - `release` gives the leases back after a failed publish;
 * - `backlog` counts the store's pending marks for the gauge — a mark per event or per aggregate
 *   with pending events, whichever the store keeps.
 */
export interface OutboxStore {
  claim(token: string, limit: number): Promise<ClaimedOutbox[]>;
  acknowledge(token: string, published: ClaimedOutbox[]): Promise<void>;
  release(token: string, claimed: ClaimedOutbox[]): Promise<void>;
  backlog(): Promise<number>;
}

export interface RelayOptions {
  store: OutboxStore;
  producer: EventProducer;
  topic: string;
  logger: Logger;
  /** Metric names start with `<metricsPrefix>_outbox_` (e.g. `profiles`). */
  metricsPrefix: string;
  metrics?: Registry;
  pollMs?: number;
  /** Events claimed per round (fewer rounds: fewer lease, read and acknowledge statements per event). */
  batchSize?: number;
  /**
   * After a round that published less than a batch, the next round starts at least this long
   * after it began (kicks do not cut it short): under a stream of single writes, events gather
   * into fewer rounds instead of one round — several statements — per write. 0: no pause.
   */
  coalesceMs?: number;
  maxBackoffMs?: number;
  /** Identifies this relay in leases and logs. */
  owner?: string;
}

function relayMetrics(registry: Registry | undefined, prefix: string, store: OutboxStore) {
  if (!registry) return undefined;
  gaugeOn(registry, {
    name: `${prefix}_outbox_backlog`,
    help: 'Pending outbox marks: events, or aggregates with events, not yet published (the store decides which)',
    async collect() {
      this.set(await store.backlog());
    },
  });
  return {
    published: counterOn(registry, { name: `${prefix}_outbox_published_total`, help: 'Outbox events published to Kafka' }),
    failures: counterOn(registry, { name: `${prefix}_outbox_publish_failures_total`, help: 'Failed relay rounds (Kafka or the database unavailable)' }),
    roundSeconds: histogramOn(registry, {
      name: `${prefix}_outbox_round_seconds`,
      help: 'Duration of a claim → publish → acknowledge round that published events',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  };
}

/**
 * The transactional-outbox relay: claim (lease) aggregates with pending events, publish their
 * events in one send (per key, Kafka keeps array order = version order), acknowledge them.
 * Kafka or the database down → the events stay pending, the relay backs off and retries;
 * nothing is lost and writes never wait for it. Several relays may run (leases).
 */
export function createOutboxRelay(opts: RelayOptions) {
  const log = opts.logger.child({ component: 'outbox-relay' });
  const pollMs = opts.pollMs ?? 300;
  const batchSize = opts.batchSize ?? 100;
  const coalesceMs = opts.coalesceMs ?? 0;
  const maxBackoffMs = opts.maxBackoffMs ?? 5_000;
  const owner = opts.owner ?? `relay-${process.pid}-${randomBytes(3).toString('hex')}`;
  const metrics = relayMetrics(opts.metrics, opts.metricsPrefix, opts.store);
  let claims = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let kicked = false;
  let backingOff = false;

  /** One claim → publish → acknowledge round; returns the number of events published. */
  async function runOnce(): Promise<number> {
    const token = `${owner}:${++claims}`;
    const started = performance.now();
    const claimed = await opts.store.claim(token, batchSize);
    if (!claimed.length) return 0;
    const envelopes = claimed.flatMap((c) => c.events);
    try {
      // However large the round, the producer sends it in order, in requests under Kafka's batch limit.
      await opts.producer.publish(opts.topic, envelopes);
    } catch (e) {
      await opts.store.release(token, claimed).catch(() => undefined);
      throw e;
    }
    await opts.store.acknowledge(token, claimed);
    metrics?.published.inc(envelopes.length);
    metrics?.roundSeconds.observe((performance.now() - started) / 1000);
    return envelopes.length;
  }

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
        const started = Date.now();
        const n = await runOnce();
        if (failures) log.info({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
        if (n >= batchSize) continue; // more may be waiting: drain before sleeping
        if (n > 0) {
          // A trickle: let the next writes gather, then drain.
          const wait = started + coalesceMs - Date.now();
          if (wait > 0 && running) await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        await sleep(pollMs);
      } catch (e) {
        failures++;
        metrics?.failures.inc();
        const backoff = Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failures - 1, 8));
        log.warn({ err: e instanceof Error ? e.message : String(e), failures, backoffMs: backoff }, 'outbox relay round failed, retrying');
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
    /** Rounds until nothing is pending (tests, shutdown hooks); returns the events published. */
    async flush(): Promise<number> {
      let total = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
      return total;
    },
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
