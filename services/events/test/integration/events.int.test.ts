import { createVerifier, signToken } from '@lm/auth';
import { MeetingEvent, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics, runConsumer, type RunningConsumer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import { generateKeyPairSync } from 'crypto';
import type { Connection } from 'mongoose';
import ical from 'node-ical';
import request from 'supertest';
import { createApp } from '../../src/app';
import { startOrganisationsConsumer } from '../../src/consumers/organisations.consumer';
import { startSuggestionsConsumer } from '../../src/consumers/suggestions.consumer';
import { createOutboxRelay, type OutboxRelay } from '../../src/data/outbox.relay';
import { createRepos, ensureIndexes, OUTBOX_COLLECTIONS } from '../../src/data/repositories';
import { countSnapshots, organisationSnapshots, suggestionStore } from '../../src/data/snapshots.repository';
import { matchSuggested, organisationUpserted } from './fixtures';

const logger = createLogger({ service: 'events-test', level: 'silent' });
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const jwt = { issuer: 'test', audience: 'lm' };
const token = (sub: string, role: 'company' | 'hub_staff', org?: string) => `Bearer ${signToken({ sub, role, ...(org ? { org } : {}) }, { ...jwt, privateKey: keys.privateKey })}`;
const STAFF = token('staff-1', 'hub_staff');

const topics = { orgs: uniqueName('orgs'), suggestions: uniqueName('sugg'), meetings: uniqueName('meetings') };
const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'events-int', logger });
const producer = createEventProducer(kafka);
let mongo: Connection;
let relay: OutboxRelay;
const consumers: RunningConsumer[] = [];
const published: Envelope[] = [];
let app: ReturnType<typeof createApp>;

// 20 companies, 12 research centres, 8 investors (+1 late company)
const orgs = [
  ...Array.from({ length: 20 }, (_, i) => ({ id: `co-${i}`, kind: 'company' as const })),
  ...Array.from({ length: 12 }, (_, i) => ({ id: `rc-${i}`, kind: 'research_centre' as const })),
  ...Array.from({ length: 8 }, (_, i) => ({ id: `inv-${i}`, kind: 'investor' as const })),
];
const orgToken = (org: string) => token(`user-${org}`, 'company', org);

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-int').replace(/-/g, '_'), logger });
  await ensureIndexes(mongo);
  await ensureTopics(kafka, [{ topic: topics.orgs, partitions: 1 }, { topic: topics.suggestions, partitions: 1 }, { topic: topics.meetings, partitions: 1 }]);
  relay = createOutboxRelay({ conn: mongo, collections: OUTBOX_COLLECTIONS, producer, topic: topics.meetings, logger, intervalMs: 100 });
  const repos = createRepos(mongo, () => relay.kick());
  // One consumer per topic, started together so the group joins overlap.
  consumers.push(
    ...(await Promise.all([
      startOrganisationsConsumer({ kafka, producer, logger, groupId: uniqueName('g-orgs'), topic: topics.orgs, apply: organisationSnapshots(mongo).apply }),
      startSuggestionsConsumer({ kafka, producer, logger, groupId: uniqueName('g-sugg'), topic: topics.suggestions, apply: suggestionStore(mongo).apply }),
      runConsumer({ kafka, groupId: uniqueName('g-meet'), topics: [topics.meetings], schema: MeetingEvent, producer, logger, handle: async (b) => void published.push(...b.map((x) => x.event)) }),
    ])),
  );
  relay.start();
  app = createApp({ logger, verifier: createVerifier(keys.publicKey, jwt), repos, readiness: {}, scheduleBudgetMs: 300, meetingsTopic: topics.meetings });
  await producer.publish(topics.orgs, [...orgs, { id: 'co-late', kind: 'company' as const }].map((o) => organisationUpserted(o.id, o.kind, `Org ${o.id}`)));
  // An older version arriving late must not overwrite the newer snapshot.
  await producer.publish(topics.orgs, [organisationUpserted('rc-0', 'research_centre', 'Renamed RC', 3), organisationUpserted('rc-0', 'research_centre', 'Stale name', 2)]);
  await producer.publish(topics.suggestions, [matchSuggested('co-0', 'rc-5', 'Org rc-5', 0.9), matchSuggested('co-1', 'rc-6', 'Org rc-6', 0.7)]);
  await waitFor(async () => (await countSnapshots(mongo)) === 41 && (await mongo.db!.collection('company_suggestions').countDocuments()) === 2, { description: 'snapshots and suggestions consumed', timeoutMs: 30_000 });
});

