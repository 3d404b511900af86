import { ORGANISATION_EVENT_TYPES, type Envelope } from '@lm/contracts';
import { createKafka, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Admin, Kafka } from 'kafkajs';
import { now } from './clock';
import { esJson } from './elasticsearch.baseline';

/** The first `count` envelopes of a topic, as the profiles relay published them. */
export async function readEnvelopes(topic: string, count: number): Promise<Envelope[]> {
  const kafka = createKafka({
    brokers: testEndpoints().kafkaBrokers,
    clientId: uniqueName('bench-reader'),
    logger: createLogger({ service: 'bench', level: 'warn' }),
  });
  const consumer = kafka.consumer({ groupId: uniqueName('bench-reader') });
  const out: Envelope[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const e = JSON.parse(m.value!.toString()) as Envelope;
          if (e.type === ORGANISATION_EVENT_TYPES.upserted && out.length < count) out.push(e);
        }
        if (out.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/**
 * Raw-engine baseline: kafkajs produce of `envelopes` (500 a request) into a scratch topic with 3
 * partitions; returns the ms. The topic goes into `scratchTopics`, deleted at the very end:
 * deleting it sooner would leave the producer's metadata pointing at a topic that is gone ("does
 * not host this topic-partition").
 */
export async function rawProduce(admin: Admin, producer: EventProducer, envelopes: Envelope[], scratchTopics: string[]): Promise<number> {
  const rawTopic = uniqueName('bench-raw-topic');
  await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  scratchTopics.push(rawTopic);
  const tp = now();
  for (let i = 0; i < envelopes.length; i += 500) await producer.publish(rawTopic, envelopes.slice(i, i + 500));
  return now() - tp;
}

/**
 * Raw-engine baseline of write → visible: the same hops without the services — kafkajs produce
 * of one envelope → a raw consumer receives it → ES index + refresh → a search finds it.
 */
export async function rawHops(kafka: Kafka, admin: Admin, samples: number): Promise<number[]> {
  const topic = uniqueName('bench-raw-hops');
  const index = uniqueName('bench-raw-hops');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await esJson(`/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } }, 'PUT');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw-hops') });
  const waiting = new Map<string, () => void>();
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key!.toString();
        await esJson(`/${index}/_doc/${key}?refresh=true`, JSON.parse(message.value!.toString()), 'PUT');
        waiting.get(key)?.();
      },
    });
    const out: number[] = [];
    for (let i = 0; i < samples + 1; i++) {
      const key = `k${i}`;
      const t = now();
      const seen = new Promise<void>((r) => waiting.set(key, r));
      await producer.send({ topic, messages: [{ key, value: JSON.stringify({ name: key }) }] });
      await seen;
      const res = await esJson<{ hits: { total: { value: number } } }>(`/${index}/_search`, { query: { term: { 'name.keyword': key } } });
      if (res.hits.total.value !== 1) throw new Error('raw hops: not found');
      if (i > 0) out.push(now() - t); // the first one pays the group join
    }
    return out;
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await esJson(`/${index}`, undefined, 'DELETE');
  }
}
