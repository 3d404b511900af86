import { makeEnvelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import type { Connection } from 'mongoose';
import type { ProfilesConfig } from '../config';
import { escapeRegex } from '../domain/organisation.keys';
import { runRaw, type Figure } from './http.load';

/**
 * The engine calls behind each HTTP route, issued raw (driver / client) against the same
 * engine and data: what the service adds on top of the engine is the difference.
 */
export async function createRawShapes(conn: Connection, config: ProfilesConfig) {
  const col = conn.db!.collection<{ _id: string } & Record<string, unknown>>('organisations');
  const scratch = conn.db!.collection<{ _id: string } & Record<string, unknown>>('bench_raw');
  const sample = await col.findOne({}, { projection: { outbox: 0 } });
  const logger = createLogger({ service: 'profiles-bench', level: 'error' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'profiles-bench-raw', logger });
  const topic = `profiles-bench-raw-${Date.now().toString(36)}`;
  await ensureTopics(kafka, [{ topic, withDlq: false }]);
  const producer = createEventProducer(kafka);
  const doc = (id: string) => ({ ...sample, _id: id });
  return {
    list: {
      name: 'mongo find(filter).sort(_id).limit(21)',
      run: (q: URLSearchParams) => {
        const f: Record<string, unknown> = { deletedAt: { $exists: false } };
        if (q.get('kind')) f.kind = q.get('kind');
        if (q.get('s3Area')) f.s3Areas = q.get('s3Area');
        if (q.get('specialty')) f.specialties = q.get('specialty');
        if (q.get('province')) f['location.province'] = q.get('province');
        if (q.get('q')) f.legalName = { $regex: escapeRegex(q.get('q')!), $options: 'i' };
        return col.find(f, { projection: { outbox: 0 } }).sort({ _id: 1 }).limit(Number(q.get('limit') ?? 20) + 1).toArray();
      },
    },
    get: { name: 'mongo findOne({_id})', run: (id: string) => col.findOne({ _id: id }, { projection: { outbox: 0 } }) },
    create: { name: 'mongo insertOne (scratch collection)', run: (id: string) => scratch.insertOne(doc(id)) },
    patch: { name: 'mongo updateOne({_id}, $set)', run: (id: string, i: number) => col.updateOne({ _id: id }, { $set: { benchRaw: i } }) },
    async importBaseline(n: number, tag: string): Promise<Figure> {
      const t0 = performance.now();
      await scratch.insertMany(Array.from({ length: n }, (_, i) => doc(`${tag}${i}`)), { ordered: false });
      const ms = performance.now() - t0;
      return { name: `mongo insertMany(${n})`, requests: 1, p50: ms, p95: ms, rps: n / (ms / 1000), errors: 0 };
    },
    /** Events/s the service's relay publishes while it has a backlog (from its /metrics counters). */
    async relayDrain(url: string): Promise<Figure> {
      const metric = async (name: string) => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith(`${name} `));
        return line ? Number(line.split(' ')[1]) : 0;
      };
      const p0 = await metric('profiles_outbox_published_total');
      const t0 = performance.now();
      const deadline = t0 + 60_000;
      while ((await metric('profiles_outbox_backlog')) > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      const seconds = (performance.now() - t0) / 1000;
      const events = (await metric('profiles_outbox_published_total')) - p0;
      return { name: `relay drain (${events} events in ${seconds.toFixed(1)} s)`, requests: events, p50: 0, p95: 0, rps: events / seconds, errors: 0 };
    },
    async producerBaseline(n: number): Promise<Figure> {
      const envelopes = Array.from({ length: n }, (_, i) => makeEnvelope({ type: 'organisation.upserted', key: `org_${i}`, data: sample, source: 'bench' }));
      return runRaw('kafka producer.publish (100 per send)', n / 100, 1, (i) => producer.publish(topic, envelopes.slice(i * 100, i * 100 + 100))).then((f) => ({ ...f, requests: n, rps: f.rps * 100 }));
    },
    async close() {
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
