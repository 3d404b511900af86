import type { Principal } from '@lm/auth';
import { Organisation, OrganisationInput } from '@lm/contracts';
import { createKafka, createEventProducer, ensureTopics, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createOutboxRelay } from '@lm/outbox';
import { createTestAuth, testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Kafka } from 'kafkajs';
import { createApp } from '../../src/app';
import { runSearchProjection } from '../../src/consumers/search.projection';
import { createElasticsearchClient, createOrganisationSearchIndex } from '../../src/data/organisation.search-index';
import { LOCKS_COLLECTION } from '../../src/data/organisation.locks';
import { createProfilesDeps } from '../../src/wiring';

export const logger = createLogger({ service: 'profiles-test', level: 'silent' });
const auth = createTestAuth();
export const verifier = auth.verifier;
export const tokenFor = auth.tokenFor;
export const bearer = auth.bearer;
export const staff: Principal = { sub: 'staff-1', role: 'hub_staff' };
export const admin: Principal = { sub: 'admin-1', role: 'admin' };
export const partner: Principal = { sub: 'partner-1', role: 'partner' };
export const companyOf = (org: string): Principal => ({ sub: `user-of-${org}`, role: 'company', org });

/** Small partition count: tests exercise the partitioned layout without creating hundreds of tables. */
export const TEST_LAYOUT = { partitions: 8, pendingPartitions: 4 };

/**
 * A unique database per test file plus the app wired on it. With `search: true` the whole
 * list path runs as in production: outbox relay → Kafka topic of its own → search projection
 * (its own consumer group) → Elasticsearch index of its own.
 */
export async function openDatabase(opts: { onChange?: () => void; search?: boolean } = {}) {
  const conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('profiles-it'), logger });
  const { collections, locks, marks, store: repo, outbox, databases, migrateLayout } = createProfilesDeps(conn, { layout: TEST_LAYOUT });
  const closers: (() => Promise<unknown>)[] = [];
  let search;
  let kick = opts.onChange;
  if (opts.search) {
    const es = createElasticsearchClient(testEndpoints().elasticsearchUrl);
    search = createOrganisationSearchIndex(es, uniqueName('profiles-search-it'));
    await search.ensureIndex();
    const { kafka, topic, producer } = await openKafka();
    const relay = createOutboxRelay({ store: outbox, producer, topic, logger, metricsPrefix: 'profiles', pollMs: 50 });
    relay.start();
    const projection = await runSearchProjection({ kafka, producer, topic, groupId: uniqueName('profiles-search-it'), store: repo, index: search, logger });
    kick = () => {
      opts.onChange?.();
      relay.kick();
    };
    const index = search;
    closers.push(
      () => relay.stop(),
      () => projection.stop(),
      () => producer.disconnect(),
      () => index.drop(),
      () => es.close(),
    );
  }
  const app = createApp({ logger, verifier, readiness: {}, store: repo, ...(search ? { search } : {}), onChange: kick });
  return {
    conn,
    collections,
    locks,
    /** Shared with `repo`: a relay given them reads first the partitions the app's writes marked. */
    marks,
    repo,
    app,
    migrateLayout,
    /** The locks database's collection (tests simulate a crashed writer's lock). */
    lockDocs: () => databases.locks.db!.collection<{ _id: string; owner: string; until: number }>(LOCKS_COLLECTION),
    async close() {
      for (const close of closers) await close().catch(() => undefined);
      await locks.released();
      for (const db of Object.values(databases)) await db.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

/** Polls `probe` (e.g. a list request) until it holds: the read model is eventually consistent. */
export const eventually = <T>(probe: () => Promise<T | undefined | false>, description: string) => waitFor(probe, { description, timeoutMs: 20_000 });

export async function openKafka(): Promise<{ kafka: Kafka; topic: string; producer: EventProducer }> {
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('profiles-test'), logger });
  const topic = uniqueName('profiles-orgs');
  await ensureTopics(kafka, [{ topic, partitions: 3, withDlq: false }]);
  return { kafka, topic, producer: createEventProducer(kafka) };
}

let counter = 0;
/** A valid input; each call gets a distinct VAT number and website unless overridden. */
export function sampleInput(overrides: Partial<Record<keyof OrganisationInput, unknown>> = {}): Record<string, unknown> {
  counter++;
  const n = `${Date.now() % 1e6}${counter}`.padStart(11, '0').slice(-11);
  return {
    kind: 'company',
    subtype: 'startup',
    legalName: `Test Biotech ${counter} S.r.l.`,
    description: [
      { lang: 'en', text: 'CAR-T manufacturing platform' },
      { lang: 'it', text: 'Piattaforma di produzione CAR-T' },
    ],
    website: `https://www.test-biotech-${counter}-${n}.it`,
    vatNumber: `IT${n}`,
    location: { province: 'MI', city: 'Milano' },
    s3Areas: ['health_life_sciences'],
    specialties: ['car_t', 'cell_therapy'],
    needs: [{ type: 'clinical_trials', title: 'Clinical partner for phase I', keywords: ['car-t'], trl: { min: 5, max: 7 } }],
    offers: [],
    languages: ['it', 'en'],
    contacts: [{ name: 'Anna Rossi', email: 'anna@example.it' }],
    ...overrides,
  };
}

export type { Organisation };