afterAll(async () => {
  for (const c of consumers) await c.stop();
  await relay?.stop();
  await producer.disconnect();
  await mongo?.db?.dropDatabase();
  await mongo?.close();
});

const eventBody = {
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

describe('events service on FerretDB + Kafka', () => {
  let eventId: string;
  const pid = new Map<string, string>(); // org id → participant id
  let firstPublished: { id: string; sessionId: string; slot: number; table: number; a: string; b: string }[] = [];

  it('when staff create an event and register 40 participants from profile snapshots, then they are validated; an unknown organisation is refused', async () => {
    const res = await request(app).post('/events').set('Authorization', STAFF).send(eventBody);
    expect(res.status).toBe(201);
    eventId = res.body.id;
    expect((await request(app).post('/events').set('Authorization', orgToken('co-0')).send(eventBody)).status).toBe(403);
    for (const o of orgs) {
      const r = await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: o.id, vip: o.id === 'inv-0' });
      expect(r.status).toBe(201);
      pid.set(o.id, r.body.id);
    }
    expect(pid.size).toBe(40);
    const rc0 = await request(app).get(`/events/${eventId}/participants?limit=100`).set('Authorization', STAFF);
    expect(rc0.body.items.find((p: { organisationId: string }) => p.organisationId === 'rc-0').organisation.name).toBe('Renamed RC');
    const unknown = await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: 'nobody' });
    expect(unknown.status).toBe(422);
    expect((await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: 'co-0' })).status).toBe(409);
  });

  it('when a participant browses, then it sees only participants it may meet (investors do not see other investors)', async () => {
    const res = await request(app).get(`/events/${eventId}/participants?limit=100`).set('Authorization', orgToken('inv-1'));
    expect(res.status).toBe(200);
    const types = new Set(res.body.items.filter((p: { organisationId: string }) => p.organisationId !== 'inv-1').map((p: { type: string }) => p.type));
    expect([...types]).toEqual(['company']);
    expect((await request(app).get(`/events/${eventId}/participants`).set('Authorization', orgToken('stranger'))).status).toBe(403);
  });

  it('when companies send requests and receivers accept or decline, then only receivers may decide and declines are final', async () => {
    const requests: { id: string; to: string }[] = [];
    for (let i = 0; i < 20; i++) {
      for (const to of [`rc-${i % 12}`, `inv-${i % 8}`]) {
        const r = await request(app)
          .post(`/events/${eventId}/requests`)
          .set('Authorization', orgToken(`co-${i}`))
          .send({ to: pid.get(to), message: `Hello from co-${i}`, priority: i % 3 === 0 ? 'must_meet' : 'would_like' });
        expect(r.status).toBe(201);
        expect(r.body.status).toBe('pending');
        requests.push({ id: r.body.id, to });
      }
    }
    // an investor may not request an investor (rules)
    const bad = await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('inv-0')).send({ to: pid.get('inv-1') });
    expect(bad.status).toBe(400);
    // someone else cannot accept a request addressed to rc-0
    expect((await request(app).post(`/events/${eventId}/requests/${requests[0]!.id}/accept`).set('Authorization', orgToken('rc-1'))).status).toBe(403);
    for (const [i, r] of requests.entries()) {
      const decision = i % 5 === 4 ? 'decline' : 'accept';
      expect((await request(app).post(`/events/${eventId}/requests/${r.id}/${decision}`).set('Authorization', orgToken(r.to))).status).toBe(200);
    }
    const mine = await request(app).get(`/events/${eventId}/requests`).set('Authorization', orgToken('co-0'));
    expect(mine.body.items.every((r: { from: string; to: string }) => r.from === pid.get('co-0') || r.to === pid.get('co-0'))).toBe(true);
  });

  it('when staff look at suggestions for a participant, then the matcher explanation is shown', async () => {
    const res = await request(app).get(`/events/${eventId}/participants/${pid.get('co-0')}/suggestions`).set('Authorization', STAFF);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ participantId: pid.get('rc-5'), score: 0.9, explanation: { summary: expect.stringContaining('oncology') } });
    expect((await request(app).get(`/events/${eventId}/participants/${pid.get('co-0')}/suggestions`).set('Authorization', orgToken('co-1'))).status).toBe(403);
  });

  it('when staff generate the schedule, then the draft respects declines and the report gives objective, bound and reasons; participants may not generate', async () => {
    expect((await request(app).post(`/events/${eventId}/schedule:generate`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    const res = await request(app).post(`/events/${eventId}/schedule:generate?seed=3`).set('Authorization', STAFF);
    expect(res.status).toBe(200);
    const { report, meetings } = res.body;
    expect(report.objective).toBeGreaterThan(0);
    expect(report.objective).toBeLessThanOrEqual(report.upperBound);
    expect(report.objective).toBeGreaterThanOrEqual(report.greedyObjective);
    expect(report.unscheduledByReason.declined).toBe(8);
    expect(report.meetingsPerParticipant.max).toBeLessThanOrEqual(6);
    const declinedPairs = (await request(app).get(`/events/${eventId}/requests?limit=100`).set('Authorization', STAFF)).body.items
      .filter((r: { status: string }) => r.status === 'declined')
      .map((r: { from: string; to: string }) => [r.from, r.to].sort().join('|'));
    for (const m of meetings) expect(declinedPairs).not.toContain([m.a, m.b].sort().join('|'));
    expect(meetings.length).toBeGreaterThanOrEqual(32);
  });

  it('when two organisers edit the draft, then the stale edit gets 412 and an infeasible move gets 409', async () => {
    const draft = await request(app).get(`/events/${eventId}/schedule`).set('Authorization', STAFF);
    const etag = String(draft.headers.etag);
    const [m1] = draft.body.draft.meetings;
    expect((await request(app).get(`/events/${eventId}/schedule`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    const bad = await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).set('If-Match', etag).send({ edits: [{ op: 'move', meetingId: m1.id, sessionId: m1.sessionId, slot: m1.slot, table: 99 }] });
    expect(bad.status).toBe(409);
    const ok = await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).set('If-Match', etag).send({ edits: [{ op: 'remove', meetingId: m1.id }] });
    expect(ok.status).toBe(200);
    const stale = await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).set('If-Match', etag).send({ edits: [{ op: 'remove', meetingId: draft.body.draft.meetings[1].id }] });
    expect(stale.status).toBe(412);
    expect(ok.body.draft.meetings).toHaveLength(draft.body.draft.meetings.length - 1);
  });

  it('when staff publish, then every meeting goes out as meeting.scheduled on Kafka keyed by the event id', async () => {
    const res = await request(app).post(`/events/${eventId}/schedule:publish`).set('Authorization', STAFF);
    expect(res.status).toBe(200);
    firstPublished = res.body.published.meetings;
    await waitFor(() => published.filter((e) => e.type === 'meeting.scheduled').length === firstPublished.length, { description: 'scheduled events' });
    expect(published.every((e) => e.key === eventId)).toBe(true);
    expect(published.filter((e) => e.type === 'meeting.requested')).toHaveLength(40);
    expect(published.filter((e) => e.type === 'meeting.declined')).toHaveLength(8);
  });

  it('when a late participant registers and the schedule is re-run, then published meetings keep their slot and table', async () => {
    const late = await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: 'co-late' });
    pid.set('co-late', late.body.id);
    const r = await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-late')).send({ to: pid.get('rc-3'), priority: 'must_meet' });
    await request(app).post(`/events/${eventId}/requests/${r.body.id}/accept`).set('Authorization', orgToken('rc-3')).expect(200);
    const gen = await request(app).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF);
    for (const m of firstPublished) {
      expect(gen.body.meetings).toContainEqual(expect.objectContaining({ id: m.id, sessionId: m.sessionId, slot: m.slot, table: m.table }));
    }
    expect(gen.body.meetings.some((m: { a: string; b: string }) => [m.a, m.b].includes(pid.get('co-late')!))).toBe(true);
    const before = published.length;
    await request(app).post(`/events/${eventId}/schedule:publish`).set('Authorization', STAFF).set("If-Match", String(gen.headers.etag)).expect(200);
    await waitFor(() => published.length > before, { description: 'second publish events' });
    await relay.flush();
    expect(published.filter((e) => e.type === 'meeting.cancelled' || e.type === 'meeting.rescheduled')).toEqual([]);
  });

  it('when a participant downloads its agenda as .ics, then a calendar parser reads the right local times and table numbers; others get 403', async () => {
    const me = pid.get('co-late')!;
    const json = await request(app).get(`/events/${eventId}/participants/${me}/agenda`).set('Authorization', orgToken('co-late'));
    expect(json.status).toBe(200);
    const item = json.body.items[0];
    const res = await request(app).get(`/events/${eventId}/participants/${me}/agenda?format=ics`).set('Authorization', orgToken('co-late'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const parsed = Object.values(ical.sync.parseICS(res.text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(parsed).toHaveLength(json.body.items.length);
    const ev = parsed.find((e) => e.uid === `${item.meetingId}@events.lombardy-match`)!;
    // June in Rome is UTC+2: the wall-clock start must map to that instant.
    const [h, mi] = item.start.split(':').map(Number);
    expect(new Date(ev.start).toISOString()).toBe(new Date(Date.UTC(2026, 5, 10, h - 2, mi)).toISOString());
    expect(new Date(ev.start).toISOString()).toBe(item.startsAt);
    expect(String(ev.location)).toContain(`Table ${item.table}`);
    const csv = await request(app).get(`/events/${eventId}/participants/${me}/agenda?format=csv`).set('Authorization', orgToken('co-late'));
    expect(csv.text.split('\r\n')[0]).toBe('"date","start","end","time_zone","session","table","counterpart","counterpart_type","counterpart_organisation_id","meeting_id","status"');
    expect((await request(app).get(`/events/${eventId}/participants/${me}/agenda`).set('Authorization', orgToken('co-1'))).status).toBe(403);
  });

  it('when check-ins, no-shows and feedback are recorded, then analytics show meetings held, no-show rate and cooperation rate', async () => {
    const [m1, m2] = firstPublished;
    const orgOf = new Map([...pid.entries()].map(([o, p]) => [p, o]));
    for (const p of [m1!.a, m1!.b]) await request(app).post(`/events/${eventId}/meetings/${m1!.id}/check-in`).set('Authorization', STAFF).send({ participantId: p }).expect(200);
    await request(app).post(`/events/${eventId}/meetings/${m2!.id}/no-show`).set('Authorization', STAFF).send({ participantId: m2!.b }).expect(200);
    expect((await request(app).post(`/events/${eventId}/meetings/${m1!.id}/check-in`).set('Authorization', orgToken(orgOf.get(m1!.a)!)).send({ participantId: m1!.a })).status).toBe(403);
    await request(app).put(`/events/${eventId}/meetings/${m1!.id}/feedback`).set('Authorization', orgToken(orgOf.get(m1!.a)!)).send({ outcome: 'cooperation_possible' }).expect(200);
    await request(app).put(`/events/${eventId}/meetings/${m1!.id}/feedback`).set('Authorization', orgToken(orgOf.get(m1!.b)!)).send({ outcome: 'informative_no_cooperation' }).expect(200);
    await request(app).put(`/events/${eventId}/meetings/${m1!.id}/feedback`).set('Authorization', orgToken(orgOf.get(m1!.a)!)).send({ followUp: 'in_negotiation' }).expect(200);
    const outsider = [...pid.keys()].find((o) => ![m1!.a, m1!.b].includes(pid.get(o)!))!;
    expect((await request(app).put(`/events/${eventId}/meetings/${m1!.id}/feedback`).set('Authorization', orgToken(outsider)).send({ outcome: 'cooperation_possible' })).status).toBe(403);
    const a = await request(app).get(`/events/${eventId}/analytics`).set('Authorization', STAFF);
    expect(a.body).toMatchObject({ meetingsHeld: 1, noShowRate: 0.333, cooperationRate: 0.5, feedback: { given: 2, followUps: { in_negotiation: 1 } } });
    expect((await request(app).get(`/events/${eventId}/analytics`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    await waitFor(() => ['meeting.checked_in', 'meeting.no_show', 'meeting.feedback_given'].every((t) => published.some((e) => e.type === t)), { description: 'attendance and feedback events' });
  });

  it('when staff cancel the event, then every published meeting goes out as meeting.cancelled, agendas list them cancelled and the event accepts no more changes', async () => {
    const schedule = (await request(app).get(`/events/${eventId}/schedule`).set('Authorization', STAFF)).body;
    const live = schedule.published.meetings as { id: string; a: string }[];
    expect(live.length).toBeGreaterThan(0);
    expect((await request(app).post(`/events/${eventId}:cancel`).set('Authorization', orgToken('co-0')).send({})).status).toBe(403);
    const res = await request(app).post(`/events/${eventId}:cancel`).set('Authorization', STAFF).send({ reason: 'Venue unavailable' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Venue unavailable', cancelledAt: expect.any(String) });
    const cancelled = () => published.filter((e) => e.type === 'meeting.cancelled' && (e.data as { reason: string }).reason === 'event_cancelled');
    await waitFor(() => cancelled().length === live.length, { description: 'meeting.cancelled for every published meeting' });
    expect(new Set(cancelled().map((e) => (e.data as { meetingId: string }).meetingId))).toEqual(new Set(live.map((m) => m.id)));
    // The agenda of a participant of the first meeting lists its meetings as cancelled, in JSON and in the calendar.
    const orgOf = new Map([...pid.entries()].map(([o, p]) => [p, o]));
    const who = live[0]!.a;
    const agenda = await request(app).get(`/events/${eventId}/participants/${who}/agenda`).set('Authorization', orgToken(orgOf.get(who)!));
    expect(agenda.body.eventStatus).toBe('cancelled');
    expect(agenda.body.items.length).toBeGreaterThan(0);
    expect(agenda.body.items.every((i: { status: string }) => i.status === 'cancelled')).toBe(true);
    const ics = await request(app).get(`/events/${eventId}/participants/${who}/agenda?format=ics`).set('Authorization', orgToken(orgOf.get(who)!));
    const vevents = Object.values(ical.sync.parseICS(ics.text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(vevents.map((v) => v.status)).toEqual(agenda.body.items.map(() => 'CANCELLED'));
    // Read-only from now on: no re-publishing, no new requests, no edits; a repeated cancel changes nothing.
    expect((await request(app).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF)).status).toBe(409);
    expect((await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-3')).send({ to: pid.get('rc-9') })).status).toBe(409);
    expect((await request(app).patch(`/events/${eventId}`).set('Authorization', STAFF).send({ title: 'Back on' })).status).toBe(409);
    const again = await request(app).post(`/events/${eventId}:cancel`).set('Authorization', STAFF).send({});
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(res.body.version);
    await relay.flush();
    expect(cancelled()).toHaveLength(live.length);
  });

  it('when the documents are asked, then /asyncapi.json lists every meeting event on the configured topic', async () => {
    const res = await request(app).get('/asyncapi.json');
    expect(Object.keys(res.body.components.messages)).toHaveLength(9);
    const paths = (await request(app).get('/openapi.json')).body.paths;
    expect(Object.keys(paths)).toContain('/events/{id}/schedule:generate');
  });
});
