import { MeetingEvent, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics, runConsumer, type EventProducer, type RunningConsumer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { startOrganisationsConsumer } from '../../src/consumers/organisations.consumer';
import { startSuggestionsConsumer } from '../../src/consumers/suggestions.consumer';
import { createOutboxRelay, type OutboxRelay } from '../../src/data/outbox.relay';
import { OUTBOX_COLLECTIONS } from '../../src/data/repositories';
import { countSnapshots, organisationSnapshots, suggestionStore } from '../../src/data/snapshots.repository';
import type { Meeting } from '../../src/domain/schedule.schemas';
import type { Repos } from '../../src/domain/events.ports';
import { createEventsDeps } from '../../src/wiring';
import { matchSuggested, organisationUpserted } from './fixtures';

/**
 * The events service on the real engines, as main.ts wires it: FerretDB, the outbox relay to a
 * meetings topic, the organisations and suggestions consumers, and the app. The engines and
 * the organisation snapshots (profiles' public data) are shared by the tests of a file; every
 * test builds its own event on top, so each runs alone and none depends on another.
 */
const logger = createLogger({ service: 'events-test', level: 'silent' });
const auth = createTestAuth();
const token = (sub: string, role: 'company' | 'hub_staff', org?: string) => auth.bearer({ sub, role, ...(org ? { org } : {}) });
export const STAFF = token('staff-1', 'hub_staff');
/** Verifies the tokens above (for an app a test wires itself). */
export const testVerifier = () => auth.verifier;
/** A user of organisation `org` (its token's `org` claim). */
export const orgToken = (org: string) => token(`user-${org}`, 'company', org);

/** 20 companies, 12 research centres, 8 investors, and a company that registers late. */
export const ORGS = [
  ...Array.from({ length: 20 }, (_, i) => ({ id: `co-${i}`, kind: 'company' as const })),
  ...Array.from({ length: 12 }, (_, i) => ({ id: `rc-${i}`, kind: 'research_centre' as const })),
  ...Array.from({ length: 8 }, (_, i) => ({ id: `inv-${i}`, kind: 'investor' as const })),
];
export const LATE_ORG = { id: 'co-late', kind: 'company' as const };
/** A smaller brokerage day (8 of each kind): enough for a real schedule, quick to build per test. */
export const DAY = ORGS.filter((o) => Number(o.id.split('-')[1]) < 8);

export const eventBody = {
  title: 'Life Sciences B2B Day',
  venue: 'MIND, Milano Innovation District',
  timeZone: 'Europe/Rome',
  sessions: [
    { id: 'am', name: 'Morning', date: '2026-06-10', start: '09:00', end: '11:00', slotMinutes: 20, breakSlots: [3], tables: 8 },
    { id: 'pm', name: 'Afternoon', date: '2026-06-10', start: '14:00', end: '16:00', slotMinutes: 20, breakSlots: [], tables: 8 },
  ],
  participantTypes: ['company', 'research_centre', 'investor'],
  meetRules: [
    { a: 'company', b: 'research_centre' },
    { a: 'company', b: 'investor' },
    { a: 'company', b: 'company' },
  ],
  caps: { perSession: 4, total: 6 },
  requestMode: 'receiver_accepts',
  requestExpiryHours: 48,
};

export type PublishedMeeting = Pick<Meeting, 'id' | 'sessionId' | 'slot' | 'table' | 'a' | 'b'>;

export interface Harness {
  app: ReturnType<typeof createApp>;
  mongo: Connection;
  repos: Repos;
  relay: OutboxRelay;
  producer: EventProducer;
  topics: { orgs: string; suggestions: string; meetings: string };
  /** Meeting events that reached Kafka, in arrival order. */
  published: Envelope[];
  stop(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const topics = { orgs: uniqueName(`${name}-orgs`), suggestions: uniqueName(`${name}-sugg`), meetings: uniqueName(`${name}-meetings`) };
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: name, logger });
  const producer = createEventProducer(kafka);
  const mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName(name).replace(/-/g, '_'), logger });
  await ensureTopics(kafka, [
    { topic: topics.orgs, partitions: 1 },
    { topic: topics.suggestions, partitions: 1 },
    { topic: topics.meetings, partitions: 1 },
  ]);
  const relay = createOutboxRelay({ conn: mongo, collections: OUTBOX_COLLECTIONS, producer, topic: topics.meetings, logger, intervalMs: 100 });
  const { repos } = await createEventsDeps(mongo, { onChange: () => relay.kick() });
  const published: Envelope[] = [];
  // One consumer per topic, started together so the group joins overlap.
  const consumers: RunningConsumer[] = await Promise.all([
    startOrganisationsConsumer({
      kafka,
      producer,
      logger,
      repos,
      groupId: uniqueName('g-orgs'),
      topic: topics.orgs,
      apply: organisationSnapshots(mongo).apply,
    }),
    startSuggestionsConsumer({ kafka, producer, logger, groupId: uniqueName('g-sugg'), topic: topics.suggestions, apply: suggestionStore(mongo).apply }),
    runConsumer({
      kafka,
      groupId: uniqueName('g-meet'),
      topics: [topics.meetings],
      schema: MeetingEvent,
      producer,
      logger,
      handle: async (b) => void published.push(...b.map((x) => x.event)),
    }),
  ]);
  relay.start();
  const app = createApp({ logger, verifier: testVerifier(), repos, readiness: {}, scheduleBudgetMs: 300, meetingsTopic: topics.meetings, rateLimit: false });
  await producer.publish(
    topics.orgs,
    [...ORGS, LATE_ORG].map((o) => organisationUpserted(o.id, o.kind, `Org ${o.id}`)),
  );
  // An older version arriving late must not overwrite the newer snapshot.
  await producer.publish(topics.orgs, [
    organisationUpserted('rc-0', 'research_centre', 'Renamed RC', 3),
    organisationUpserted('rc-0', 'research_centre', 'Stale name', 2),
  ]);
  await producer.publish(topics.suggestions, [matchSuggested('co-0', 'rc-5', 'Org rc-5', 0.9), matchSuggested('co-1', 'rc-6', 'Org rc-6', 0.7)]);
  await waitFor(async () => (await countSnapshots(mongo)) === ORGS.length + 1 && (await mongo.db!.collection('company_suggestions').countDocuments()) === 2, {
    description: 'snapshots and suggestions consumed',
    timeoutMs: 30_000,
  });
  return {
    app,
    mongo,
    repos,
    relay,
    producer,
    topics,
    published,
    async stop() {
      for (const c of consumers) await c.stop();
      await relay.stop();
      await producer.disconnect();
      await mongo.db?.dropDatabase();
      await mongo.close();
    },
  };
}

