import { TOPICS, dlqTopic, makeEnvelope, z } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { createLogger } from '@lm/logger';
import { uniqueName, waitFor } from '@lm/testing';
import { ConsumedEvent, createKafka, ensureTopics, kafkaReadiness, runConsumer } from '../../src';
import { Registry } from 'prom-client';
import { Ping, useBroker } from './broker.fixture';

const logger = createLogger({ service: 'kafka-test', level: 'silent' });
type Ping = z.infer<typeof Ping>;

describe('kafka runner on a real broker', () => {
  const broker = useBroker('test', logger);

  async function freshTopic() {
    const topic = uniqueName('it-topic');
    await ensureTopics(broker.kafka, [{ topic, partitions: 2 }]);
    return topic;
  }

  function ping(key: string, n: number) {
    return makeEnvelope({ type: 'ping', key, data: { n }, source: 'test' });
  }

  async function readAll(topic: string, count: number) {
    const seen: { key: string | null; value: string; headers: Record<string, string> }[] = [];
    const c = broker.kafka.consumer({ groupId: uniqueName('reader') });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers });
      },
    });
    try {
      await waitFor(() => seen.length >= count, { description: `${count} messages on ${topic}`, timeoutMs: 30_000 });
    } finally {
      await c.disconnect();
    }
    return seen;
  }

  it('when keyed events are published, then a consumer group receives them in order per key', async () => {
    const topic = await freshTopic();
    const got: ConsumedEvent<Ping>[] = [];
    await broker.consumePings(topic, {
      handle: async (evs) => void got.push(...evs),
    });
    await broker.producer.publish(topic, [ping('org-a', 1), ping('org-b', 1), ping('org-a', 2), ping('org-a', 3)]);
    await waitFor(() => got.length === 4, { description: '4 events' });
    expect(got.filter((e) => e.key === 'org-a').map((e) => e.event.data.n)).toEqual([1, 2, 3]);
    // One key always lands on one partition: that is what keeps per-organisation order.
    expect(new Set(got.filter((e) => e.key === 'org-a').map((e) => e.partition)).size).toBe(1);
  });

  it('when one publish holds more bytes than the broker takes in one batch, then it is sent in several requests and every message arrives in order', async () => {
    const topic = await freshTopic();
    // 60 messages of ~40 KB on one key (one partition): ~2.4 MB, over the broker's 1 MiB per batch.
    const pad = 'x'.repeat(40_000);
    await broker.producer.publish(
      topic,
      Array.from({ length: 60 }, (_, n) => makeEnvelope({ type: 'ping', key: 'big', data: { n, pad }, source: 'test' })),
    );
    const seen = await readAll(topic, 60);
    expect(seen.map((m) => (JSON.parse(m.value) as { data: { n: number } }).data.n)).toEqual(Array.from({ length: 60 }, (_, n) => n));
  });

  it('when a single message exceeds the broker limit, then publish fails at once with a non-retriable payload_too_large', async () => {
    const topic = await freshTopic();
    const huge = makeEnvelope({ type: 'ping', key: 'huge', data: { n: 1, pad: 'x'.repeat(1_100_000) }, source: 'test' });
    const failure = await broker.producer.publish(topic, [ping('small', 1), huge]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'payload_too_large', retriable: false });
  });

  it('when more messages wait than the chunk size, then the handler gets chunks no bigger than it and every event once', async () => {
    const topic = await freshTopic();
    await broker.producer.publish(
      topic,
      Array.from({ length: 7 }, (_, n) => ping('same-key', n)),
    );
    const sizes: number[] = [];
    const got: number[] = [];
    await broker.consumePings(topic, {
      chunkSize: 3,
      handle: async (evs) => {
        sizes.push(evs.length);
        got.push(...evs.map((e) => e.event.data.n));
      },
    });
    await waitFor(() => got.length === 7, { description: '7 events' });
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });

  it('when a message is not JSON or breaks the schema, then it lands on the DLQ with the reason and the consumer keeps going', async () => {
    const topic = await freshTopic();
    const got: Ping[] = [];
    await broker.consumePings(topic, {
      handle: async (evs) => void got.push(...evs.map((e) => e.event)),
    });
    await broker.producer.sendRaw(topic, [{ key: 'k', value: '{not json' }]);
    await broker.producer.publish(topic, [makeEnvelope({ type: 'ping', key: 'k', data: { n: 'one' }, source: 'test' })]);
    await broker.producer.publish(topic, [ping('k', 7)]);

    await waitFor(() => got.length === 1, { description: 'the valid event' });
    expect(got[0]!.data.n).toBe(7);
    const dead = await readAll(dlqTopic(topic), 2);
    expect(dead.map((d) => d.headers['dlq-reason']).sort()).toEqual(['invalid_json', 'invalid_schema']);
    expect(dead.find((d) => d.headers['dlq-reason'] === 'invalid_schema')!.headers['dlq-error']).toContain('data.n');
    expect(dead.every((d) => d.headers['dlq-source-topic'] === topic && d.key === 'k')).toBe(true);
  });

  it('when the handler keeps failing on one message, then only that message is dead-lettered after the attempts', async () => {
    const topic = await freshTopic();
    const done: number[] = [];
    const attempts = new Map<number, number>();
    await broker.consumePings(topic, {
      maxAttempts: 3,
      initialBackoffMs: 10,
      handle: async (evs) => {
        for (const e of evs) attempts.set(e.event.data.n, (attempts.get(e.event.data.n) ?? 0) + 1);
        if (evs.some((e) => e.event.data.n === 13)) throw new Error('unlucky number');
        done.push(...evs.map((e) => e.event.data.n));
      },
    });
    await broker.producer.publish(topic, [ping('same', 12), ping('same', 13), ping('same', 14)]);
    const dead = await readAll(dlqTopic(topic), 1);
    await waitFor(() => done.includes(12) && done.includes(14), { description: 'the healthy events' });
    expect(done).not.toContain(13);
    expect(dead[0]!.headers['dlq-reason']).toBe('handler_failed');
    expect(JSON.parse(dead[0]!.value).data.n).toBe(13);
  });

  it('when the handler fails transiently, then it is retried until it succeeds and nothing is dead-lettered', async () => {
    const topic = await freshTopic();
    let calls = 0;
    const done: number[] = [];
    await broker.consumePings(topic, {
      maxAttempts: 1,
      initialBackoffMs: 10,
      handle: async (evs) => {
        if (++calls <= 4) throw AppError.unavailable('elasticsearch');
        done.push(...evs.map((e) => e.event.data.n));
      },
    });
    await broker.producer.publish(topic, [ping('x', 1)]);
    await waitFor(() => done.length === 1, { description: 'the event after retries' });
    expect(calls).toBe(5);
    const admin = broker.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(dlqTopic(topic));
    await admin.disconnect();
    expect(offsets.every((o) => o.high === '0')).toBe(true);
  });

  it('when the handler keeps failing past maxFailingMs, then readiness fails while the member stays in its group, and passes again once it progresses', async () => {
    const topic = await freshTopic();
    let healthy = false;
    const done: number[] = [];
    const metrics = new Registry();
    const c = await broker.consumePings(topic, {
      initialBackoffMs: 50,
      maxBackoffMs: 100,
      maxFailingMs: 500,
      metrics,
      handle: async (evs) => {
        if (!healthy) throw AppError.unavailable('elasticsearch');
        done.push(...evs.map((e) => e.event.data.n));
      },
    });
    await c.check();
    await broker.producer.publish(topic, [ping('stuck', 1)]);
    const refusal = await waitFor(
      () =>
        c.check().then(
          () => undefined,
          (e: Error) => e.message,
        ),
      { description: 'readiness refused' },
    );
    expect(refusal).toMatch(/has not progressed since .*elasticsearch is unavailable/);
    expect(c.status()).toMatchObject({ state: 'running', failingSince: expect.any(String) });
    const failures = (await metrics.getSingleMetric('kafka_consumer_handler_failures_total')?.get())?.values[0]?.value ?? 0;
    expect(failures).toBeGreaterThan(1);

    healthy = true;
    await waitFor(() => done.length === 1, { description: 'the event once the engine is back' });
    await expect(c.check()).resolves.toBeUndefined();
    expect(c.status()).not.toHaveProperty('failingSince');
  });

  it('when a consumer stops after processing, then a new member of the group resumes after the committed offset', async () => {
    const topic = await freshTopic();
    const groupId = uniqueName('g');
    const first: number[] = [];
    const c1 = await runConsumer({
      kafka: broker.kafka,
      groupId,
      topics: [topic],
      schema: Ping,
      producer: broker.producer,
      logger,
      handle: async (evs) => void first.push(...evs.map((e) => e.event.data.n)),
    });
    await broker.producer.publish(topic, [ping('r', 1), ping('r', 2)]);
    await waitFor(() => first.length === 2, { description: 'first two' });
    await c1.stop();

    await broker.producer.publish(topic, [ping('r', 3)]);
    const second: number[] = [];
    await broker.consumePings(topic, { groupId, handle: async (evs) => void second.push(...evs.map((e) => e.event.data.n)) });
    await waitFor(() => second.length >= 1, { description: 'the third event' });
    expect(second).toEqual([3]);
  });

  it('when the broker answers, then readiness passes; when it does not, readiness fails', async () => {
    const ok = kafkaReadiness(broker.kafka);
    await expect(ok.check()).resolves.toBeUndefined();
    await ok.close();
    const bad = kafkaReadiness(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'x', logger, retries: 0, connectionTimeoutMs: 300 }));
    await expect(bad.check()).rejects.toThrow();
  });

  it('uses the topic names of the contracts', () => {
    expect(TOPICS).toEqual({ organisations: 'profiles.organisations.v1', suggestions: 'matching.suggestions.v2', meetings: 'events.meetings.v1' });
  });
});
