import request from 'supertest';
import { createApp } from '../../src/app';
import { applyOrganisationEvents } from '../../src/domain/index-organisations.usecase';
import { createHarness, type Harness } from '../support/harness';
import { agrifoodInstitute, cardiacIrccs, medtechCompany, org, seedInvestor, upserted } from '../support/orgs';

describe('matching query on real Elasticsearch (use case + HTTP)', () => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    h = await createHarness('scoring');
    app = createApp({ logger: h.logger, verifier: h.verifier, readiness: {}, matching: h.deps });
    await applyOrganisationEvents(
      h.deps,
      [
        upserted(medtechCompany('co-1')),
        upserted(cardiacIrccs('rc-cardio')),
        upserted(agrifoodInstitute('rc-agri')),
        upserted(seedInvestor('inv-seed')),
        upserted(
          seedInvestor('inv-growth', {
            legalName: 'Growth Fund',
            investor: { stages: ['growth'], ticketEur: { min: 10_000_000, max: 50_000_000 }, sectors: ['logistics'], s3Areas: [], geography: ['BG'] },
          }),
        ),
        upserted(cardiacIrccs('rc-bg', { location: { province: 'BG', city: 'Bergamo' } })),
        upserted(
          org({ id: 'rc-en-trials', legalName: 'Trials Unit EN', languages: ['en'], offers: [{ type: 'clinical_trials', title: 'sperimentazione clinica' }] }),
        ),
      ],
      { recompute: false },
    );
    await h.deps.index.refresh();
  });
  afterAll(() => h.close());

  const staff = () => h.token({ sub: 'staff-1', role: 'hub_staff' });

  it('when a medtech company asks for matches, then the nearby cardiac IRCCS comes first and the seed investor is in the top three', async () => {
    const res = await request(app).get('/organisations/co-1/matches').set('Authorization', staff());
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i: { candidate: { id: string } }) => i.candidate.id);
    expect(ids[0]).toBe('rc-cardio');
    expect(ids.slice(0, 3)).toContain('inv-seed');
    expect(ids).not.toContain('co-1');
  });

  it('when a match is explained, then the named parts add up exactly to the score and name the weights version', async () => {
    const res = await request(app).get('/organisations/co-1/matches?kinds=research_centre').set('Authorization', staff());
    const top = res.body.items[0];
    expect(top.candidate.id).toBe('rc-cardio');
    const sum = Object.values(top.explanation.parts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(Math.round(sum * 10_000) / 10_000).toBe(top.score);
    expect(top.explanation.parts.s3).toBeGreaterThan(0);
    expect(top.explanation.parts.need_fit).toBeGreaterThan(0);
    expect(top.explanation.parts.trl).toBeGreaterThan(0);
    expect(top.explanation.matchedS3Areas).toEqual(['health_life_sciences']);
    expect(top.explanation.matchedSpecialties.sort()).toEqual(['cardiology', 'medical_devices']);
    expect(top.explanation.matchedTerms).toEqual(expect.arrayContaining(['clinical', 'trials']));
    expect(top.explanation.weightsVersion).toBe('2026-11-v1');
    expect(top.rank).toBe(1);
  });

  it('when the Italian need meets an English offer, then the terms match across the languages', async () => {
    const res = await request(app).get('/organisations/co-1/matches?kinds=research_centre').set('Authorization', staff());
    const en = res.body.items.find((i: { candidate: { id: string } }) => i.candidate.id === 'rc-en-trials');
    expect(en.explanation.parts.need_fit).toBeGreaterThan(0);
  });

  it('when the investor fits stage and ticket, then investor_fit scores it and a mismatched investor scores less', async () => {
    const res = await request(app).get('/organisations/co-1/matches?kinds=investor').set('Authorization', staff());
    const [first, second] = res.body.items;
    expect(first.candidate.id).toBe('inv-seed');
    expect(first.explanation.parts.investor_fit).toBeGreaterThan(second?.explanation.parts.investor_fit ?? 0);
  });

  it('when the language is chosen by lang or Accept-Language, then the summary is in that language', async () => {
    const it = await request(app).get('/organisations/co-1/matches?lang=it').set('Authorization', staff());
    expect(it.body.lang).toBe('it');
    expect(it.body.items[0].explanation.summary).toMatch(/buon candidato/);
    const en = await request(app).get('/organisations/co-1/matches').set('Authorization', staff()).set('Accept-Language', 'en-GB,en;q=0.9');
    expect(en.body.items[0].explanation.summary).toMatch(/matches mainly on/);
  });

  it('when filters s3Area and province are given, then only candidates within them come back', async () => {
    const res = await request(app).get('/organisations/co-1/matches?s3Area=health_life_sciences&province=BG').set('Authorization', staff());
    expect(res.body.items.map((i: { candidate: { id: string } }) => i.candidate.id)).toEqual(['rc-bg']);
  });

  it('when a candidate shares nothing substantive with the company, then it is not a match at all', async () => {
    const res = await request(app).get('/organisations/co-1/matches?limit=100').set('Authorization', staff());
    expect(res.body.items.map((i: { candidate: { id: string } }) => i.candidate.id)).not.toContain('rc-agri');
  });

  it('when the same province is shared, then proximity scores mildly and distance decays', async () => {
    const res = await request(app).get('/organisations/co-1/matches?kinds=research_centre').set('Authorization', staff());
    const byId = Object.fromEntries(res.body.items.map((i: { candidate: { id: string } }) => [i.candidate.id, i]));
    expect(byId['rc-cardio'].explanation.parts.proximity).toBeGreaterThan(byId['rc-bg'].explanation.parts.proximity);
    expect(byId['rc-cardio'].explanation.parts.proximity).toBeLessThan(byId['rc-cardio'].explanation.parts.need_fit);
  });

  it('when a company asks for its own matches, then it gets them; for another company, then 403', async () => {
    const own = await request(app)
      .get('/organisations/co-1/matches')
      .set('Authorization', h.token({ sub: 'u1', role: 'company', org: 'co-1' }));
    expect(own.status).toBe(200);
    const other = await request(app)
      .get('/organisations/co-1/matches')
      .set('Authorization', h.token({ sub: 'u2', role: 'company', org: 'co-2' }));
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
  });

  it('when a partner or an anonymous caller asks, then 403 / 401', async () => {
    expect(
      (
        await request(app)
          .get('/organisations/co-1/matches')
          .set('Authorization', h.token({ sub: 'p', role: 'partner' }))
      ).status,
    ).toBe(403);
    expect((await request(app).get('/organisations/co-1/matches')).status).toBe(401);
  });

  it('when the organisation is unknown, then 404; when the query is bad, then 400 with details', async () => {
    expect((await request(app).get('/organisations/nobody/matches').set('Authorization', staff())).status).toBe(404);
    const bad = await request(app).get('/organisations/co-1/matches?kinds=company&limit=0').set('Authorization', staff());
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['query.kinds.0', 'query.limit']));
  });
});

describe('index writes during a reindex', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('mirror');
  });
  afterAll(() => h.close());

  it('when a reindex target is being built, then live writes land in it too, and versions still protect both', async () => {
    const target = h.deps.index.newIndexName();
    await h.deps.index.createConcreteIndex(target);
    h.deps.index.mirrorWritesTo(target);
    try {
      await applyOrganisationEvents(h.deps, [upserted(cardiacIrccs('m-1', { legalName: 'v2' }), 2)], { recompute: false });
      // The replay of an older event into the new index must not win over the mirrored newer one.
      const [outcome] = await h.deps.index.bulkWrite(
        [{ id: 'm-1', esVersion: 2, doc: { id: 'm-1', deleted: false, profileVersion: 1, name: 'v1', updatedAt: new Date().toISOString() } }],
        target,
        { mirror: false },
      );
      expect(outcome).toBe('stale');
      const got = await h.es.get<{ name: string }>({ index: target, id: 'm-1' });
      expect(got._source?.name).toBe('v2');
    } finally {
      h.deps.index.stopMirroring(target);
      await h.es.indices.delete({ index: target });
    }
  });
});