/** An event of this test: its id and who registered (organisation id → participant id). */
export interface TestEvent {
  id: string;
  pid: Map<string, string>;
  /** participant id → organisation id */
  orgOf: (participantId: string) => string;
}

/** Staff create an event and register `orgs` (validated at once); `body` overrides the default event. */
export async function eventWith(h: Harness, orgs: { id: string }[], body: Record<string, unknown> = {}): Promise<TestEvent> {
  const res = await request(h.app)
    .post('/events')
    .set('Authorization', STAFF)
    .send({ ...eventBody, ...body });
  expect(res.status).toBe(201);
  const pid = new Map<string, string>();
  for (const o of orgs) {
    const r = await request(h.app).post(`/events/${res.body.id}/participants`).set('Authorization', STAFF).send({ organisationId: o.id });
    expect(r.status).toBe(201);
    pid.set(o.id, r.body.id);
  }
  const orgOf = (participantId: string) => [...pid.entries()].find(([, p]) => p === participantId)![0];
  return { id: res.body.id, pid, orgOf };
}

/**
 * Every company asks one research centre and one investor (must-meet for every third company);
 * receivers accept, except every fifth request, which is declined. Returns the declined pairs.
 */
export async function requestsAndDecisions(h: Harness, ev: TestEvent): Promise<{ sent: number; declined: string[] }> {
  const declined: string[] = [];
  let n = 0;
  for (let i = 0; i < 20; i++) {
    if (!ev.pid.has(`co-${i}`)) continue;
    for (const to of [`rc-${i % 12}`, `inv-${i % 8}`]) {
      if (!ev.pid.has(to)) continue;
      const r = await request(h.app)
        .post(`/events/${ev.id}/requests`)
        .set('Authorization', orgToken(`co-${i}`))
        .send({ to: ev.pid.get(to), message: `Hello from co-${i}`, priority: i % 3 === 0 ? 'must_meet' : 'would_like' });
      expect(r.status).toBe(201);
      const decision = n++ % 5 === 4 ? 'decline' : 'accept';
      if (decision === 'decline') declined.push([r.body.from, r.body.to].sort().join('|'));
      expect((await request(h.app).post(`/events/${ev.id}/requests/${r.body.id}/${decision}`).set('Authorization', orgToken(to))).status).toBe(200);
    }
  }
  return { sent: n, declined };
}

/** Staff generate a draft (`query` e.g. `?replan=keep`) and get its body and ETag. */
export async function generate(h: Harness, ev: TestEvent, query = '') {
  const res = await request(h.app).post(`/events/${ev.id}/schedule:generate${query}`).set('Authorization', STAFF);
  expect(res.status).toBe(200);
  return { body: res.body, etag: String(res.headers.etag) };
}

/** Staff publish the current draft; returns the published meetings. */
export async function publish(h: Harness, ev: TestEvent): Promise<PublishedMeeting[]> {
  const current = await request(h.app).get(`/events/${ev.id}/schedule`).set('Authorization', STAFF);
  const res = await request(h.app).post(`/events/${ev.id}/schedule:publish`).set('Authorization', STAFF).set('If-Match', String(current.headers.etag));
  expect(res.status).toBe(200);
  return res.body.published.meetings;
}

/** A brokerage day of this test: its participants, their requests and decisions, a published schedule. */
export async function publishedDay(h: Harness, orgs = DAY) {
  const ev = await eventWith(h, orgs);
  const { declined } = await requestsAndDecisions(h, ev);
  await generate(h, ev, '?seed=3');
  const meetings = await publish(h, ev);
  await waitFor(() => meetingEvents(h, ev, 'meeting.scheduled').length === meetings.length, { description: 'meeting.scheduled for every published meeting' });
  return { ev, meetings, declined };
}

/** The meeting events of this test's event that reached Kafka (of one type, if given). */
export function meetingEvents(h: Harness, ev: TestEvent, type?: string): Envelope[] {
  return h.published.filter((e) => e.key === ev.id && (!type || e.type === type));
}
