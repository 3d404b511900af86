import { makeEnvelope, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Connection } from 'mongoose';
import { createOutboxRelay } from '../../src/data/outbox.relay';

const logger = createLogger({ service: 'events-relay-large-test', level: 'silent' });

describe('a published schedule of 2,000 meetings through the relay', () => {
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'events-relay-large', logger });
  const topic = uniqueName('events-relay-large');
  const producer = createEventProducer(kafka);
  const seen: Envelope[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('events-relay-large-reader') });
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-relay-large').replace(/-/g, '_'), logger });
    await ensureTopics(kafka, [{ topic, partitions: 1, withDlq: false }]);
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString()) as Envelope) });
  });
  afterAll(async () => {
    await reader.disconnect();
    await producer.disconnect();
    await mongo.close();
  });

  it('when one document holds 2,000 envelopes of ~1 KB (more than one Kafka message batch may carry), then all reach the topic in order and the outbox empties', async () => {
    const schedules = mongo.db!.collection<{ _id: string; outbox: Envelope[] }>('schedules');
    const outbox = Array.from({ length: 2000 }, (_, n) => makeEnvelope({ type: 'meeting.scheduled', key: 'ev-big', data: { n, note: 'x'.repeat(900) }, source: 'events-test' }));
    await schedules.insertOne({ _id: 'ev-big', outbox });
    const relay = createOutboxRelay({ conn: mongo, collections: ['schedules'], producer, topic, logger, intervalMs: 50 });
    let published = 0;
    for (let round = 0; round < 30 && published < 2000; round++) published += await relay.flush();
    expect(published).toBe(2000);
    await waitFor(() => seen.length >= 2000, { description: '2,000 envelopes on the topic', timeoutMs: 30_000 });
    expect(seen.map((e) => (e.data as { n: number }).n)).toEqual(outbox.map((_, n) => n));
    expect((await schedules.findOne({ _id: 'ev-big' }))?.outbox).toEqual([]);
  });
});
