import { makeEnvelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { createPartitionedCollection } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { ProfilesConfig } from '../config';
import { organisationCollections, type OrganisationDoc } from '../data/organisation.model';
import { createElasticsearchClient } from '../data/organisation.search-index';
import { runRaw, type Figure } from './http.load';

/**
 * The engine calls behind each HTTP route, issued raw (driver / client) against the same
 * engines and data: what the service adds on top of the engines is the difference.
 */
export interface RelaySnapshot {
  at: number;
  published: number;
  busy: number;
  backlog: number;
}

async function relaySnapshot(url: string): Promise<RelaySnapshot> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
  // Lines look like `name{service="profiles"} 42`.
  const value = (name: string) =>
    Number(
      lines
        .find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
        ?.split(' ')
        .pop() ?? 0,
    );
  return {
    at: performance.now(),
    published: value('profiles_outbox_published_total'),
    busy: value('profiles_outbox_round_seconds_sum'),
    backlog: value('profiles_outbox_backlog'),
  };
}

export async function createRawShapes(conn: Connection, config: ProfilesConfig, searchIndex: string) {
  const { orgs } = organisationCollections(conn, { partitions: config.ORGANISATION_PARTITIONS });
  // Inserts cost the same at any table size on this engine (NOTES.md): one scratch table,
  // created before measuring (creating a table is not what a create costs).
  const scratch = createPartitionedCollection<OrganisationDoc>(conn, 'bench_raw', 1);
  await scratch.all()[0]!.insertOne({ _id: `warm-${Date.now()}` } as OrganisationDoc);
  const sample = (await orgs.all()[0]!.findOne({}, { projection: { outbox: 0 } }))!;
  const es = createElasticsearchClient(config.ELASTICSEARCH_URL);
  const logger = createLogger({ service: 'profiles-bench', level: 'error' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'profiles-bench-raw', logger });
  const topic = `profiles-bench-raw-${Date.now().toString(36)}`;
  await ensureTopics(kafka, [{ topic, withDlq: false }]);
  const producer = createEventProducer(kafka);
  const doc = (id: string) => ({ ...sample, _id: id });
  return {
    list: {
      name: 'ES search, same query + sort, size 21',
      run: (q: URLSearchParams) => {
        const filter: object[] = [{ term: { deleted: false } }];
        for (const [param, field] of [
          ['kind', 'kind'],
          ['s3Area', 's3Areas'],
          ['specialty', 'specialties'],
          ['province', 'province'],
        ] as const) {
          if (q.get(param)) filter.push({ term: { [field]: q.get(param) } });
        }
        const must = q.get('q')
          ? [{ multi_match: { query: q.get('q')!, type: 'bool_prefix' as const, fields: ['legalName^3', 'text'], operator: 'and' as const } }]
          : [];
        return es.search({
          index: searchIndex,
          size: Number(q.get('limit') ?? 20) + 1,
          query: { bool: { filter, must } },
          sort: (q.get('q') ? [{ _score: 'desc' }, { id: 'asc' }] : [{ id: 'asc' }]) as never,
          _source: ['org'],
          track_total_hits: false,
        });
      },
    },
    get: { name: 'mongo findOne({_id}) in its partition', run: (id: string) => orgs.of(id).findOne({ _id: id }, { projection: { outbox: 0 } }) },
    create: { name: 'mongo insertOne (scratch partition)', run: (id: string) => scratch.of(id).insertOne(doc(id)) },
    patch: {
      name: 'mongo updateOne({_id}, $set) in its partition',
      run: (id: string, i: number) => orgs.of(id).updateOne({ _id: id }, { $set: { benchRaw: i } }),
    },
    async importBaseline(n: number, tag: string): Promise<Figure> {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = w; i < n; i += 8) await scratch.of(`${tag}${i}`).insertOne(doc(`${tag}${i}`));
        }),
      );
      const ms = performance.now() - t0;
      return { name: `mongo ${n} insertOne, 8 in parallel`, requests: 1, p50: ms, p95: ms, p99: ms, rps: n / (ms / 1000), errors: 0 };
    },
    async backlog(url: string): Promise<number> {
      const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
      return Number(
        lines
          .find((l) => l.startsWith('profiles_outbox_backlog{'))
          ?.split(' ')
          .pop() ?? 0,
      );
    },
    /** The relay's counters now (published events, seconds spent in rounds, backlog), from /metrics. */
    relaySnapshot,
    /**
     * The relay's throughput while it has work: events published per second spent in rounds that
     * published (its `_round_seconds` histogram), from the service's /metrics, until the backlog
     * is 0 — counted from `since` (a snapshot taken before the writes) or from now.
     */
    async relayDrain(url: string, timeoutMs = 1_200_000, since?: RelaySnapshot): Promise<Figure> {
      const metrics = () => relaySnapshot(url);
      const t0 = since?.at ?? performance.now();
      const start = since ?? (await metrics());
      let now = await metrics();
      while (now.backlog > 0 && performance.now() - t0 < timeoutMs) {
        await new Promise((r) => setTimeout(r, 2000));
        now = await metrics();
      }
      const events = now.published - start.published;
      const busy = now.busy - start.busy || 1;
      const wall = (performance.now() - t0) / 1000;
      return {
        name: `relay: ${events} events in ${wall.toFixed(0)} s (${busy.toFixed(1)} s in rounds), backlog left ${now.backlog}`,
        requests: events,
        p50: 0,
        p95: 0,
        p99: 0,
        rps: events / busy,
        errors: 0,
      };
    },
    async producerBaseline(n: number): Promise<Figure> {
      const envelopes = Array.from({ length: n }, (_, i) => makeEnvelope({ type: 'organisation.upserted', key: `org_${i}`, data: sample, source: 'bench' }));
      const f = await runRaw('kafka producer.publish, 100 per send', n / 100, 1, (i) => producer.publish(topic, envelopes.slice(i * 100, i * 100 + 100)));
      return { ...f, requests: n, rps: f.rps * 100 };
    },
    /** Organisations the read model holds (its live documents). */
    async indexed(): Promise<number> {
      await es.indices.refresh({ index: searchIndex });
      return (await es.count({ index: searchIndex, query: { term: { deleted: false } } })).count;
    },
    async close() {
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
      for (const col of scratch.all()) await col.drop().catch(() => undefined);
      await es.close();
    },
  };
}
