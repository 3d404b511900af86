import { dlqTopic } from '@lm/contracts';
import type { Logger } from '@lm/logger';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { counterOn, gaugeOn } from '@lm/metrics';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { describeError, isTransient, membershipLost } from './failures';
import { startLagMonitor, type PartitionLag } from './lag';
import type { EventProducer } from './producer';

export interface ConsumedEvent<T> {
  event: T;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
}

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

export type ConsumerState = 'starting' | 'running' | 'down' | 'stopped';

export interface ConsumerStatus {
  groupId: string;
  state: ConsumerState;
  /** Since when it has been out of its group or crash-looping (ISO). */
  downSince?: string;
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
 *   after `maxDownMs` `onDown` fires (services exit non-zero);
 * - `kafka_consumer_lag` is high watermark − committed offset, refreshed on a timer;
 * - invalid messages (not JSON, schema violation) go to `<topic>.dlq` at once;
 * - engine outages (see `isTransient`) are retried with capped backoff for as long as it takes;
 * - other failures are retried `maxAttempts` times, then the batch is split to find the
 *   poison message, which is dead-lettered while the rest are processed.
 */
export async function runConsumer<S extends z.ZodType>(opts: ConsumerOptions<S>): Promise<RunningConsumer> {
  const log = opts.logger.child({ component: 'consumer', group: opts.groupId });
  const maxAttempts = opts.maxAttempts ?? 5;
  const chunkSize = opts.chunkSize ?? 50;
  const initialBackoff = opts.initialBackoffMs ?? 200;
  const maxBackoff = opts.maxBackoffMs ?? 10_000;
  const heartbeatInterval = opts.heartbeatIntervalMs ?? 3_000;
  const restartBackoff = opts.restartBackoffMs ?? { initial: 500, max: 30_000 };
  const maxDownMs = opts.maxDownMs ?? 120_000;
  const metrics = consumerMetrics(opts.metrics);
  const group = { group: opts.groupId };

  let stopping = false;
  let state: ConsumerState = 'starting';
  let downSince: number | undefined;
  let lastError: unknown;
  let downTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  let restartAttempt = 0;

  /** Joined its group: consuming again as far as readiness is concerned. */
  function markJoined() {
    if (stopping) return;
    if (state === 'down') log.info({ downMs: Date.now() - (downSince ?? Date.now()) }, 'consumer rejoined its group');
    state = 'running';
    metrics?.up.set(group, 1);
  }

  /**
   * Made progress (committed, or nothing left to consume): only now is the outage over. A
   * consumer that rejoins and crashes again on the same message stays "down" for `onDown`.
   */
  function markProgress() {
    if (state !== 'running') return;
    downSince = undefined;
    lastError = undefined;
    restartAttempt = 0;
    if (downTimer) clearTimeout(downTimer);
    downTimer = undefined;
  }

  function markDown(error: unknown) {
    if (stopping) return;
    state = 'down';
    lastError = error;
    downSince ??= Date.now();
    metrics?.up.set(group, 0);
    downTimer ??= setTimeout(() => {
      log.fatal({ err: describeError(error), downMs: maxDownMs }, 'consumer is still down, giving up');
      opts.onDown?.(error);
    }, maxDownMs);
    downTimer.unref();
  }

  async function deadLetter(topic: string, partition: number, m: KafkaMessage, reason: string, error: string) {
    if (opts.deadLetterInvalid === false && reason !== 'handler_failed') {
      metrics?.messages.inc({ topic, group: opts.groupId, result: 'skipped_invalid' });
      log.warn({ topic, partition, offset: m.offset, reason, error }, 'invalid message skipped (another group dead-letters it)');
      return;
    }
    const message = {
      key: m.key,
      value: m.value,
      headers: {
        ...m.headers,
        'dlq-reason': reason,
        'dlq-error': error.slice(0, 2000),
        'dlq-source-topic': topic,
        'dlq-source-partition': String(partition),
        'dlq-source-offset': m.offset,
        'dlq-consumer-group': opts.groupId,
        'dlq-failed-at': new Date().toISOString(),
      },
    };
    // Kafka being away is an outage like any other: keep trying, never skip the message.
    for (let n = 1; ; n++) {
      try {
        await opts.producer.sendRaw(dlqTopic(topic), [message]);
        break;
      } catch (e) {
        if (stopping || !isTransient(e)) throw e;
        log.warn({ err: describeError(e), attempt: n }, 'dead-letter publish failed, retrying');
        await sleep(Math.min(maxBackoff, initialBackoff * 2 ** Math.min(n - 1, 10)));
      }
    }
    metrics?.messages.inc({ topic, group: opts.groupId, result: 'dead_lettered' });
    log.warn({ topic, partition, offset: m.offset, reason, error }, 'message dead-lettered');
  }

  /** True when the failure can be blamed on the message: not an outage, and the engines answer. */
  async function isPoison(e: unknown): Promise<boolean> {
    if (isTransient(e)) return false;
    if (!opts.engineCheck) return true;
    try {
      await opts.engineCheck();
      return true;
    } catch (check) {
      log.warn({ err: describeError(e), engine: describeError(check) }, 'handler failed while an engine is unhealthy: treated as an outage');
      return false;
    }
  }

  /** Runs the handler until it succeeds; returns the error when it should be dead-lettered. */
  async function attempt(events: ConsumedEvent<z.output<S>>[], abort: () => Error | undefined): Promise<unknown | undefined> {
    let failures = 0;
    for (let n = 1; ; n++) {
      try {
        await opts.handle(events);
        return undefined;
      } catch (e) {
        // Stopping or evicted: leave the offsets uncommitted; the next owner re-processes.
        if (stopping) throw e;
        const lost = abort();
        if (lost) throw lost;
        const poison = await isPoison(e);
        if (poison) failures++;
        if (poison && failures >= maxAttempts) return e;
        const backoff = Math.min(maxBackoff, initialBackoff * 2 ** Math.min(n - 1, 10));
        log.warn({ err: describeError(e), attempt: n, transient: !poison, backoffMs: backoff, size: events.length }, 'handler failed, retrying');
        await sleep(backoff);
      }
    }
  }

  /** Validates a chunk (invalid → DLQ), runs the handler on the valid events, isolates poison messages. */
  async function handleChunk(topic: string, partition: number, messages: KafkaMessage[], abort: () => Error | undefined) {
    const valid: ConsumedEvent<z.output<S>>[] = [];
    for (const m of messages) {
      let json: unknown;
      try {
        json = JSON.parse(m.value?.toString('utf8') ?? 'null');
      } catch (e) {
        await deadLetter(topic, partition, m, 'invalid_json', describeError(e));
        continue;
      }
      const parsed = opts.schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        await deadLetter(topic, partition, m, 'invalid_schema', issues);
        continue;
      }
      valid.push({ event: parsed.data, topic, partition, offset: m.offset, key: m.key?.toString('utf8') ?? null, headers: m.headers ?? {} });
    }
    if (!valid.length) return;
    const failed = await attempt(valid, abort);
    if (failed !== undefined) {
      // Isolate the poison message(s): one by one, dead-letter those that still fail.
      for (const ev of valid) {
        const err = valid.length === 1 ? failed : await attempt([ev], abort);
        if (err !== undefined) {
          const m = messages.find((x) => x.offset === ev.offset)!;
          await deadLetter(topic, partition, m, 'handler_failed', describeError(err));
        }
      }
    }
    metrics?.messages.inc({ topic, group: opts.groupId, result: 'processed' }, valid.length);
  }

