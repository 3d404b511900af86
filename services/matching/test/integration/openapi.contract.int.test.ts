import type { OrganisationEvent } from '@lm/contracts';
import { loadOpenApiContract, uniqueName, type OpenApiContract } from '@lm/testing';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createTopicReplay } from '../../src/data/organisation-topic.replay';
import { applyOrganisationEvents } from '../../src/domain/index-organisations.usecase';
import { ReindexJobs } from '../../src/domain/reindex.usecase';
import { createHarness, type Harness } from '../support/harness';
import { cardiacIrccs, medtechCompany, seedInvestor, upserted } from '../support/orgs';

/**
 * Every route of the matching service, answered for real (Elasticsearch, Kafka for the reindex
 * and the feedback events), checked against the OpenAPI document the same app serves at
 * /openapi.json: each success and each documented error a client can cause.
 */
describe('matching API against its served OpenAPI document', () => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;
  let reindex: ReindexJobs;
  let contract: OpenApiContract;
  const staff = () => h.token({ sub: 'staff-1', role: 'hub_staff' });
  const company = (org: string) => h.token({ sub: `user-${org}`, role: 'company', org });
  const partner = () => h.token({ sub: 'partner-1', role: 'partner' });

  beforeAll(async () => {
    h = await createHarness('contract');
    const population = [medtechCompany('k-co1'), medtechCompany('k-co2'), cardiacIrccs('k-rc1'), seedInvestor('k-inv1')];
    await h.publishOrgs(population.map((o) => upserted(o)));
    await applyOrganisationEvents(
      h.deps,
      population.map((o) => upserted(o) as unknown as OrganisationEvent),
    );
    await h.deps.index.refresh();
    reindex = new ReindexJobs({
      topic: createTopicReplay({ kafka: h.kafka, topic: h.topics.organisations, groupPrefix: uniqueName('it-contract') }),
      index: h.deps.index,
      logger: h.logger,
    });
    // Four expensive calls per window (every call counts, refused ones too): the fifth reindex call in a row is the documented 429.
    app = createApp({
      logger: h.logger,
      verifier: h.verifier,
      readiness: {},
      matching: h.deps,
      reindex,
      rateLimit: { windowMs: 60_000, failedAuthPerWindow: 1000, expensivePerWindow: 4 },
    });
    contract = await loadOpenApiContract((await request(app).get('/openapi.json')).body);
  }, 60_000);
  afterAll(() => h.close());

  /** The response, once the contract has found nothing wrong with it. */
  function checked(res: request.Response): request.Response {
    expect(contract.problems(res)).toEqual([]);
    return res;
  }

  it('when a company reads its matches (then again with the ETag), then the 200 and the 304 match the document', async () => {
    const first = checked(await request(app).get('/organisations/k-co1/matches').set('Authorization', company('k-co1')));
    expect(first.body.items.map((i: { candidate: { id: string } }) => i.candidate.id)).toEqual(expect.arrayContaining(['k-rc1', 'k-inv1']));
    expect(
      checked(await request(app).get('/organisations/k-co1/matches').set('Authorization', company('k-co1')).set('If-None-Match', String(first.headers.etag)))
        .status,
    ).toBe(304);
  });

  it('when matches are asked wrongly (bad query, no token, partner, another company, unknown company), then each error matches the document', async () => {
    expect(checked(await request(app).get('/organisations/k-co1/matches').query({ limit: 0 }).set('Authorization', company('k-co1'))).status).toBe(400);
    expect(checked(await request(app).get('/organisations/k-co1/matches')).status).toBe(401);
    expect(checked(await request(app).get('/organisations/k-co1/matches').set('Authorization', partner())).status).toBe(403);
    expect(checked(await request(app).get('/organisations/k-co1/matches').set('Authorization', company('k-co2'))).status).toBe(403);
    expect(checked(await request(app).get('/organisations/k-nobody/matches').set('Authorization', staff())).status).toBe(404);
  });

  it('when a partner pages the suggestions (then again with the ETag), or asks wrongly, then every answer matches the document', async () => {
    const page = checked(await request(app).get('/suggestions').set('Authorization', partner()));
    expect(page.status).toBe(200);
    expect(checked(await request(app).get('/suggestions').set('Authorization', partner()).set('If-None-Match', String(page.headers.etag))).status).toBe(304);
    expect(checked(await request(app).get('/suggestions').query({ limit: 0 }).set('Authorization', partner())).status).toBe(400);
    expect(checked(await request(app).get('/suggestions')).status).toBe(401);
    expect(checked(await request(app).get('/suggestions').set('Authorization', company('k-co1'))).status).toBe(403);
  });

  it('when a company accepts a match, or feedback is wrong (bad body, no token, not its match, unknown candidate), then every answer matches the document', async () => {
    expect(checked(await request(app).post('/matches/k-co1~k-rc1/feedback').set('Authorization', company('k-co1')).send({ decision: 'accepted' })).status).toBe(
      201,
    );
    expect(checked(await request(app).post('/matches/k-co1~k-rc1/feedback').set('Authorization', company('k-co1')).send({ decision: 'maybe' })).status).toBe(
      400,
    );
    expect(checked(await request(app).post('/matches/k-co1~k-rc1/feedback').send({ decision: 'accepted' })).status).toBe(401);
    expect(checked(await request(app).post('/matches/k-co1~k-rc1/feedback').set('Authorization', company('k-co2')).send({ decision: 'accepted' })).status).toBe(
      403,
    );
    expect(checked(await request(app).post('/matches/k-co1~k-ghost/feedback').set('Authorization', staff()).send({ decision: 'accepted' })).status).toBe(404);
  });

  it('when staff reindex (and start again while it runs, and once more past the limit) and follow the job, then every answer matches the document', async () => {
    expect(checked(await request(app).post('/admin/reindex')).status).toBe(401);
    expect(checked(await request(app).post('/admin/reindex').set('Authorization', company('k-co1'))).status).toBe(403);
    const started = checked(await request(app).post('/admin/reindex').set('Authorization', staff()));
    expect(started.status).toBe(202);
    expect(checked(await request(app).post('/admin/reindex').set('Authorization', staff())).status).toBe(409);
    expect(checked(await request(app).post('/admin/reindex').set('Authorization', staff())).status).toBe(429);
    await reindex.waitFor(started.body.jobId);
    expect(checked(await request(app).get(`/admin/reindex/${started.body.jobId}`).set('Authorization', staff())).body.state).toBe('succeeded');
    expect(checked(await request(app).get('/admin/reindex/not-a-uuid').set('Authorization', staff())).status).toBe(400);
    expect(checked(await request(app).get('/admin/reindex/00000000-0000-4000-8000-000000000000').set('Authorization', staff())).status).toBe(404);
    expect(checked(await request(app).get(`/admin/reindex/${started.body.jobId}`)).status).toBe(401);
    expect(checked(await request(app).get(`/admin/reindex/${started.body.jobId}`).set('Authorization', partner())).status).toBe(403);
  }, 120_000);

  it('when every test above has run, then every documented answer of every route has been produced', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
