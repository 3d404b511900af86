import { MatchEvent, OrganisationEvent } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, loadOpenApiContract, testEndpoints, uniqueName, waitFor, type OpenApiContract } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { organisationSnapshots, suggestionStore } from '../../src/data/snapshots.repository';
import type { Repos } from '../../src/domain/events.ports';
import { createEventsDeps } from '../../src/wiring';
import { callRoute, contractRoutes, type Ids, type Route } from './contract.routes';
import { matchSuggested, organisationUpserted } from './fixtures';

/**
 * Every route of the events service, answered for real (FerretDB, worker-thread scheduler),
 * checked against the OpenAPI document the same app serves at /openapi.json: each success and
 * the errors a client meets. A status, content type, body or header the document does not allow fails.
 */
const logger = createLogger({ service: 'events-contract-test', level: 'silent' });
const auth = createTestAuth();
const token = (sub: string, role: 'company' | 'hub_staff', org?: string) => auth.bearer({ sub, role, ...(org ? { org } : {}) });
const STAFF = token('staff-1', 'hub_staff');
const orgToken = (org: string) => token(`user-${org}`, 'company', org);

let mongo: Connection;
let app: ReturnType<typeof createApp>;
let repos: Repos;
let contract: OpenApiContract;

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-contract').replace(/-/g, '_'), logger });
  ({ repos } = await createEventsDeps(mongo));
  const snapshots = organisationSnapshots(mongo);
  for (const [id, kind, name] of [
    ['co-1', 'company', 'Alfa Bio'],
    ['co-2', 'company', 'Beta Med'],
    ['rc-1', 'research_centre', 'Istituto Gamma'],
    ['inv-1', 'investor', 'Delta Ventures'],
  ] as const) {
    await snapshots.apply(OrganisationEvent.parse(organisationUpserted(id, kind, name)));
  }
  await suggestionStore(mongo).apply(MatchEvent.parse(matchSuggested('co-1', 'rc-1', 'Istituto Gamma', 0.8)));
  app = createApp({ logger, verifier: auth.verifier, repos, readiness: {}, rateLimit: false });
  contract = await loadOpenApiContract((await request(app).get('/openapi.json')).body);
});

afterAll(async () => {
  await mongo?.db?.dropDatabase();
  await mongo?.close();
});

/** The response, once the contract has found nothing wrong with it. */
function checked(res: request.Response): request.Response {
  expect(contract.problems(res)).toEqual([]);
  return res;
}

const etagOf = (res: request.Response): string => String(res.headers.etag);

const eventBody = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  venue: 'MIND, Milano Innovation District',
  timeZone: 'Europe/Rome',
  sessions: [{ id: 'am', name: 'Morning', date: '2027-06-10', start: '09:00', end: '10:00', slotMinutes: 20, breakSlots: [], tables: 3 }],
  ...extra,
});

async function newEvent(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  return checked(await request(app).post('/events').set('Authorization', STAFF).send(eventBody(title, extra))).body.id;
}

/** An event with co-1, co-2, rc-1 and inv-1 registered and validated: org id → participant id. */
async function eventWithParticipants(title: string): Promise<{ eventId: string; pid: Record<string, string> }> {
  const eventId = await newEvent(title);
  const pid: Record<string, string> = {};
  for (const org of ['co-1', 'co-2', 'rc-1', 'inv-1']) {
    const reg = checked(await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: org }));
    expect(reg.status).toBe(201);
    pid[org] = reg.body.id;
    expect(
      checked(await request(app).patch(`/events/${eventId}/participants/${reg.body.id}`).set('Authorization', STAFF).send({ status: 'validated' })).status,
    ).toBe(200);
  }
  return { eventId, pid };
}