  /**
   * Heartbeats on a timer while `work` runs. A heartbeat refused because the group moved on
   * (rebalance, eviction) is remembered: the work is abandoned at the next step and the
   * error is rethrown so kafkajs rejoins (its runner rejoins on exactly these errors).
   */
  async function withHeartbeats(heartbeat: () => Promise<void>, work: (abort: () => Error | undefined) => Promise<void>) {
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
        await withHeartbeats(heartbeat, (abort) => handleChunk(topic, partition, chunk, abort));
        if (!isRunning() || isStale()) return;
        const last = chunk[chunk.length - 1]!;
        await commit(c, topic, partition, last.offset);
        resolveOffset(last.offset);
        markProgress();
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
      if (c === consumer) markJoined();
    });
    c.on(c.events.CRASH, ({ payload }) => {
      if (c !== consumer || stopping) return;
      log.error({ err: describeError(payload.error), kafkajsRestarts: payload.restart }, 'consumer crashed');
      markDown(payload.error);
      if (!payload.restart) return void restart();
      restarts++;
      metrics?.restarts.inc(group);
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
      metrics?.restarts.inc(group);
      try {
        await start(consumer);
        return;
      } catch (e) {
        log.error({ err: describeError(e) }, 'consumer restart failed');
        markDown(e);
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
      if (partitions.every((p) => p.lag === 0)) markProgress();
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
      if (state === 'running') return;
      const since = downSince ? ` since ${new Date(downSince).toISOString()}` : '';
      throw new Error(`consumer group ${opts.groupId} is ${state}${since}${lastError ? `: ${describeError(lastError)}` : ''}`);
    },
    status() {
      return {
        groupId: opts.groupId,
        state,
        ...(downSince ? { downSince: new Date(downSince).toISOString() } : {}),
        ...(lastError ? { lastError: describeError(lastError) } : {}),
        restarts,
        lag: lag.current(),
      };
    },
    async stop() {
      stopping = true;
      state = 'stopped';
      if (downTimer) clearTimeout(downTimer);
      await lag.stop();
      await consumer.disconnect();
    },
  };
}
