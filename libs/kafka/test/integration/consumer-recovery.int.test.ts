import { makeEnvelope } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { uniqueName, waitFor } from '@lm/testing';
import { Registry } from 'prom-client';
import { EventProducer, ensureTopics, runConsumer } from '../../src';
import { Ping, useBroker } from './broker.fixture';

const logger = createLogger({ service: 'kafka-recovery-test', level: 'silent' });

/** The broker's minimum session timeout: the shortest eviction a test can provoke. */
const SESSION_MS = 6_000;

describe('kafka runner: a consumer that cannot silently die', () => {
  const broker = useBroker('recovery', logger);

  async function topicWith(n: number) {
    const topic = uniqueName('recovery-topic');
    await ensureTopics(broker.kafka, [{ topic, partitions: 1 }]);
    await broker.producer.publish(
      topic,
      Array.from({ length: n }, (_, i) => makeEnvelope({ type: 'ping', key: 'k', data: { n: i }, source: 'test' })),
    );
    return topic;
  }

  /** An idempotent effect (a set) plus a count of deliveries, to tell "applied once" from "delivered once". */
  function store() {
    const applied = new Set<number>();
    const deliveries = new Map<number, number>();
    return {
      applied,
      deliveries,
      record(n: number) {
        deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
        applied.add(n);
      },
    };
  }

  it('when a handler runs longer than the session timeout, then heartbeats keep the member in its group and every message is delivered once', async () => {
    const topic = await topicWith(6);
    const s = store();
    const metrics = new Registry();
    const c = await runConsumer({
      kafka: broker.kafka,
      groupId: uniqueName('slow'),
      topics: [topic],
      schema: Ping,
      producer: broker.producer,
      logger,
      metrics,
      chunkSize: 3,
      sessionTimeoutMs: SESSION_MS,
      heartbeatIntervalMs: 1_000,
      lagIntervalMs: 500,
      handle: async (evs) => {
        if (evs.some((e) => e.event.data.n === 0)) await new Promise((r) => setTimeout(r, SESSION_MS + 3_000));
        for (const e of evs) s.record(e.event.data.n);
      },
    });
    broker.running.push(c);
    await waitFor(() => s.applied.size === 6, { description: 'all 6 applied', timeoutMs: 40_000 });
    expect([...s.deliveries.values()].every((d) => d === 1)).toBe(true);
    expect(c.status().restarts).toBe(0);
    await waitFor(() => c.status().lag.length > 0 && c.status().lag.every((p) => p.lag === 0), { description: 'lag 0' });
    expect(await metrics.getSingleMetricAsString('kafka_consumer_lag')).toMatch(/kafka_consumer_lag\{.*\} 0/);
  });

  it('when the member is evicted mid-chunk (event loop blocked past the session), then it rejoins, resumes from the committed offset and every message is applied once', async () => {
    const topic = await topicWith(9);
    const s = store();
    const metrics = new Registry();
    let blocked = false;
    const c = await runConsumer({
      kafka: broker.kafka,
      groupId: uniqueName('evicted'),
      topics: [topic],
      schema: Ping,
      producer: broker.producer,
      logger,
      metrics,
      chunkSize: 3,
      sessionTimeoutMs: SESSION_MS,
      heartbeatIntervalMs: 1_000,
      lagIntervalMs: 500,
      restartBackoffMs: { initial: 200, max: 1_000 },
      handle: async (evs) => {
        if (!blocked && evs.some((e) => e.event.data.n === 3)) {
          blocked = true;
          // A CPU-starved or paused process: no timer runs, no heartbeat leaves, the broker evicts it.
          const until = Date.now() + SESSION_MS + 4_000;
          while (Date.now() < until) {
            /* blocked */
          }
        }
        for (const e of evs) s.record(e.event.data.n);
      },
    });
    broker.running.push(c);
    await waitFor(() => s.applied.size === 9, { description: 'all 9 applied after the eviction', timeoutMs: 60_000 });
    // The chunk whose commit was refused came again (at-least-once); its effect is applied once.
    expect(s.deliveries.get(3)).toBeGreaterThanOrEqual(2);
    expect([...s.applied].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Chunks committed before the eviction were not re-delivered.
    expect(s.deliveries.get(0)).toBe(1);
    await waitFor(() => c.status().state === 'running' && c.status().lag.every((p) => p.lag === 0), { description: 'running with lag 0', timeoutMs: 30_000 });
    await expect(c.check()).resolves.toBeUndefined();
  });

  it('when the consumer keeps crashing, then readiness fails and onDown fires; once the cause is gone it consumes again from the committed offset', async () => {
    const topic = await topicWith(2);
    const s = store();
    let downCalls = 0;
    let dlqBroken = true;
    // A dead-letter publish failing with an error kafkajs calls non-retriable crashes the
    // consumer for good (as the commit refused after an eviction did): no kafkajs restart.
    const flaky: EventProducer = {
      ...broker.producer,
      sendRaw: async (t, m) => (dlqBroken ? Promise.reject(new Error('dlq unavailable (test)')) : broker.producer.sendRaw(t, m)),
    };
    const c = await runConsumer({
      kafka: broker.kafka,
      groupId: uniqueName('down'),
      topics: [topic],
      schema: Ping,
      producer: flaky,
      logger,
      lagIntervalMs: 300,
      restartBackoffMs: { initial: 200, max: 500 },
      maxDownMs: 2_000,
      onDown: () => downCalls++,
      handle: async (evs) => evs.forEach((e) => s.record(e.event.data.n)),
    });
    broker.running.push(c);
    await waitFor(() => s.applied.size === 2, { description: 'first two' });
    await broker.producer.sendRaw(topic, [{ key: 'k', value: '{not json' }]);
    await broker.producer.publish(topic, [makeEnvelope({ type: 'ping', key: 'k', data: { n: 2 }, source: 'test' })]);

    await waitFor(
      () =>
        c.check().then(
          () => false,
          () => true,
        ),
      { description: 'readiness failing' },
    );
    await waitFor(() => downCalls === 1, { description: 'onDown after maxDownMs', timeoutMs: 15_000 });
    expect(c.status().restarts).toBeGreaterThan(0);
    expect(s.applied.has(2)).toBe(false);

    dlqBroken = false;
    await waitFor(() => s.applied.has(2), { description: 'the message after the poison one', timeoutMs: 30_000 });
    await waitFor(() => c.status().state === 'running' && c.status().lag.every((p) => p.lag === 0), { description: 'running, lag 0', timeoutMs: 30_000 });
    await expect(c.check()).resolves.toBeUndefined();
    expect(downCalls).toBe(1);
  });
});
