import { makeEnvelope, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createEventsLocks, LOCKS_COLLECTION } from '../../src/data/document.locks';
import { createOutboxMarks, outboxRepair } from '../../src/data/outbox.marks';
import { createOutboxRelay } from '../../src/data/outbox.relay';
import { migrateLegacyOutboxes } from '../../src/data/outbox.store';
import { versionedStore } from '../../src/data/versioned.repository';

const logger = createLogger({ service: 'events-relay-test', level: 'silent' });

/** The events outbox through the shared relay: broker down, then up; order per document; a crashed writer; the earlier layout. */
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

  const versioned = (name: string) => {
    const marks = createOutboxMarks(mongo);
    const locks = createEventsLocks(mongo, outboxRepair(mongo, [name], marks));
    return versionedStore<{ id: string; version: number; n: number }>(mongo, name, locks, { marks });
  };

  it("when the broker is unreachable, then each write's envelopes wait in their marks and the backlog counts them; a working relay then delivers each document's envelopes in order, and each document keeps its last write's", async () => {
    const requests = versioned('requests');
    const ids = ['req-a', 'req-b', 'req-c'];
    for (const id of ids) {
      await requests.insert({ id, version: 1, n: 1 }, [envelope(id, 1)]);
      await requests.update(id, 1, { n: 2 }, [envelope(id, 2)]);
      await requests.update(id, 2, { n: 3 }, [envelope(id, 3)]);
    }

    const dead = createEventProducer(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'dead', logger, retries: 1, connectionTimeoutMs: 300 }));
    const registry = new Registry();
    const failing = createOutboxRelay({ conn: mongo, collections: ['requests'], producer: dead, topic, logger, intervalMs: 50, metrics: registry });
    failing.start();
    await waitFor(async () => ((await registry.getSingleMetric('events_outbox_publish_failures_total')?.get())?.values[0]?.value ?? 0) >= 2, {
      description: 'failed relay rounds',
    });
    await failing.stop();
    await dead.disconnect().catch(() => undefined);
    expect((await registry.getSingleMetric('events_outbox_backlog')?.get())?.values[0]?.value).toBe(9);

    const relay = createOutboxRelay({ conn: mongo, collections: ['requests'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(9);
    await waitFor(() => seen.filter((e) => ids.includes(e.key)).length >= 9, { description: '9 envelopes on the topic' });
    const docs = mongo.db!.collection<{ _id: string; outbox: string[] }>('requests');
    for (const id of ids) {
      expect(seen.filter((e) => e.key === id).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
      expect((await docs.findOne({ _id: id }))?.outbox.map((e) => ((JSON.parse(e) as Envelope).data as { n: number }).n)).toEqual([3]);
    }
    expect(await relay.flush()).toBe(0);
  });

  it('when one write holds 2,000 envelopes of ~1 KB (more than one Kafka produce request may carry), then all reach the topic in order and the outbox empties', async () => {
    const outbox = Array.from({ length: 2000 }, (_, n) =>
      makeEnvelope({ type: 'meeting.scheduled', key: 'ev-big', data: { n, note: 'x'.repeat(900) }, source: 'events-test', version: 1 }),
    );
    await versioned('schedules').insert({ id: 'ev-big', version: 1, n: 0 }, outbox);
    const relay = createOutboxRelay({ conn: mongo, collections: ['schedules'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(2000);
    await waitFor(() => seen.filter((e) => e.key === 'ev-big').length >= 2000, { description: '2,000 envelopes on the topic', timeoutMs: 30_000 });
    expect(seen.filter((e) => e.key === 'ev-big').map((e) => (e.data as { n: number }).n)).toEqual(outbox.map((_, n) => n));
    // Emptied after the last round, in the background.
    await waitFor(async () => (await mongo.db!.collection<{ _id: string; outbox: string[] }>('schedules').findOne({ _id: 'ev-big' }))?.outbox.length === 0, {
      description: 'the published outbox emptied',
    });
  });

  it("when a writer crashed between its document write and the marks (its lock left behind), then once the lock has expired the relay marks that write's envelopes again and publishes them", async () => {
    const lost = envelope('req-crashed', 1);
    await mongo.db!.collection('requests').insertOne({ _id: 'req-crashed', version: 1, n: 1, outbox: [JSON.stringify(lost)] } as never);
    await mongo.db!.collection(LOCKS_COLLECTION).insertOne({ _id: 'requests:req-crashed', owner: 'crashed-writer', until: Date.now() - 1 } as never);
    const relay = createOutboxRelay({ conn: mongo, collections: ['requests'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(1);
    await waitFor(() => seen.some((e) => e.id === lost.id), { description: "the crashed write's envelope on the topic" });
    expect(await mongo.db!.collection(LOCKS_COLLECTION).findOne({ _id: 'requests:req-crashed' as never })).toBeNull();
  });

  it("when two inserts of one id race, then only the stored one's envelope is published; an insert's marks whose document never came are dropped after a minute, unpublished", async () => {
    const attendance = versioned('attendance');
    const results = await Promise.allSettled([1, 2].map((n) => attendance.insert({ id: 'fb-race', version: 1, n }, [envelope('fb-race', n)])));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = (await mongo.db!.collection<{ _id: string; n: number }>('attendance').findOne({ _id: 'fb-race' }))!.n;
    // A crashed insert: its mark written, its document never; and one more left by the loser.
    const marks = createOutboxMarks(mongo, () => Date.now() - 61_000);
    await marks.add('attendance', 'fb-never', 1, [JSON.stringify(envelope('fb-never', 1))], 'crashed');
    await marks.add('attendance', 'fb-race', 1, [JSON.stringify(envelope('fb-race', 3))], 'loser');

    const relay = createOutboxRelay({ conn: mongo, collections: ['attendance'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(1);
    await waitFor(() => seen.some((e) => e.key === 'fb-race'), { description: "the stored insert's envelope" });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((e) => e.key === 'fb-race').map((e) => (e.data as { n: number }).n)).toEqual([winner]);
    expect(seen.filter((e) => e.key === 'fb-never')).toEqual([]);
    expect(await relay.flush()).toBe(0);
    expect(await createOutboxMarks(mongo).count()).toBe(0);
  });

  it('when a database holds envelopes the earlier relay left pending (a mark without envelopes, or no mark at all), then the start-up migration marks them once and the relay publishes them in order', async () => {
    const db = mongo.db!;
    await db.collection('feedback').insertMany([
      { _id: 'fb-marked', version: 2, outbox: [envelope('fb-marked', 1), envelope('fb-marked', 2)] },
      { _id: 'fb-unmarked', version: 1, outbox: [envelope('fb-unmarked', 1)] },
      { _id: 'fb-published', version: 1, outbox: [] },
    ] as never[]);
    await createOutboxMarks(mongo)
      .collection.of('feedback/fb-marked')
      .insertOne({ _id: 'feedback/fb-marked', at: Date.now() } as never);

    expect(await migrateLegacyOutboxes(mongo, ['feedback'])).toBe(3);
    expect(await migrateLegacyOutboxes(mongo, ['feedback'])).toBe(0);
    const relay = createOutboxRelay({ conn: mongo, collections: ['feedback'], producer, topic, logger, intervalMs: 50 });
    expect(await relay.flush()).toBe(3);
    await waitFor(() => seen.filter((e) => e.key.startsWith('fb-')).length >= 3, { description: 'the legacy envelopes on the topic' });
    expect(seen.filter((e) => e.key === 'fb-marked').map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    expect(seen.filter((e) => e.key === 'fb-unmarked').map((e) => (e.data as { n: number }).n)).toEqual([1]);
  });
});
