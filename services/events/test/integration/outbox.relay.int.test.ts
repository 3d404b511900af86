import { makeEnvelope, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createOutboxRelay } from '../../src/data/outbox.relay';

const logger = createLogger({ service: 'events-relay-test', level: 'silent' });

/** The events outbox through the shared relay: broker down, then up; order per document. */
describe('events outbox relay on FerretDB and Kafka', () => {
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'events-relay-int', logger });
  const topic = uniqueName('events-relay');
  const producer = createEventProducer(kafka);
  const seen: Envelope[] = [];
  let mongo: Connection;
  const reader = kafka.consumer({ groupId: uniqueName('events-relay-reader') });

  beforeAll(async () => {
    mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-relay').replace(/-/g, '_'), logger });
    await ensureTopics(kafka, [{ topic, partitions: 2, withDlq: false }]);
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString()) as Envelope) });
  });
  afterAll(async () => {
    await reader.disconnect();
    await producer.disconnect();
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  const envelope = (key: string, n: number) => makeEnvelope({ type: 'meeting.scheduled', key, data: { n }, source: 'events-test', version: 1 });

  it("when the broker is unreachable, then envelopes wait in their documents and the backlog shows them; a working relay then delivers each document's envelopes in order and empties the outboxes", async () => {
    const requests = mongo.db!.collection<{ _id: string; outbox: Envelope[] }>('requests');
    const ids = ['req-a', 'req-b', 'req-c'];
    await requests.insertMany(ids.map((id) => ({ _id: id, outbox: [1, 2, 3].map((n) => envelope(id, n)) })));

    const dead = createEventProducer(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'dead', logger, retries: 1, connectionTimeoutMs: 300 }));
    const registry = new Registry();
    const failing = createOutboxRelay({ conn: mongo, collections: ['requests'], producer: dead, topic, logger, intervalMs: 50, metrics: registry });
    failing.start();
    await waitFor(async () => ((await registry.getSingleMetric('events_outbox_publish_failures_total')?.get())?.values[0]?.value ?? 0) >= 2, {
      description: 'failed relay rounds',
    });
    await failing.stop();
    await dead.disconnect().catch(() => undefined);
    expect((await registry.getSingleMetric('events_outbox_backlog')?.get())?.values[0]?.value).toBe(3);
    for (const id of ids) expect((await requests.findOne({ _id: id }))?.outbox).toHaveLength(3);

    const relay = createOutboxRelay({ conn: mongo, collections: ['requests'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(9);
    await waitFor(() => seen.length >= 9, { description: '9 envelopes on the topic' });
    for (const id of ids) {
      expect(seen.filter((e) => e.key === id).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
      expect((await requests.findOne({ _id: id }))?.outbox).toEqual([]);
    }
  });

  it('when one document holds 2,000 envelopes of ~1 KB (more than one Kafka produce request may carry), then all reach the topic in order and the outbox empties', async () => {
    const schedules = mongo.db!.collection<{ _id: string; outbox: Envelope[] }>('schedules');
    const outbox = Array.from({ length: 2000 }, (_, n) =>
      makeEnvelope({ type: 'meeting.scheduled', key: 'ev-big', data: { n, note: 'x'.repeat(900) }, source: 'events-test', version: 1 }),
    );
    await schedules.insertOne({ _id: 'ev-big', outbox });
    const relay = createOutboxRelay({ conn: mongo, collections: ['schedules'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(2000);
    await waitFor(() => seen.filter((e) => e.key === 'ev-big').length >= 2000, { description: '2,000 envelopes on the topic', timeoutMs: 30_000 });
    expect(seen.filter((e) => e.key === 'ev-big').map((e) => (e.data as { n: number }).n)).toEqual(outbox.map((_, n) => n));
    expect((await schedules.findOne({ _id: 'ev-big' }))?.outbox).toEqual([]);
  });
});
