import type { OrganisationKind } from '@lm/contracts';
import { matchIdOf } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { OrganisationDoc } from './organisation-doc';
import { explain, type Lang } from './scoring/explanation';
import { buildMatchQuery, companyS3Areas } from './scoring/match-query';
import { cutRanking, isCurrent, memberFilter, type MatchItem } from './topn/stored-ranking';
import type { FeedbackDoc, MatchingDeps, ServingState } from './matching.ports';

export type { MatchItem } from './topn/stored-ranking';

export interface MatchQuery {
  kinds: readonly OrganisationKind[];
  limit: number;
  s3Area?: string;
  province?: string;
}

type Hit = { _id?: string; _source?: OrganisationDoc; matched_queries?: string[] | Record<string, number> };

/** Hits → scored, explained items in Elasticsearch's order (float score, then id); ranks not yet set. */
function scoreHits(deps: MatchingDeps, company: OrganisationDoc, hits: Hit[], lang: Lang): MatchItem[] {
  return hits
    .filter((h) => h._source)
    .map((h) => {
      const candidate = h._source!;
      const { score, explanation } = explain(company, candidate, h.matched_queries, lang);
      return {
        matchId: matchIdOf(company.id, candidate.id),
        rank: 0,
        score,
        candidate: {
          id: candidate.id,
          kind: candidate.kind as OrganisationKind,
          subtype: candidate.subtype,
          name: candidate.name ?? candidate.id,
          province: candidate.province,
        },
        explanation: { ...explanation, weightsVersion: deps.weights.version },
      };
    });
}

/**
 * Elasticsearch already sorted by score; re-sort on the composed (rounded) score so rank and
 * score agree exactly. Copies: the input (Elasticsearch's order) may be stored as it is.
 */
export function rankItems(items: readonly MatchItem[]): MatchItem[] {
  const ranked = items.map((item) => ({ ...item }));
  ranked.sort((a, b) => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id));
  ranked.forEach((item, i) => (item.rank = i + 1));
  return ranked;
}

const toItems = (deps: MatchingDeps, company: OrganisationDoc, hits: Hit[], lang: Lang) => rankItems(scoreHits(deps, company, hits, lang));

/**
 * Scores candidates for many companies with ONE `_msearch` (one query per company inside it),
 * in Elasticsearch's order: what the top-N maintenance stores, so that any `limit` ≤ N can later
 * be cut exactly as the live query's `size` cuts.
 */
export async function scoreCompanies(
  deps: MatchingDeps,
  companies: OrganisationDoc[],
  feedback: Map<string, FeedbackDoc>,
  query: MatchQuery,
  langOf: (company: OrganisationDoc) => Lang,
): Promise<Map<string, MatchItem[]>> {
  const bodies = companies.map((c) =>
    buildMatchQuery(
      c,
      {
        kinds: query.kinds,
        size: query.limit,
        s3Area: query.s3Area,
        province: query.province,
        declined: feedback.get(c.id)?.declined,
        accepted: feedback.get(c.id)?.accepted,
      },
      deps.weights,
    ),
  );
  const responses = bodies.length === 1 ? [await deps.index.search(bodies[0]!)] : await deps.index.msearch(bodies);
  return new Map(companies.map((c, i) => [c.id, scoreHits(deps, c, responses[i]!.hits.hits as Hit[], langOf(c))]));
}

/** Ranks candidates for many companies with one `_msearch`: an HTTP request (one company) or a recomputation. */
export async function rankCompanies(...args: Parameters<typeof scoreCompanies>): Promise<Map<string, MatchItem[]>> {
  const scored = await scoreCompanies(...args);
  return new Map([...scored].map(([id, items]) => [id, rankItems(items)]));
}

/**
 * Where a ranking came from: the stored ranking as the pipeline computed it (`stored`), the
 * stored top-N re-scored with the full query (`top_n`, two-stage) or the full live query.
 */
export type RankingSource = 'stored' | 'top_n' | 'live';

