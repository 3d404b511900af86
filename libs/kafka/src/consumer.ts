import { dlqTopic } from '@lm/contracts';
import { isAppError } from '@lm/errors';
import type { Logger } from '@lm/logger';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { Counter, Gauge, Registry } from 'prom-client';
import type { z } from 'zod';
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
}

export interface RunningConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

/** Errors worth retrying forever: the message is fine, an engine is not (AppError.retriable, network errors). */
function isTransient(e: unknown): boolean {
  if (isAppError(e)) return e.retriable;
  const err = e as { name?: string; code?: string; meta?: { statusCode?: number } };
  if (err?.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(err.code)) return true;
  if (err?.name && ['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'MongoNetworkError', 'MongoServerSelectionError', 'KafkaJSConnectionError'].includes(err.name)) return true;
  const status = err?.meta?.statusCode;
  return status === 429 || status === 502 || status === 503 || status === 504;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function consumerMetrics(registry: Registry | undefined) {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric('kafka_consumer_messages_total') as Counter<'topic' | 'group' | 'result'> | undefined;
  return {
    messages:
      existing ??
      new Counter({ name: 'kafka_consumer_messages_total', help: 'Consumed messages by result', labelNames: ['topic', 'group', 'result'] as const, registers: [registry] }),
    lag:
      (registry.getSingleMetric('kafka_consumer_lag') as Gauge<'topic' | 'partition' | 'group'> | undefined) ??
      new Gauge({ name: 'kafka_consumer_lag', help: 'Messages behind the high watermark after the last batch', labelNames: ['topic', 'partition', 'group'] as const, registers: [registry] }),
  };
}

/**
 * At-least-once consumer-group runner:
 * - offsets are resolved and committed only after `handle` succeeded for the messages;
 * - invalid messages (not JSON, schema violation) go to `<topic>.dlq` at once;
 * - transient failures (engine down) are retried with capped backoff for as long as it takes;
 * - other failures are retried `maxAttempts` times, then the batch is split to find the
 *   poison message, which is dead-lettered while the rest are processed.
 */
export async function runConsumer<S extends z.ZodType>(opts: ConsumerOptions<S>): Promise<RunningConsumer> {
  const log = opts.logger.child({ component: 'consumer', group: opts.groupId });
  const maxAttempts = opts.maxAttempts ?? 5;
  const chunkSize = opts.chunkSize ?? 50;
  const initialBackoff = opts.initialBackoffMs ?? 200;
  const maxBackoff = opts.maxBackoffMs ?? 10_000;
  const metrics = consumerMetrics(opts.metrics);
  const consumer = opts.kafka.consumer({ groupId: opts.groupId, sessionTimeout: opts.sessionTimeoutMs ?? 30_000, heartbeatInterval: 3_000 });
  let stopping = false;

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function deadLetter(topic: string, partition: number, m: KafkaMessage, reason: string, error: string) {
    await opts.producer.sendRaw(dlqTopic(topic), [
      {
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
      },
    ]);
    metrics?.messages.inc({ topic, group: opts.groupId, result: 'dead_lettered' });
    log.warn({ topic, partition, offset: m.offset, reason, error }, 'message dead-lettered');
  }

  /** Runs the handler until it succeeds; returns the error when it should be dead-lettered. */
  async function attempt(events: ConsumedEvent<z.output<S>>[], heartbeat: () => Promise<void>): Promise<unknown | undefined> {
    let failures = 0;
    for (let n = 1; ; n++) {
      try {
        await opts.handle(events);
        return undefined;
      } catch (e) {
        if (stopping) throw e; // leave offsets uncommitted; the next owner re-processes
        const transient = isTransient(e);
        if (!transient) failures++;
        if (!transient && failures >= maxAttempts) return e;
        const backoff = Math.min(maxBackoff, initialBackoff * 2 ** Math.min(n - 1, 10));
        log.warn({ err: describe(e), attempt: n, transient, backoffMs: backoff, size: events.length }, 'handler failed, retrying');
        await sleep(backoff);
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /** Validates a chunk (invalid → DLQ), runs the handler on the valid events, isolates poison messages. */
  async function handleChunk(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>) {
    const valid: ConsumedEvent<z.output<S>>[] = [];
    for (const m of messages) {
      let json: unknown;
      try {
        json = JSON.parse(m.value?.toString('utf8') ?? 'null');
      } catch (e) {
        await deadLetter(topic, partition, m, 'invalid_json', describe(e));
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
    const failed = await attempt(valid, heartbeat);
    if (failed !== undefined) {
      // Isolate the poison message(s): one by one, dead-letter those that still fail.
      for (const ev of valid) {
        const err = valid.length === 1 ? failed : await attempt([ev], heartbeat);
        if (err !== undefined) {
          const m = messages.find((x) => x.offset === ev.offset)!;
          await deadLetter(topic, partition, m, 'handler_failed', describe(err));
        }
      }
    }
    metrics?.messages.inc({ topic, group: opts.groupId, result: 'processed' }, valid.length);
  }

  await consumer.connect();
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const { topic, partition } = batch;
      // A fetched batch can hold thousands of messages; handling it in chunks, with a commit
      // and a heartbeat after each, keeps the member alive in its group and bounds re-delivery.
      for (let i = 0; i < batch.messages.length; i += chunkSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(i, i + chunkSize);
        await handleChunk(topic, partition, chunk, heartbeat);
        if (!isRunning() || isStale()) return;
        const last = chunk[chunk.length - 1]!;
        resolveOffset(last.offset);
        // Explicit commit of "next offset to read", only now that the effects are done.
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        await heartbeat();
      }
      metrics?.lag.set({ topic, partition: String(partition), group: opts.groupId }, Number(batch.offsetLag()));
    },
  });

  return {
    consumer,
    async stop() {
      stopping = true;
      await consumer.disconnect();
    },
  };
}
