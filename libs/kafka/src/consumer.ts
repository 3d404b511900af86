import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { counterOn, gaugeOn } from '@lm/metrics';
import type { Logger } from '@lm/logger';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { createConsumerHealth, type ConsumerState } from './consumer.health';
import { describeError, membershipLost } from './failures';
import { startLagMonitor, type PartitionLag } from './lag';
import { createMessageHandling, type ConsumedEvent, type MembershipCheck } from './message.handling';
import type { EventProducer } from './producer';

export type { ConsumedEvent } from './message.handling';
export type { ConsumerState } from './consumer.health';

export interface ConsumerOptions<S extends z.ZodType> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Validates each message value (parsed JSON); a message that fails goes to the DLQ. */
  schema: S;
  /**
   * Default true. A message that is not JSON or fails the schema is invalid for every reader of
   * the topic: when several groups of one service read it, one of them dead-letters it and the
   * others set this false and skip it (counted as `skipped_invalid`), so operators find one
   * dead letter per bad message, not one per group.
   */
  deadLetterInvalid?: boolean;
  /**
   * The effect, for a batch of valid events in offset order (per partition). Must be
   * idempotent: after a crash the batch may be delivered again.
   */
  handle: (events: ConsumedEvent<z.output<S>>[]) => Promise<void>;
  /** Used for the dead-letter topic. */
  producer: EventProducer;
  logger: Logger;
  fromBeginning?: boolean;
  /** Attempts for a non-retriable failure before the message is dead-lettered. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  metrics?: Registry;
  sessionTimeoutMs?: number;
  /** Messages handed to `handle` at once (and committed together). Default 50: small enough that a stop waits for at most one chunk. */
  chunkSize?: number;
  /** Heartbeats go out at this interval, also while `handle` runs (a slow handler never outlives the session). Default 3000. */
  heartbeatIntervalMs?: number;
  /** `kafka_consumer_lag` (high watermark − committed offset) is refreshed at this interval. Default 5000. */
  lagIntervalMs?: number;
  /** Backoff between restarts after a crash kafkajs does not recover from by itself. Default 500 → 30 000 ms. */
  restartBackoffMs?: { initial: number; max: number };
  /** How long the consumer may stay out of its group (crashed, rejoin failing) before `onDown` fires. Default 120 000. */
  maxDownMs?: number;
  /** A member whose handler keeps failing this long without progress fails readiness (`check()`). Default 60 000. */
  maxFailingMs?: number;
  /** Called once per outage longer than `maxDownMs`; services stop and exit non-zero so a supervisor restarts them. */
  onDown?: (error: unknown) => void;
  /**
   * Probed before a message is dead-lettered for a handler failure: if it rejects, the engines
   * are not healthy, the failure is an outage in disguise and is retried instead.
   */
  engineCheck?: () => Promise<unknown>;
  /**
   * Partitions handled at once (kafkajs `partitionsConsumedConcurrently`; default 1). Order and
   * commits stay per partition; more than 1 lets an I/O-bound handler overlap its writes.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Bytes fetched per partition at once (kafkajs default 1 MB, a few hundred messages): a
   * coalescing consumer raises it so one chunk can hold a whole backlog.
   */
  maxBytesPerPartition?: number;
  /** Fetch window: the broker answers a fetch once `minBytes` are there or `maxWaitTimeInMs` passed (coalescing consumers). */
  minBytes?: number;
  maxWaitTimeInMs?: number;
}

export interface ConsumerStatus {
  groupId: string;
  state: ConsumerState;
  /** Since when it has been out of its group or crash-looping (ISO). */
  downSince?: string;
  /** Since when its handler has been failing without progress (ISO). */
  failingSince?: string;
  lastError?: string;
  /** Crashes followed by a restart (by kafkajs itself or by the runner). */
  restarts: number;
  lag: PartitionLag[];
}

export interface RunningConsumer {
  /** The current kafkajs consumer (a new one after a restart). */
  readonly consumer: Consumer;
  /** Readiness: rejects while the consumer is not a consuming member of its group. */
  check(): Promise<void>;
  status(): ConsumerStatus;
  stop(): Promise<void>;
}