export interface MatchesResult {
  organisationId: string;
  weightsVersion: string;
  lang: Lang;
  items: MatchItem[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The stored top-N can stand in for "every candidate" when it was computed with today's weights
 * over (a superset of) the requested kinds and is at least as deep as the request. Otherwise
 * undefined: the request goes live. (No "newer than the profile" test: the scores come from the
 * current profile anyway, and the pipeline re-ranks the company right after indexing its edit.)
 */
function usablePool(deps: MatchingDeps, company: OrganisationDoc, stored: ServingState['topN'], query: MatchQuery): string[] | undefined {
  if (!stored || company.kind !== 'company') return undefined;
  if (stored.weightsVersion !== deps.weights.version) return undefined;
  if (query.limit > deps.settings.topN || !query.kinds.every((k) => deps.settings.topNKinds.includes(k))) return undefined;
  return stored.candidateIds;
}

/**
 * Two-stage ranking: the pipeline keeps each company's top-N over all candidates (stage one);
 * here only those candidates are scored with the full explained query (stage two), so every
 * part, score and tie-break is exactly the live query's. The result is the live ranking when the
 * pool still holds the top `limit`: either at least `limit` pool members pass the request's
 * filters (anyone outside the pool scored below all of them), or nothing of an unfiltered pool
 * that was shorter than N (there were no more candidates) has dropped out. Otherwise (a member
 * was deleted, declined or no longer qualifies, or filters leave too few) undefined: go live.
 */
async function rankFromPool(deps: MatchingDeps, company: OrganisationDoc, feedback: FeedbackDoc | undefined, pool: string[], query: MatchQuery, lang: Lang) {
  if (!pool.length) return narrowsTopN(deps, query) ? undefined : [];
  const body = buildMatchQuery(
    company,
    {
      kinds: query.kinds,
      size: pool.length,
      s3Area: query.s3Area,
      province: query.province,
      declined: feedback?.declined,
      accepted: feedback?.accepted,
      only: pool,
    },
    deps.weights,
  );
  const hits = (await deps.index.search(body)).hits.hits as Hit[];
  // Cut in Elasticsearch's order (float score, then id) before rounding, exactly as the live query's `size` does.
  if (hits.length >= query.limit) return toItems(deps, company, hits.slice(0, query.limit), lang);
  const exhaustive = pool.length < deps.settings.topN && hits.length === pool.length && !narrowsTopN(deps, query);
  return exhaustive ? toItems(deps, company, hits, lang) : undefined;
}

/** A request that looks at a subset of what the top-N ranks (filters or fewer kinds). */
function narrowsTopN(deps: MatchingDeps, query: MatchQuery): boolean {
  return !!query.s3Area || !!query.province || !sameSet(query.kinds, deps.settings.topNKinds);
}

/**
 * Fast path: the stored ranking as it is — no scoring query. Only a ranking computed from the
 * company's current profile, feedback and weights (isCurrent), for requests over the top-N's
 * kinds with `limit` ≤ N; filters as far as the ranking can decide them (memberFilter,
 * cutRanking). `live` when the ranking shows that a query over the stored top-N cannot answer
 * either; undefined when it cannot tell.
 */
function fromStoredRanking(
  deps: MatchingDeps,
  state: Required<Pick<ServingState, 'company'>> & ServingState,
  query: MatchQuery,
  lang: Lang,
): MatchItem[] | 'live' | undefined {
  const { company, ranking } = state;
  if (query.limit > deps.settings.topN || !sameSet(query.kinds, deps.settings.topNKinds)) return undefined;
  const now = { companyVersion: company.profileVersion, feedbackVersion: state.feedback.version ?? 0, weightsVersion: deps.weights.version };
  if (company.kind !== 'company' || !isCurrent(ranking, now)) return undefined;
  const passes = memberFilter(query, companyS3Areas(company));
  if (!passes) return undefined;
  const items = cutRanking(ranking, deps.settings.topN, query.limit, passes, lang);
  return items ? rankItems(items) : 'live';
}

/**
 * Whether the stored top-N (its ranking, or its members re-scored) may answer `query`, decided
 * before reading it. Neither answers beyond N or outside the top-N's kinds. A filter (S3 area,
 * province) at `limit` ≥ N is answered from N stored members only when every one of them passes
 * it or the ranking is shorter than N (a small population, where the live query is cheap): at
 * 100,000 organisations 1 % of such requests. Reading the stored document to find that out is
 * half of the `_mget`'s cost (it is the largest of the three) on every such request, so they go
 * live without it; what they get is what the stored ranking would have given.
 */
function topNMayAnswer(deps: MatchingDeps, query: MatchQuery): boolean {
  if (query.limit > deps.settings.topN || !query.kinds.every((k) => deps.settings.topNKinds.includes(k))) return false;
  return !((query.s3Area || query.province) && query.limit >= deps.settings.topN);
}

/**
 * GET /organisations/:id/matches. ONE `_mget` (TopNStore.servingState: the company's profile
 * without its snapshot, its feedback and — when it may answer (topNMayAnswer) — its stored
 * ranking and top-N ids), then:
 * the stored ranking when it is current and can answer (fromStoredRanking: the default request,
 * and filtered ones it can decide) — `stored`; else the two-stage ranking when the stored top-N
 * can answer (rankFromPool) — `top_n`; else one live search — `live`.
 * `source` forces a path for tests: `live` the full query, `top_n` two-stage or live.
 */
export async function findMatches(
  deps: MatchingDeps,
  companyId: string,
  query: MatchQuery,
  langOf: (company: Pick<OrganisationDoc, 'languages'>) => Lang,
  opts: { source?: 'auto' | 'top_n' | 'live' } = {},
): Promise<{ result: MatchesResult; source: RankingSource }> {
  const state = await deps.topn.servingState(companyId, { withTopN: opts.source !== 'live' && topNMayAnswer(deps, query) });
  const { company, feedback } = state;
  if (!company) throw AppError.notFound(`organisation ${companyId}`);
  const lang = langOf(company);
  const result = (items: MatchItem[]) => ({ organisationId: companyId, weightsVersion: deps.weights.version, lang, items });
  const stored = (opts.source ?? 'auto') === 'auto' ? fromStoredRanking(deps, { ...state, company }, query, lang) : undefined;
  if (stored && stored !== 'live') return { result: result(stored), source: 'stored' };
  const pool = opts.source === 'live' || stored === 'live' ? undefined : usablePool(deps, company, state.topN, query);
  const fromPool = pool && (await rankFromPool(deps, company, feedback, pool, query, lang));
  if (fromPool) return { result: result(fromPool), source: 'top_n' };
  const ranked = await rankCompanies(deps, [company], new Map([[companyId, feedback]]), query, () => lang);
  return { result: result(ranked.get(companyId) ?? []), source: 'live' };
}