/** …plus an accepted request co-1 → rc-1 and a published schedule: the published meeting of co-1 and rc-1. */
async function eventWithPublishedMeeting(title: string) {
  const { eventId, pid } = await eventWithParticipants(title);
  const sent = checked(
    await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-1')).send({ to: pid['rc-1'], priority: 'must_meet' }),
  );
  const requestId = sent.body.id as string;
  expect(checked(await request(app).post(`/events/${eventId}/requests/${sent.body.id}/accept`).set('Authorization', orgToken('rc-1'))).status).toBe(200);
  const draft = checked(await request(app).post(`/events/${eventId}/schedule:generate`).query({ budgetMs: 200 }).set('Authorization', STAFF));
  expect(draft.status).toBe(200);
  const published = checked(await request(app).post(`/events/${eventId}/schedule:publish`).set('Authorization', STAFF).set('If-Match', etagOf(draft)));
  expect(published.status).toBe(200);
  const meeting = published.body.published.meetings.find(
    (m: { a: string; b: string }) => [m.a, m.b].sort().join() === [pid['co-1'], pid['rc-1']].sort().join(),
  );
  return { eventId, pid, requestId, meetingId: meeting.id as string };
}

describe('events API against its served OpenAPI document', () => {
  it('when events are created, listed, read, changed and cancelled, then every answer matches the document', async () => {
    const eventId = await newEvent('Contract: event lifecycle');
    const listed = checked(await request(app).get('/events').query({ limit: 1 }).set('Authorization', orgToken('co-1')));
    expect(listed.body.items).toHaveLength(1);
    const read = checked(await request(app).get(`/events/${eventId}`).set('Authorization', orgToken('co-1')));
    const changed = checked(
      await request(app).patch(`/events/${eventId}`).set('Authorization', STAFF).set('If-Match', etagOf(read)).send({ title: 'Contract: renamed' }),
    );
    expect(changed.body.title).toBe('Contract: renamed');
    const cancelled = checked(
      await request(app).post(`/events/${eventId}:cancel`).set('Authorization', STAFF).set('If-Match', etagOf(changed)).send({ reason: 'venue closed' }),
    );
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('when an event request is wrong (no token, bad body, not staff, unknown id, stale version, changed after cancel), then each error matches the document', async () => {
    expect(checked(await request(app).get('/events')).status).toBe(401);
    expect(checked(await request(app).post('/events').set('Authorization', STAFF).send({ title: 'x' })).status).toBe(400);
    expect(checked(await request(app).post('/events').set('Authorization', orgToken('co-1')).send(eventBody('Contract: not staff'))).status).toBe(403);
    expect(checked(await request(app).get('/events/no-such-event').set('Authorization', STAFF)).status).toBe(404);
    const eventId = await newEvent('Contract: event errors');
    expect(
      checked(await request(app).patch(`/events/${eventId}`).set('Authorization', STAFF).set('If-Match', '"99"').send({ title: 'Contract: stale' })).status,
    ).toBe(412);
    const cancelled = checked(await request(app).post(`/events/${eventId}:cancel`).set('Authorization', STAFF).set('If-Match', '"1"').send({}));
    expect(
      checked(
        await request(app).patch(`/events/${eventId}`).set('Authorization', STAFF).set('If-Match', etagOf(cancelled)).send({ title: 'Contract: after cancel' }),
      ).status,
    ).toBe(409);
  });

  it('when participants register, are listed (staff in full, a company as cards), changed and asked for suggestions, then every answer matches the document', async () => {
    const { eventId, pid } = await eventWithParticipants('Contract: participants');
    const staffPage = checked(await request(app).get(`/events/${eventId}/participants`).set('Authorization', STAFF));
    expect(staffPage.body.items).toHaveLength(4);
    const companyPage = checked(await request(app).get(`/events/${eventId}/participants`).set('Authorization', orgToken('co-1')));
    expect(companyPage.body.items.find((p: { id: string }) => p.id === pid['rc-1'])).not.toHaveProperty('availability');
    const suggestions = checked(await request(app).get(`/events/${eventId}/participants/${pid['co-1']}/suggestions`).set('Authorization', orgToken('co-1')));
    expect(suggestions.body.items.map((s: { organisationId: string }) => s.organisationId)).toEqual(['rc-1']);
    expect(
      checked(await request(app).post(`/events/${eventId}/participants`).set('Authorization', STAFF).send({ organisationId: 'never-published' })).status,
    ).toBe(422);
    expect(checked(await request(app).patch(`/events/${eventId}/participants/${pid['co-2']}`).set('Authorization', STAFF).send({})).status).toBe(400);
    expect(checked(await request(app).get(`/events/${eventId}/participants/${pid['co-2']}/suggestions`).set('Authorization', orgToken('co-1'))).status).toBe(
      403,
    );
  });

  it('when a participant with a published meeting withdraws, then the withdrawal and the schedule with its re-plan offer match the document', async () => {
    const made = await eventWithPublishedMeeting('Contract: withdrawal');
    const withdrawn = checked(
      await request(app).post(`/events/${made.eventId}/participants/${made.pid['co-1']}:withdraw`).set('Authorization', orgToken('co-1')),
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.cancelledMeetings.map((m: { id: string }) => m.id)).toEqual([made.meetingId]);
    const schedule = checked(await request(app).get(`/events/${made.eventId}/schedule`).set('Authorization', STAFF));
    expect(schedule.body.replanOffer.freed.map((f: { meetingId: string }) => f.meetingId)).toEqual([made.meetingId]);
  });

  it('when meeting requests are sent, listed, accepted and declined, then every answer matches the document', async () => {
    const { eventId, pid } = await eventWithParticipants('Contract: requests');
    const sent = checked(
      await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-1')).send({ to: pid['rc-1'], message: 'Oncology trial?' }),
    );
    expect(sent.status).toBe(201);
    const other = checked(await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-2')).send({ to: pid['inv-1'] }));
    checked(await request(app).get(`/events/${eventId}/requests`).set('Authorization', orgToken('rc-1')));
    expect(checked(await request(app).post(`/events/${eventId}/requests/${sent.body.id}/accept`).set('Authorization', orgToken('rc-1'))).body.status).toBe(
      'accepted',
    );
    expect(checked(await request(app).post(`/events/${eventId}/requests/${other.body.id}/decline`).set('Authorization', orgToken('inv-1'))).body.status).toBe(
      'declined',
    );
    expect(checked(await request(app).post(`/events/${eventId}/requests/${other.body.id}/accept`).set('Authorization', orgToken('inv-1'))).status).toBe(409);
    expect(checked(await request(app).post(`/events/${eventId}/requests`).set('Authorization', orgToken('co-1')).send({ to: 'nobody' })).status).toBe(404);
  });

  it('when a schedule is generated, watched, read, edited and published, then every answer matches the document', async () => {
    const { eventId } = await eventWithPublishedMeeting('Contract: schedule');
    const run = checked(await request(app).get(`/events/${eventId}/schedule/run`).set('Authorization', STAFF));
    expect(run.body.running).toBe(false);
    const doc = checked(await request(app).get(`/events/${eventId}/schedule`).set('Authorization', STAFF));
    const draft = checked(await request(app).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF).query({ budgetMs: 200 }));
    expect(draft.body.report.upperBound).toBeGreaterThanOrEqual(draft.body.report.objective);
    const [first] = draft.body.meetings;
    const edit = { edits: [{ op: 'remove', meetingId: first.id }] };
    expect(checked(await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).send(edit)).status).toBe(428);
    expect(checked(await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).set('If-Match', etagOf(doc)).send(edit)).status).toBe(
      412,
    );
    const edited = checked(await request(app).patch(`/events/${eventId}/schedule`).set('Authorization', STAFF).set('If-Match', etagOf(draft)).send(edit));
    expect(edited.body.draft.meetings.map((m: { id: string }) => m.id)).not.toContain(first.id);
    expect(checked(await request(app).get(`/events/${eventId}/schedule`).set('Authorization', orgToken('co-1'))).status).toBe(403);
  });

  it('when a schedule run is started in the background, then the 202, the 409 of a second start and every poll until its outcome match the document', async () => {
    const { eventId } = await eventWithPublishedMeeting('Contract: background run');
    const started = checked(
      await request(app).post(`/events/${eventId}/schedule:generate`).query({ budgetMs: 300, wait: 'false' }).set('Authorization', STAFF),
    );
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/events/${eventId}/schedule/run`);
    expect(started.body).toMatchObject({ running: true, eventId });
    const again = checked(await request(app).post(`/events/${eventId}/schedule:generate`).query({ budgetMs: 300, wait: 'false' }).set('Authorization', STAFF));
    expect(again.status).toBe(409);
    let run = started;
    await waitFor(
      async () => {
        run = checked(await request(app).get(`/events/${eventId}/schedule/run`).set('Authorization', STAFF));
        return run.body.running === false;
      },
      { timeoutMs: 60_000, description: 'the background run to end' },
    );
    expect(run.body.lastRun).toMatchObject({ outcome: 'draft_saved' });
    const doc = await request(app).get(`/events/${eventId}/schedule`).set('Authorization', STAFF);
    expect(etagOf(doc)).toBe(`"${run.body.lastRun.version}"`);
  });

  it('when a publication is started in the background, then the 202, the 409 of a second start, every poll and the outcome of a stale version match the document', async () => {
    const { eventId } = await eventWithPublishedMeeting('Contract: background publication');
    const draft = checked(await request(app).post(`/events/${eventId}/schedule:generate`).set('Authorization', STAFF).query({ budgetMs: 200 }));
    const start = () =>
      request(app).post(`/events/${eventId}/schedule:publish`).query({ wait: 'false' }).set('Authorization', STAFF).set('If-Match', etagOf(draft));
    // Sent together: the second finds the first still publishing.
    const [one, two] = (await Promise.all([start(), start()])).map(checked);
    expect([one!.status, two!.status].sort()).toEqual([202, 409]);
    const started = one!.status === 202 ? one! : two!;
    expect(started.headers.location).toBe(`/events/${eventId}/schedule/publication`);
    expect(started.body).toMatchObject({ running: true, eventId, expectedVersion: draft.body.version });
    const settled = async () => {
      let poll = started;
      await waitFor(
        async () => {
          poll = checked(await request(app).get(`/events/${eventId}/schedule/publication`).set('Authorization', STAFF));
          return poll.body.running === false;
        },
        { timeoutMs: 30_000, description: 'the background publication to end' },
      );
      return poll.body.lastPublication;
    };
    const done = await settled();
    expect(done).toMatchObject({ outcome: 'published', meetings: draft.body.meetings.length });
    const doc = await request(app).get(`/events/${eventId}/schedule`).set('Authorization', STAFF);
    expect(etagOf(doc)).toBe(`"${done.version}"`);
    expect(doc.body.published.number).toBe(done.number);

    expect(checked(await start()).status).toBe(202);
    expect(await settled()).toMatchObject({ outcome: 'failed', error: { code: 'precondition_failed' } });
  });

  it('when check-in, no-show, feedback, the agenda in its three formats and analytics are asked, then every answer matches the document', async () => {
    const { eventId, pid, meetingId } = await eventWithPublishedMeeting('Contract: the day');
    expect(
      checked(await request(app).post(`/events/${eventId}/meetings/${meetingId}/check-in`).set('Authorization', STAFF).send({ participantId: pid['co-1'] }))
        .body.status,
    ).toBe('checked_in');
    expect(
      checked(await request(app).post(`/events/${eventId}/meetings/${meetingId}/no-show`).set('Authorization', STAFF).send({ participantId: pid['rc-1'] })).body
        .status,
    ).toBe('no_show');
    expect(
      checked(await request(app).post(`/events/${eventId}/meetings/${meetingId}/check-in`).set('Authorization', STAFF).send({ participantId: pid['inv-1'] }))
        .status,
    ).toBe(400);
    const feedback = checked(
      await request(app)
        .put(`/events/${eventId}/meetings/${meetingId}/feedback`)
        .set('Authorization', orgToken('co-1'))
        .send({ outcome: 'cooperation_possible' }),
    );
    expect(feedback.body.outcome).toBe('cooperation_possible');
    expect(
      checked(
        await request(app)
          .put(`/events/${eventId}/meetings/${meetingId}/feedback`)
          .set('Authorization', orgToken('co-2'))
          .send({ outcome: 'cooperation_possible' }),
      ).status,
    ).toBe(403);
    const agenda = checked(await request(app).get(`/events/${eventId}/participants/${pid['co-1']}/agenda`).set('Authorization', orgToken('co-1')));
    expect(agenda.body.items).toHaveLength(1);
    checked(await request(app).get(`/events/${eventId}/participants/${pid['co-1']}/agenda`).query({ format: 'ics' }).set('Authorization', orgToken('co-1')));
    checked(await request(app).get(`/events/${eventId}/participants/${pid['co-1']}/agenda`).query({ format: 'csv' }).set('Authorization', orgToken('co-1')));
    expect(
      checked(await request(app).get(`/events/${eventId}/participants/${pid['co-1']}/agenda`).query({ format: 'pdf' }).set('Authorization', orgToken('co-1')))
        .status,
    ).toBe(400);
    const figures = checked(await request(app).get(`/events/${eventId}/analytics`).set('Authorization', STAFF));
    expect(figures.body.meetingsScheduled).toBe(1);
  });

  const ROUTES = contractRoutes({ eventBody, orgToken });
  const OUTSIDER = orgToken('co-outsider');
  const call = (route: Route, ids: Ids, opts: Parameters<typeof callRoute>[3] = {}) => callRoute(app, route, ids, opts);

  it('when each route is called without a token, for an unknown event, by an organisation taking no part, with a bad body or query, with a stale version or without If-Match, then each answer is its documented error', async () => {
    const made = await eventWithPublishedMeeting('Contract: error matrix');
    const ids: Ids = { id: made.eventId, pid: made.pid, rid: made.requestId, mid: made.meetingId };
    for (const route of ROUTES) {
      const where = `${route.method.toUpperCase()} ${route.path}`;
      expect([where, checked(await call(route, ids)).status]).toEqual([where, 401]);
      if (route.path.includes('{id}'))
        expect([where, checked(await call(route, { ...ids, id: 'no-such-event' }, { auth: STAFF, ifMatch: '"1"' })).status]).toEqual([where, 404]);
      if (!route.open) expect([where, checked(await call(route, ids, { auth: OUTSIDER, ifMatch: '"1"' })).status]).toEqual([where, 403]);
      if (route.bad) expect([where, checked(await call(route, ids, { auth: route.as?.(ids) ?? STAFF, ...route.bad })).status]).toEqual([where, 400]);
      if (route.versioned) expect([where, checked(await call(route, ids, { auth: STAFF, ifMatch: '"999"' })).status]).toEqual([where, 412]);
      if (route.versioned) expect([where, checked(await call(route, ids, { auth: STAFF })).status]).toEqual([where, 428]);
    }
  });

  it('when an event is cancelled, then every route that changes it answers the documented 409', async () => {
    const made = await eventWithPublishedMeeting('Contract: after cancel');
    const ids: Ids = { id: made.eventId, pid: made.pid, rid: made.requestId, mid: made.meetingId };
    const cancelled = checked(await request(app).post(`/events/${ids.id}:cancel`).set('Authorization', STAFF).set('If-Match', '"1"').send({}));
    const versions: Record<string, string> = {
      '/events/{id}': etagOf(cancelled),
      '/events/{id}/schedule': etagOf(checked(await request(app).get(`/events/${ids.id}/schedule`).set('Authorization', STAFF))),
    };
    for (const route of ROUTES.filter((r) => r.write)) {
      const where = `${route.method.toUpperCase()} ${route.path}`;
      const ifMatch = versions[route.path.replace(/:publish$/, '')];
      expect([where, checked(await call(route, ids, { auth: route.as?.(ids) ?? STAFF, ...(ifMatch ? { ifMatch } : {}) })).status]).toEqual([where, 409]);
    }
  });

  it('when a client starts more schedule runs than its allowance, then the 429 matches the document', async () => {
    const limited = createApp({
      logger,
      verifier: auth.verifier,
      repos,
      readiness: {},
      rateLimit: { windowMs: 60_000, failedAuthPerWindow: 1000, expensivePerWindow: 1 },
    });
    expect(checked(await request(limited).post('/events/no-such-event/schedule:generate').set('Authorization', STAFF)).status).toBe(404);
    const refused = checked(await request(limited).post('/events/no-such-event/schedule:generate').set('Authorization', STAFF));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('when every test above has run, then every documented answer of every route has been produced', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