function consumerMetrics(registry: Registry | undefined) {
  if (!registry) return undefined;
  return {
    messages: counterOn(registry, { name: 'kafka_consumer_messages_total', help: 'Consumed messages by result', labelNames: ['topic', 'group', 'result'] }),
    lag: gaugeOn(registry, {
      name: 'kafka_consumer_lag',
      help: 'High watermark minus committed offset, refreshed on a timer',
      labelNames: ['topic', 'partition', 'group'],
    }),
    up: gaugeOn(registry, { name: 'kafka_consumer_up', help: '1 while the consumer is a member of its group, 0 while it is down', labelNames: ['group'] }),
    restarts: counterOn(registry, { name: 'kafka_consumer_restarts_total', help: 'Restarts after a crash', labelNames: ['group'] }),
    failures: counterOn(registry, {
      name: 'kafka_consumer_handler_failures_total',
      help: 'Failed handler attempts (each is retried or ends in the DLQ)',
      labelNames: ['group'],
    }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * At-least-once consumer-group runner that cannot die silently:
 * - offsets are committed only after `handle` succeeded for the messages;
 * - heartbeats continue while `handle` runs, so a slow handler keeps its membership;
 * - an evicted member (commit refused: unknown member / illegal generation) rejoins and the
 *   uncommitted chunk is re-delivered; a crash kafkajs does not restart by itself is restarted
 *   here with backoff, from the committed offsets, on a fresh client;
 * - while it is out of its group `check()` rejects (readiness 503) and `kafka_consumer_up` is 0;
 *   so does `check()` while its handler has failed for `maxFailingMs` without progress
 *   (`kafka_consumer_handler_failures_total` counts the attempts);
 *   after `maxDownMs` `onDown` fires (services exit non-zero);
 * - `kafka_consumer_lag` is high watermark − committed offset, refreshed on a timer;
 * - invalid messages (not JSON, schema violation) go to `<topic>.dlq` at once;
 * - engine outages (see `isTransient`) are retried with capped backoff for as long as it takes;
 * - other failures are retried `maxAttempts` times, then the batch is split to find the
 *   poison message, which is dead-lettered while the rest are processed.
 */
export async function runConsumer<S extends z.ZodType>(opts: ConsumerOptions<S>): Promise<RunningConsumer> {
  const log = opts.logger.child({ component: 'consumer', group: opts.groupId });
  const heartbeatInterval = opts.heartbeatIntervalMs ?? 3_000;
  const restartBackoff = opts.restartBackoffMs ?? { initial: 500, max: 30_000 };
  const metrics = consumerMetrics(opts.metrics);
  const health = createConsumerHealth({
    groupId: opts.groupId,
    logger: log,
    up: metrics?.up,
    maxDownMs: opts.maxDownMs ?? 120_000,
    maxFailingMs: opts.maxFailingMs ?? 60_000,
    onDown: opts.onDown,
  });
  const handleChunk = createMessageHandling({
    groupId: opts.groupId,
    schema: opts.schema,
    handle: opts.handle,
    producer: opts.producer,
    logger: log,
    deadLetterInvalid: opts.deadLetterInvalid !== false,
    maxAttempts: opts.maxAttempts ?? 5,
    backoff: { initial: opts.initialBackoffMs ?? 200, max: opts.maxBackoffMs ?? 10_000 },
    engineCheck: opts.engineCheck,
    messages: metrics?.messages,
    stopping: () => stopping,
    onFailure: (e) => {
      health.failing(e);
      metrics?.failures.inc({ group: opts.groupId });
    },
  });
  const chunkSize = opts.chunkSize ?? 50;

  let stopping = false;
  let restarts = 0;
  let restartAttempt = 0;

  function progressed() {
    if (health.state === 'running') restartAttempt = 0;
    health.progressed();
  }

  /**
   * Heartbeats on a timer while `work` runs. A heartbeat refused because the group moved on
   * (rebalance, eviction) is remembered: the work is abandoned at the next step and the
   * error is rethrown so kafkajs rejoins (its runner rejoins on exactly these errors).
   */
  async function withHeartbeats(heartbeat: () => Promise<void>, work: (membership: MembershipCheck) => Promise<void>) {
    let lost: Error | undefined;
    const timer = setInterval(() => {
      heartbeat().catch((e: unknown) => {
        lost ??= membershipLost(e);
      });
    }, heartbeatInterval);
    try {
      await work(() => lost);
    } finally {
      clearInterval(timer);
    }
    if (lost) throw lost;
  }

  async function commit(c: Consumer, topic: string, partition: number, offset: string) {
    try {
      // Explicit commit of "next offset to read", only now that the effects are done.
      await c.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
    } catch (e) {
      // kafkajs wraps "the coordinator is not aware of this member" in a non-retriable error
      // that crashes the consumer for good; the bare protocol error makes its runner rejoin.
      const lost = membershipLost(e);
      if (lost) log.warn({ topic, partition, offset, err: describeError(lost) }, 'commit refused: no longer a member, rejoining');
      throw lost ?? e;
    }
  }

  function eachBatch(c: Consumer) {
    return async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
      const { topic, partition } = batch;
      // A fetched batch can hold thousands of messages; handling it in chunks, with a commit
      // after each, bounds re-delivery; heartbeats continue during each chunk.
      for (let i = 0; i < batch.messages.length; i += chunkSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(i, i + chunkSize);
        await withHeartbeats(heartbeat, (membership) => handleChunk(topic, partition, chunk, membership));
        if (!isRunning() || isStale()) return;
        const last = chunk[chunk.length - 1]!;
        await commit(c, topic, partition, last.offset);
        resolveOffset(last.offset);
        progressed();
      }
    };
  }

  let consumer: Consumer = createConsumer();

  function createConsumer(): Consumer {
    const c = opts.kafka.consumer({
      groupId: opts.groupId,
      sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
      heartbeatInterval,
      ...(opts.minBytes !== undefined ? { minBytes: opts.minBytes } : {}),
      ...(opts.maxBytesPerPartition !== undefined
        ? { maxBytesPerPartition: opts.maxBytesPerPartition, maxBytes: Math.max(10 * 1024 * 1024, 4 * opts.maxBytesPerPartition) }
        : {}),
      ...(opts.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: opts.maxWaitTimeInMs } : {}),
    });
    c.on(c.events.GROUP_JOIN, () => {
      if (c === consumer) health.joined();
    });
    c.on(c.events.CRASH, ({ payload }) => {
      if (c !== consumer || stopping) return;
      log.error({ err: describeError(payload.error), kafkajsRestarts: payload.restart }, 'consumer crashed');
      health.down(payload.error);
      if (!payload.restart) return void restart();
      restarts++;
      metrics?.restarts.inc({ group: opts.groupId });
    });
    return c;
  }

  async function start(c: Consumer) {
    await c.connect();
    for (const topic of opts.topics) await c.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
      eachBatch: eachBatch(c),
    });
  }

  /** A fresh client after backoff; it resumes from the committed offsets. Retries until it works or the runner stops. */
  async function restart(): Promise<void> {
    while (!stopping) {
      const delay = Math.min(restartBackoff.max, restartBackoff.initial * 2 ** Math.min(restartAttempt++, 10));
      log.warn({ delayMs: delay, attempt: restartAttempt }, 'restarting consumer');
      await sleep(delay);
      if (stopping) return;
      await consumer.disconnect().catch(() => undefined);
      consumer = createConsumer();
      restarts++;
      metrics?.restarts.inc({ group: opts.groupId });
      try {
        await start(consumer);
        return;
      } catch (e) {
        log.error({ err: describeError(e) }, 'consumer restart failed');
        health.down(e);
      }
    }
  }

  const lag = startLagMonitor({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: opts.topics,
    gauge: metrics?.lag,
    intervalMs: opts.lagIntervalMs ?? 5_000,
    logger: log,
    onRefresh: (partitions) => {
      if (partitions.every((p) => p.lag === 0)) progressed();
    },
  });
  try {
    await start(consumer);
  } catch (e) {
    await lag.stop();
    throw e;
  }

  return {
    get consumer() {
      return consumer;
    },
    async check() {
      health.check();
    },
    status() {
      return { groupId: opts.groupId, ...health.status(), restarts, lag: lag.current() };
    },
    async stop() {
      stopping = true;
      health.stopped();
      await lag.stop();
      await consumer.disconnect();
    },
  };
}
