import { dlqTopic } from '@lm/contracts';
import type { Logger } from '@lm/logger';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Counter } from 'prom-client';
import type { z } from 'zod';
import { describeError, isTransient } from './failures';
import type { EventProducer } from './producer';

export interface ConsumedEvent<T> {
  event: T;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
}

export interface MessageHandlingOptions<S extends z.ZodType> {
  groupId: string;
  schema: S;
  handle: (events: ConsumedEvent<z.output<S>>[]) => Promise<void>;
  producer: EventProducer;
  logger: Logger;
  deadLetterInvalid: boolean;
  maxAttempts: number;
  backoff: { initial: number; max: number };
  engineCheck?: () => Promise<unknown>;
  /** `kafka_consumer_messages_total{topic, group, result}`. */
  messages?: Counter<'topic' | 'group' | 'result'>;
  /** True once the runner stops: retries end and the chunk stays uncommitted. */
  stopping: () => boolean;
  /** Each failed attempt of the handler (before its retry): health and metrics hear of it. */
  onFailure?: (error: unknown) => void;
}

/** Tells the chunk's handling that the consumer lost its group membership (the error to rethrow), or nothing. */
export type MembershipCheck = () => Error | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What happens to one chunk of one partition's messages: invalid ones (not JSON, schema
 * violation) go to `<topic>.dlq` at once; the valid ones go to the handler, retried with capped
 * backoff while the failure is an outage (see `isTransient` and `engineCheck`) and `maxAttempts`
 * times otherwise; then the chunk is split to find the poison message, which is dead-lettered
 * while the others are processed.
 */
export function createMessageHandling<S extends z.ZodType>(opts: MessageHandlingOptions<S>) {
  const backoffOf = (attempt: number) => Math.min(opts.backoff.max, opts.backoff.initial * 2 ** Math.min(attempt - 1, 10));
  const count = (topic: string, result: string, n = 1) => opts.messages?.inc({ topic, group: opts.groupId, result }, n);

  async function deadLetter(topic: string, partition: number, m: KafkaMessage, reason: string, error: string) {
    if (!opts.deadLetterInvalid && reason !== 'handler_failed') {
      count(topic, 'skipped_invalid');
      opts.logger.warn({ topic, partition, offset: m.offset, reason, error }, 'invalid message skipped (another group dead-letters it)');
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
        if (opts.stopping() || !isTransient(e)) throw e;
        opts.logger.warn({ err: describeError(e), attempt: n }, 'dead-letter publish failed, retrying');
        await sleep(backoffOf(n));
      }
    }
    count(topic, 'dead_lettered');
    opts.logger.warn({ topic, partition, offset: m.offset, reason, error }, 'message dead-lettered');
  }

  /** True when the failure can be blamed on the message: not an outage, and the engines answer. */
  async function isPoison(e: unknown): Promise<boolean> {
    if (isTransient(e)) return false;
    if (!opts.engineCheck) return true;
    try {
      await opts.engineCheck();
      return true;
    } catch (check) {
      opts.logger.warn({ err: describeError(e), engine: describeError(check) }, 'handler failed while an engine is unhealthy: treated as an outage');
      return false;
    }
  }

  /** Runs the handler until it succeeds; returns the error when it should be dead-lettered. */
  async function attempt(events: ConsumedEvent<z.output<S>>[], membershipLost: MembershipCheck): Promise<unknown | undefined> {
    let failures = 0;
    for (let n = 1; ; n++) {
      try {
        await opts.handle(events);
        return undefined;
      } catch (e) {
        // Stopping or evicted: leave the offsets uncommitted; the next owner re-processes.
        if (opts.stopping()) throw e;
        const lost = membershipLost();
        if (lost) throw lost;
        opts.onFailure?.(e);
        const poison = await isPoison(e);
        if (poison) failures++;
        if (poison && failures >= opts.maxAttempts) return e;
        const backoff = backoffOf(n);
        opts.logger.warn({ err: describeError(e), attempt: n, transient: !poison, backoffMs: backoff, size: events.length }, 'handler failed, retrying');
        await sleep(backoff);
      }
    }
  }

  /** The chunk's valid events; the invalid messages are dead-lettered on the way. */
  async function validEvents(topic: string, partition: number, messages: KafkaMessage[]): Promise<ConsumedEvent<z.output<S>>[]> {
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
    return valid;
  }

  return async function handleChunk(topic: string, partition: number, messages: KafkaMessage[], membershipLost: MembershipCheck): Promise<void> {
    const valid = await validEvents(topic, partition, messages);
    if (!valid.length) return;
    const failed = await attempt(valid, membershipLost);
    if (failed !== undefined) {
      // Isolate the poison message(s): one by one, dead-letter those that still fail.
      for (const ev of valid) {
        const err = valid.length === 1 ? failed : await attempt([ev], membershipLost);
        if (err !== undefined) {
          const m = messages.find((x) => x.offset === ev.offset)!;
          await deadLetter(topic, partition, m, 'handler_failed', describeError(err));
        }
      }
    }
    count(topic, 'processed', valid.length);
  };
}
