import { makeEnvelope, MEETING_EVENT_TYPES } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createEventsOutboxStore } from '../../src/data/outbox.store';
import { OUTBOX_COLLECTIONS } from '../../src/data/repositories';
import type { ScheduleDoc } from '../../src/domain/schedule.schemas';
import type { Repos } from '../../src/domain/events.ports';
import { createEventsDeps } from '../../src/wiring';

/**
 * Two organisers editing the same document at once: on FerretDB v1 a `{_id, version}` filter
 * alone is not a compare-and-set, so these tests fire several writers with the same expected
 * version at the same moment and check that exactly one change survives.
 */
const WRITERS = 6;
const logger = createLogger({ service: 'events-race-test', level: 'silent' });
const auth = createTestAuth();
const STAFF = auth.bearer({ sub: 'staff-1', role: 'hub_staff' });

const eventBody = {
  title: 'Race Day',
  venue: 'MIND, Milano Innovation District',
  timeZone: 'Europe/Rome',
  sessions: [{ id: 'am', name: 'Morning', date: '2026-06-10', start: '09:00', end: '11:00', slotMinutes: 20, breakSlots: [], tables: 4 }],
  participantTypes: ['company', 'research_centre'],
  meetRules: [{ a: 'company', b: 'research_centre' }],
  caps: { perSession: 4, total: 6 },
  requestMode: 'receiver_accepts',
  requestExpiryHours: 48,
};

let mongo: Connection;
let repos: Repos;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-race').replace(/-/g, '_'), logger });
  ({ repos } = await createEventsDeps(mongo));
  app = createApp({ logger, verifier: auth.verifier, repos, readiness: {}, scheduleBudgetMs: 300, meetingsTopic: uniqueName('meetings') });
});

afterAll(async () => {
  await mongo?.db?.dropDatabase();
  await mongo?.close();
});

describe('concurrent version-checked writes on FerretDB', () => {
  it(`when ${WRITERS} organisers rename the same event with the same If-Match at once, then exactly one gets 200, the others 412, and the stored event has the winner's title`, async () => {
    const created = await request(app).post('/events').set('Authorization', STAFF).send(eventBody);
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        request(app)
          .patch(`/events/${id}`)
          .set('Authorization', STAFF)
          .set('If-Match', `"${created.body.version}"`)
          .send({ title: `Renamed by organiser ${i}` }),
      ),
    );

    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(WRITERS - 1).fill(412)]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await request(app).get(`/events/${id}`).set('Authorization', STAFF);
    expect(stored.body.title).toBe(winner.body.title);
    expect(stored.body.version).toBe(created.body.version + 1);
  });

  it(`when ${WRITERS} writers change the same schedule with the same expected version at once, then exactly one succeeds and only its change and its event are stored`, async () => {
    const eventId = uniqueName('ev');
    const draft = (n: number) => ({
      meetings: [{ id: `m-${n}`, sessionId: 'am', slot: n, table: 1, a: 'p-a', b: 'p-b', source: 'request', requestIds: [], value: 40 }],
      generatedAt: new Date().toISOString(),
      basedOnPublished: 0,
    });
    await repos.schedules.insert({ id: eventId, eventId, version: 1, draft: draft(99), published: null } as unknown as ScheduleDoc);

    const envelope = (n: number) =>
      makeEnvelope({
        type: MEETING_EVENT_TYPES.cancelled,
        key: eventId,
        source: 'events',
        data: { eventId, meetingId: `m-${n}`, participants: [], reason: 'removed_by_organiser', scheduleVersion: n } as never,
      });
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, n) => repos.schedules.update(eventId, 1, { draft: draft(n) } as Partial<ScheduleDoc>, [envelope(n)])),
    );

    const winners = results.map((r, n) => (r ? n : -1)).filter((n) => n >= 0);
    expect(winners).toHaveLength(1);
    const stored = await mongo.db!.collection('schedules').findOne({ _id: eventId as never });
    expect(stored?.version).toBe(2);
    expect((await repos.schedules.get(eventId))?.draft?.meetings.map((m) => m.id)).toEqual([`m-${winners[0]}`]);
    expect(stored?.outbox.map((e: string) => (JSON.parse(e) as { data: { meetingId: string } }).data.meetingId)).toEqual([`m-${winners[0]}`]);
    // Only the winner's envelope waits for the relay: a refused write marks nothing.
    const relayStore = createEventsOutboxStore(mongo, OUTBOX_COLLECTIONS);
    const claimed = await relayStore.claim('race-test', 1000);
    await relayStore.release('race-test', claimed);
    expect(claimed.find((c) => c.id === `schedules/${eventId}`)?.events.map((e) => (e.data as { meetingId: string }).meetingId)).toEqual([`m-${winners[0]}`]);
  });
});
