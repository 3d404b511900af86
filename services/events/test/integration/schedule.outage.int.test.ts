import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { startTcpProxy, testEndpoints, uniqueName, type TcpProxy } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { Repos, ScheduleRunner } from '../../src/domain/events.ports';
import { schedule } from '../../src/domain/scheduler';
import { createEventsDeps } from '../../src/wiring';
import { STAFF, testVerifier } from './events.harness';

/**
 * Storing the first draft of an event: a run that lost the race to another run is a version
 * conflict (412, reload and retry), a database that went away is an outage (503). The database
 * is reached through a TCP proxy the test cuts — the shared FerretDB keeps running for the other
 * test files and engineers.
 */
const logger = createLogger({ service: 'events-outage-test', level: 'silent' });

let proxy: TcpProxy;
let mongo: Connection;
let repos: Repos;
/** What the runner does just before it computes (the moment a real run spends in its worker). */
let duringRun: (eventId: string) => Promise<void> = async () => undefined;

/** The scheduler in-process, with a hook in the middle of the run. */
const runner: ScheduleRunner = {
  async run(eventId, input) {
    await duringRun(eventId);
    return schedule(input);
  },
  status: () => undefined,
};

beforeAll(async () => {
  const target = new URL(testEndpoints().mongoUri);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 27017) });
  mongo = await connectMongo({
    uri: `mongodb://127.0.0.1:${proxy.port}/?directConnection=true`,
    dbName: uniqueName('events-outage').replace(/-/g, '_'),
    logger,
    serverSelectionTimeoutMs: 1_500,
  });
  ({ repos } = await createEventsDeps(mongo));
});

afterEach(() => {
  duringRun = async () => undefined;
  proxy.restore();
});

afterAll(async () => {
  proxy.restore();
  await mongo?.db?.dropDatabase();
  await mongo?.close();
  await proxy?.close();
});

function app() {
  return createApp({ logger, verifier: testVerifier(), repos, readiness: {}, scheduler: runner, scheduleBudgetMs: 100, rateLimit: false });
}

/** An event with one company and one research centre that asked to meet (accepted). */
async function eventWithOneRequest(): Promise<string> {
  const res = await request(app())
    .post('/events')
    .set('Authorization', STAFF)
    .send({
      title: 'Outage Day',
      venue: 'MIND',
      timeZone: 'Europe/Rome',
      sessions: [{ id: 'am', date: '2026-06-10', start: '09:00', end: '10:00', slotMinutes: 20, tables: 2 }],
      participantTypes: ['company', 'research_centre'],
    })
    .expect(201);
  const eventId = res.body.id as string;
  const now = new Date().toISOString();
  for (const [id, type] of [
    ['co', 'company'],
    ['rc', 'research_centre'],
  ] as const) {
    const organisation = { name: id, kind: type, s3Areas: [], specialties: [] };
    await repos.participants.insert({
      id: `${eventId}-${id}`,
      eventId,
      organisationId: `${eventId}-org-${id}`,
      type,
      organisation,
      availability: {},
      vip: false,
      visible: true,
      status: 'validated',
      version: 1,
      registeredAt: now,
    });
  }
  await repos.requests.insert({
    id: `${eventId}-r1`,
    eventId,
    from: `${eventId}-co`,
    to: `${eventId}-rc`,
    fromOrganisationId: `${eventId}-org-co`,
    toOrganisationId: `${eventId}-org-rc`,
    priority: 'must_meet',
    status: 'accepted',
    createdAt: now,
    version: 1,
  });
  return eventId;
}

describe('storing the first draft of a schedule', () => {
  it('when the database goes away during the run, then generate answers 503 dependency_unavailable, not a 412 version conflict', async () => {
    const eventId = await eventWithOneRequest();
    duringRun = async () => proxy.cut();
    const res = await request(app()).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('dependency_unavailable');
  });

  it('when another run stored the first draft meanwhile, then generate answers 412 and the other draft stays', async () => {
    const eventId = await eventWithOneRequest();
    const other = { meetings: [], generatedAt: new Date().toISOString(), basedOnPublished: 0 };
    duringRun = async (id) => void (await repos.schedules.insert({ id, eventId: id, version: 1, draft: other, published: null }));
    const res = await request(app()).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF);
    expect(res.status).toBe(412);
    expect(res.body.error.code).toBe('precondition_failed');
    expect((await repos.schedules.get(eventId))?.draft?.meetings).toEqual([]);
  });

  it('when the database is back, then the same generate stores the draft', async () => {
    const eventId = await eventWithOneRequest();
    const res = await request(app()).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF);
    expect(res.status).toBe(200);
    expect(res.body.meetings).toHaveLength(1);
    expect((await repos.schedules.get(eventId))?.version).toBe(1);
  });
});
