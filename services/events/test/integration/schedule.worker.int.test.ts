import { createLogger } from '@lm/logger';
import { createRandom } from '@lm/random';
import { connectMongo, createPartitionedCollection } from '@lm/mongo';
import { createTestAuth, testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createEventsDeps } from '../../src/wiring';
import { storedParticipant } from './fixtures';
import { PARTICIPANT_PARTITIONS } from '../../src/data/participants.repository';
import { REQUEST_PARTITIONS } from '../../src/data/requests.repository';

/**
 * Probe finding 11: a schedule run (staff may give it up to 120 s) must not stall the service.
 * The instance is big enough that the optimiser uses its whole budget instead of converging early.
 */
const logger = createLogger({ service: 'events-worker-test', level: 'silent' });
const auth = createTestAuth();
const STAFF = auth.bearer({ sub: 'staff-1', role: 'hub_staff' });
const PARTICIPANTS = 200;
const REQUESTS = 700;
const RUN_BUDGET_MS = 12_000;

let mongo: Connection;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-worker').replace(/-/g, '_'), logger });
  const { repos } = await createEventsDeps(mongo);
  app = createApp({ logger, verifier: auth.verifier, repos, readiness: {}, rateLimit: false });
});

afterAll(async () => {
  await mongo?.db?.dropDatabase();
  await mongo?.close();
});

/** 200 validated participants and 700 accepted requests, stored in one write each (as the repositories store them). */
async function seedBrokerageDay(eventId: string) {
  const now = new Date().toISOString();
  const types = ['company', 'company', 'research_centre', 'investor'];
  const participants = Array.from({ length: PARTICIPANTS }, (_, i) =>
    storedParticipant({ id: `${eventId}-p${i}`, eventId, organisationId: `org-${i}`, type: types[i % types.length]!, name: `Org ${i}`, registeredAt: now }),
  );
  const pairs = new Set<string>();
  const rng = createRandom(7);
  while (pairs.size < REQUESTS) {
    const a = rng.below(PARTICIPANTS / 2) * 2; // companies sit at even indexes
    const b = rng.below(PARTICIPANTS);
    if (b % 4 >= 2) pairs.add(`${a}|${b}`);
  }
  const requests = [...pairs].map((pair, i) => {
    const [a, b] = pair.split('|').map(Number) as [number, number];
    return {
      _id: `${eventId}-r${i}`,
      eventId,
      from: `${eventId}-p${a}`,
      to: `${eventId}-p${b}`,
      fromOrganisationId: `org-${a}`,
      toOrganisationId: `org-${b}`,
      priority: i % 5 ? 'would_like' : 'must_meet',
      status: 'accepted',
      createdAt: now,
      decidedAt: now,
      version: 1,
      outbox: [],
    };
  });
  // Stored in the repositories' partitioned layout (`participants_pNN`, `requests_pNN`).
  for (const [name, partitions, docs] of [
    ['participants', PARTICIPANT_PARTITIONS, participants],
    ['requests', REQUEST_PARTITIONS, requests],
  ] as const) {
    const col = createPartitionedCollection(mongo, name, partitions);
    for (let p = 0; p < partitions; p++) {
      const mine = (docs as { _id: string }[]).filter((d) => col.indexOf(d._id) === p);
      if (mine.length) await col.all()[p]!.insertMany(mine as never[]);
    }
  }
}

describe('schedule runs in a worker thread', () => {
  it('when a schedule run takes its 12 s budget, then the service answers health, reads and the run status meanwhile, and the run still returns its report', async () => {
    const ev = await request(app)
      .post('/events')
      .set('Authorization', STAFF)
      .send({
        title: 'Big brokerage day',
        venue: 'Fiera Milano',
        timeZone: 'Europe/Rome',
        sessions: [
          { id: 'am', date: '2026-06-10', start: '09:00', end: '12:00', slotMinutes: 15, tables: 20 },
          { id: 'pm', date: '2026-06-10', start: '14:00', end: '17:00', slotMinutes: 15, tables: 20 },
        ],
        participantTypes: ['company', 'research_centre', 'investor'],
      });
    expect(ev.status).toBe(201);
    const eventId = ev.body.id as string;
    await seedBrokerageDay(eventId);

    // The run ends only at its budget (it stops by time, ~100 iterations in, far from converging),
    // so the budget is the margin for everything before it: the worker's start and first progress
    // (under load: seconds) and the requests below. 5 s left that margin to the machine's speed.
    const finished: string[] = [];
    const run = request(app)
      .post(`/events/${eventId}/schedule:generate?budgetMs=${RUN_BUDGET_MS}`)
      .set('Authorization', STAFF)
      .then((res) => {
        finished.push('schedule run');
        return res;
      });
    // The run reports progress while it computes (on the event loop, this poll could not be answered until it ended).
    await waitFor(
      async () => {
        const status = await request(app).get(`/events/${eventId}/schedule/run`).set('Authorization', STAFF);
        return status.status === 200 && status.body.running === true && status.body.state === 'running' && status.body.progress?.phase !== undefined;
      },
      { description: 'the run reports progress', timeoutMs: RUN_BUDGET_MS - 4_000, intervalMs: 25 },
    );

    const others = await Promise.all([
      ...Array.from({ length: 3 }, () => request(app).get('/healthz')),
      request(app).get(`/events/${eventId}`).set('Authorization', STAFF),
      request(app).get(`/events/${eventId}/participants?limit=50`).set('Authorization', STAFF),
    ]);
    finished.push('other requests');
    expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    const res = await run;
    expect(res.status).toBe(200);
    expect(finished).toEqual(['other requests', 'schedule run']);
    expect(res.body.report).toMatchObject({ objective: expect.any(Number), runtimeMs: expect.any(Number) });
    expect(res.body.meetings.length).toBeGreaterThan(100);
    expect((await request(app).get(`/events/${eventId}/schedule/run`).set('Authorization', STAFF)).body).toEqual({ running: false, eventId });
  });
});
