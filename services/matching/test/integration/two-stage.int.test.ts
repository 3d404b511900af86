import request from 'supertest';
import type { OrganisationEvent, PublicOrganisation } from '@lm/contracts';
import { createApp } from '../../src/app';
import { syntheticOrganisation } from '../../src/bench/synthetic';
import { loadLabelledSet } from '../../src/eval/labelled';
import { buildMatchQuery } from '../../src/domain/scoring/match-query';
import { findMatches, type MatchQuery } from '../../src/domain/find-matches.usecase';
import { applyOrganisationEvents } from '../../src/domain/index-organisations.usecase';
import { recomputeTopN } from '../../src/domain/recompute-topn.usecase';
import { createHarness, type Harness } from '../support/harness';
import { deleted, upserted } from '../support/orgs';

/**
 * The fast paths (the stored ranking served as it is; the stored top-N re-scored with the full
 * query) against the live query, on the labelled set plus a synthetic population (the bench's
 * generator): for every company and several request shapes, they must return the very same body
 * — ranks, scores, every explanation part and sentence.
 */
describe('stored ranking and two-stage ranking from the stored top-N on real Elasticsearch', () => {
  let h: Harness;
  let companies: string[];
  const population: PublicOrganisation[] = [...loadLabelledSet().organisations, ...Array.from({ length: 400 }, (_, i) => syntheticOrganisation(i, 7))];
  const en = () => 'en' as const;

  beforeAll(async () => {
    h = await createHarness('two-stage');
    await applyOrganisationEvents(
      h.deps,
      population.map((o) => upserted(o) as unknown as OrganisationEvent),
      { recompute: false },
    );
    await h.deps.index.refresh();
    companies = population.filter((o) => o.kind === 'company').map((o) => o.id);
    await recomputeTopN(h.deps, companies);
  }, 300_000);
  afterAll(() => h.close());

  const DEFAULT: MatchQuery = { kinds: ['research_centre', 'investor'], limit: 20 };
  /** `two-stage` leaves the stored ranking out, so the re-scoring path is what is compared. */
  const both = async (companyId: string, query: MatchQuery, lang: (c: unknown) => 'en' | 'it' = en, fastPath: 'auto' | 'top_n' = 'top_n') => {
    const fast = await findMatches(h.deps, companyId, query, lang, { source: fastPath });
    const live = await findMatches(h.deps, companyId, query, lang, { source: 'live' });
    return { fast, live: live.result };
  };

  it('when every company asks for its default matches, then its stored ranking answers, in either language and any limit up to N, with exactly the live ranking and explanations', async () => {
    const check = async (id: string, query: MatchQuery, lang: () => 'en' | 'it') => {
      const { fast, live } = await both(id, query, lang, 'auto');
      expect({ id, source: fast.source, ...fast.result }).toEqual({ id, source: 'stored', ...live });
    };
    for (const id of companies) await check(id, DEFAULT, en);
    // Another language than the stored summaries' for some, and limits cut from the stored N.
    for (const id of companies.slice(0, 80)) {
      await check(id, { ...DEFAULT, limit: 5 }, () => 'it');
      await check(id, { kinds: ['investor', 'research_centre'], limit: 1 }, en);
    }
  }, 300_000);

  it('when a filtered request can be decided from the stored ranking, then it answers without a query, and otherwise the answer is still the live one', async () => {
    const sources: Record<string, number> = {};
    for (const company of population.filter((o) => o.kind === 'company').slice(0, 80)) {
      const area = company.s3Areas[0]!;
      for (const query of [
        { ...DEFAULT, limit: 3, s3Area: area },
        { ...DEFAULT, limit: 20, s3Area: area },
        { ...DEFAULT, limit: 2, province: company.location?.province ?? 'MI' },
        { ...DEFAULT, limit: 3, s3Area: 'aerospace', province: 'MI' },
      ] as MatchQuery[]) {
        const { fast, live } = await both(company.id, query, en, 'auto');
        expect({ id: company.id, query, ...fast.result }).toEqual({ id: company.id, query, ...live });
        sources[fast.source] = (sources[fast.source] ?? 0) + 1;
      }
    }
    expect(sources.stored).toBeGreaterThan(20);
    expect(sources.live).toBeGreaterThan(20);
  }, 300_000);

  it('when a filtered request asks for N or more, then it goes live without reading the stored top-N, and a default or smaller filtered request still reads it', async () => {
    const read = jest.spyOn(h.deps.topn, 'servingState');
    try {
      for (const company of population.filter((o) => o.kind === 'company').slice(0, 20)) {
        const area = company.s3Areas[0]!;
        for (const [query, withTopN] of [
          [{ ...DEFAULT, limit: 20, s3Area: area }, false],
          [{ ...DEFAULT, limit: 20, province: 'MI' }, false],
          [{ ...DEFAULT, limit: 50 }, false],
          [{ kinds: ['intermediary'], limit: 5 }, false],
          [{ ...DEFAULT, limit: 3, s3Area: area }, true],
          [DEFAULT, true],
        ] as [MatchQuery, boolean][]) {
          read.mockClear();
          const { fast, live } = await both(company.id, query, en, 'auto');
          expect({ id: company.id, query, ...fast.result }).toEqual({ id: company.id, query, ...live });
          // The first read is the request's own (`both` then asks the live path too).
          expect({ query, withTopN: read.mock.calls[0]![1]?.withTopN !== false }).toEqual({ query, withTopN });
          if (!withTopN) expect({ query, source: fast.source }).toEqual({ query, source: 'live' });
        }
      }
    } finally {
      read.mockRestore();
    }
  }, 300_000);

  it('when a request filters on one of the company S3 areas, then the query without the relevance gate finds exactly what the gated query finds', async () => {
    let compared = 0;
    for (const company of population.filter((o) => o.kind === 'company').slice(0, 60)) {
      const [doc] = await h.deps.index.getMany([company.id]);
      const area = company.s3Areas[0]!;
      const opts = { kinds: ['research_centre', 'investor'] as const, size: 20 };
      const filtered = buildMatchQuery(doc!, { ...opts, s3Area: area }, h.deps.weights);
      // The unfiltered query carries the gate; adding the S3 area filter to it is the gated filtered query.
      const gated = buildMatchQuery(doc!, opts, h.deps.weights);
      gated.query.bool.filter.push({ term: { s3Areas: area } });
      expect(filtered.query.bool.filter.length).toBe(gated.query.bool.filter.length - 1);
      const hitsOf = async (body: Record<string, unknown>) => (await h.deps.index.search(body)).hits.hits.map((x) => [x._id, x._score, x.matched_queries]);
      const [a, b] = await Promise.all([hitsOf(filtered), hitsOf(gated)]);
      expect({ id: company.id, hits: a }).toEqual({ id: company.id, hits: b });
      if (a.length) compared++;
    }
    expect(compared).toBeGreaterThan(40);
  }, 300_000);

  it('when every company asks for its default matches without the stored ranking, then the stored top-N re-scored answers with exactly the live ranking and explanations', async () => {
    let fromTopN = 0;
    for (const id of companies) {
      const { fast, live } = await both(id, { kinds: ['research_centre', 'investor'], limit: 20 });
      expect({ id, ...fast.result }).toEqual({ id, ...live });
      if (fast.source === 'top_n') fromTopN++;
    }
    // Every company has a stored top-N that is complete, so none needs the live query.
    expect(fromTopN).toBe(companies.length);
    expect(companies.length).toBeGreaterThan(250);
  }, 300_000);

  it('when requests are narrower (smaller limit, one kind, a filter, Italian), then the answer is the live one whichever path served it', async () => {
    const shapes: MatchQuery[] = [
      { kinds: ['research_centre', 'investor'], limit: 5 },
      { kinds: ['investor'], limit: 3 },
      { kinds: ['research_centre', 'investor'], limit: 3, s3Area: 'health_life_sciences' },
      { kinds: ['research_centre', 'investor'], limit: 20, province: 'MI' },
      { kinds: ['research_centre'], limit: 50 },
    ];
    const sources = new Set<string>();
    for (const id of companies.slice(0, 60)) {
      for (const q of shapes) {
        const { fast, live } = await both(id, q);
        expect({ id, q, ...fast.result }).toEqual({ id, q, ...live });
        sources.add(fast.source);
      }
      const { fast, live } = await both(id, { kinds: ['research_centre', 'investor'], limit: 20 }, () => 'it');
      expect(fast.result).toEqual(live);
    }
    expect([...sources].sort()).toEqual(['live', 'top_n']);
  }, 300_000);

  it('when the company profile or its feedback changed after its ranking was stored, then the stored ranking is not served until the pipeline recomputes it', async () => {
    const [edited, declining] = [companies[10]!, companies[11]!];
    expect((await findMatches(h.deps, edited, DEFAULT, en)).source).toBe('stored');
    // A new profile version the top-N maintenance has not seen yet: same content, so the live answer is unchanged.
    const profile = population.find((o) => o.id === edited)!;
    await applyOrganisationEvents(h.deps, [upserted(profile, profile.version + 1) as unknown as OrganisationEvent], { recompute: false });
    await h.deps.index.refresh();
    const afterEdit = await both(edited, DEFAULT, en, 'auto');
    expect(afterEdit.fast.source).not.toBe('stored');
    expect(afterEdit.fast.result).toEqual(afterEdit.live);

    const before = await findMatches(h.deps, declining, DEFAULT, en);
    expect(before.source).toBe('stored');
    const declined = before.result.items[0]!.candidate.id;
    await h.deps.feedback.record(declining, { candidateId: declined, decision: 'declined', decidedBy: 'u-1', at: new Date().toISOString() });
    const afterDecline = await both(declining, DEFAULT, en, 'auto');
    expect(afterDecline.fast.source).not.toBe('stored');
    expect(afterDecline.fast.result.items.map((i) => i.candidate.id)).not.toContain(declined);
    expect(afterDecline.fast.result).toEqual(afterDecline.live);

    // The pipeline's recomputation stores a ranking from the current inputs: served again, still the live one.
    await recomputeTopN(h.deps, [edited, declining]);
    for (const id of [edited, declining]) {
      const { fast, live } = await both(id, DEFAULT, en, 'auto');
      expect({ id, source: fast.source, ...fast.result }).toEqual({ id, source: 'stored', ...live });
    }
  });

  it('when a member of the stored top-N is deleted before the pipeline recomputed, then the request goes live and still ranks the next candidate in', async () => {
    const id = companies[0]!;
    const before = await findMatches(h.deps, id, DEFAULT, en, { source: 'top_n' });
    expect(before.source).toBe('top_n');
    const gone = before.result.items[0]!.candidate.id;
    const version = population.find((o) => o.id === gone)!.version + 1;
    await applyOrganisationEvents(h.deps, [deleted(gone, version) as unknown as OrganisationEvent], { recompute: false });
    await h.deps.index.refresh();

    const { fast, live } = await both(id, { kinds: ['research_centre', 'investor'], limit: 20 });
    expect(fast.source).toBe('live');
    expect(fast.result).toEqual(live);
    expect(fast.result.items.map((i) => i.candidate.id)).not.toContain(gone);
    // A smaller page is still inside what is left of the pool.
    const top5 = await both(id, { kinds: ['research_centre', 'investor'], limit: 5 });
    expect(top5.fast.source).toBe('top_n');
    expect(top5.fast.result).toEqual(top5.live);
    // The stored ranking still names the deleted candidate until the pipeline recomputes (its
    // freshness is the pipeline's job); the recomputation drops it.
    await recomputeTopN(h.deps, [id]);
    const after = await both(id, DEFAULT, en, 'auto');
    expect(after.fast.source).toBe('stored');
    expect(after.fast.result).toEqual(after.live);
  });

  describe('over HTTP', () => {
    const staff = () => h.token({ sub: 'staff-1', role: 'hub_staff' });
    const app = () => createApp({ logger: h.logger, verifier: h.verifier, readiness: {}, matching: h.deps });

    it('when the ranking is unchanged, then If-None-Match with its ETag gets 304 without a body, and a changed request gets 200', async () => {
      // A company the deletion above did not touch (its stored top-N is still whole).
      let id = '';
      for (const c of companies) {
        if ((await findMatches(h.deps, c, DEFAULT, en)).source !== 'stored') continue;
        id = c;
        break;
      }
      const first = await request(app()).get(`/organisations/${id}/matches`).set('Authorization', staff());
      expect(first.status).toBe(200);
      expect(first.headers['x-ranking-source']).toBe('stored');
      expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');

      const again = await request(app()).get(`/organisations/${id}/matches`).set('Authorization', staff()).set('If-None-Match', first.headers.etag!);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);

      const other = first.body.lang === 'it' ? 'en' : 'it';
      const translated = await request(app())
        .get(`/organisations/${id}/matches?lang=${other}`)
        .set('Authorization', staff())
        .set('If-None-Match', first.headers.etag!);
      expect(translated.status).toBe(200);
      expect(translated.body.lang).toBe(other);
      expect(translated.headers.etag).not.toBe(first.headers.etag);
    });

    it('when a partner walks GET /suggestions with the cursor, then it sees every company with a stored top-N exactly once, as published', async () => {
      const partner = h.token({ sub: 'crm-1', role: 'partner' });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await request(app())
          .get(`/suggestions?limit=37${cursor ? `&cursor=${cursor}` : ''}`)
          .set('Authorization', partner);
        expect(res.status).toBe(200);
        for (const c of res.body.companies) {
          seen.push(c.companyId);
          expect(c.items.every((i: { matchId: string; candidateId: string }) => i.matchId === `${c.companyId}~${i.candidateId}`)).toBe(true);
        }
        cursor = res.body.next;
        pages++;
      } while (cursor && pages < 100);
      const stored = [...(await h.deps.topn.getMany(companies)).values()].filter((s) => s.doc).length;
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(stored);
      expect(pages).toBeGreaterThan(1);
    });

    it('when a partner asks only for what changed since an instant, then older top-Ns are left out', async () => {
      const partner = h.token({ sub: 'crm-1', role: 'partner' });
      const all = (await request(app()).get('/suggestions?limit=500').set('Authorization', partner)).body.companies as { updatedAt: string }[];
      const newest = all
        .map((c) => c.updatedAt)
        .sort()
        .at(-1)!;
      const recent = await request(app())
        .get(`/suggestions?limit=500&updatedSince=${encodeURIComponent(newest)}`)
        .set('Authorization', partner);
      expect(recent.status).toBe(200);
      expect(recent.body.companies.length).toBe(all.filter((c) => c.updatedAt >= newest).length);
      expect(recent.body.companies.length).toBeLessThan(all.length);
      const future = await request(app()).get('/suggestions?updatedSince=2999-01-01T00:00:00Z').set('Authorization', partner);
      expect(future.body).toEqual({ companies: [] });
    });

    it('when the cursor is not one this API returned or a company token asks for all suggestions, then 400 and 403', async () => {
      const partner = h.token({ sub: 'crm-1', role: 'partner' });
      const bad = await request(app()).get('/suggestions?cursor=not-a-cursor').set('Authorization', partner);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toMatch(/cursor/);
      const company = h.token({ sub: 'u-1', role: 'company', org: companies[0] });
      expect((await request(app()).get('/suggestions').set('Authorization', company)).status).toBe(403);
    });
  });
});
