import type { ExplanationSummary, OrganisationKind } from '@lm/contracts';
import { matchIdOf } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { FeedbackDoc } from '../data/feedback.store';
import type { OrganisationDoc } from '../domain/organisation-doc';
import { explain, type Lang } from '../domain/scoring/explanation';
import { buildMatchQuery } from '../domain/scoring/match-query';
import type { MatchingDeps } from './deps';

export interface MatchItem {
  matchId: string;
  rank: number;
  score: number;
  candidate: { id: string; kind: OrganisationKind; subtype?: string; name: string; province?: string };
  explanation: ExplanationSummary & { weightsVersion: string };
}

export interface MatchQuery {
  kinds: readonly OrganisationKind[];
  limit: number;
  s3Area?: string;
  province?: string;
}

type Hit = { _id?: string; _source?: OrganisationDoc; matched_queries?: string[] | Record<string, number> };

function toItems(deps: MatchingDeps, company: OrganisationDoc, hits: Hit[], lang: Lang): MatchItem[] {
  const items = hits
    .filter((h) => h._source)
    .map((h) => {
      const candidate = h._source!;
      const { score, explanation } = explain(company, candidate, h.matched_queries, lang);
      return {
        matchId: matchIdOf(company.id, candidate.id),
        rank: 0,
        score,
        candidate: { id: candidate.id, kind: candidate.kind as OrganisationKind, subtype: candidate.subtype, name: candidate.name ?? candidate.id, province: candidate.province },
        explanation: { ...explanation, weightsVersion: deps.weights.version },
      };
    });
  // Elasticsearch already sorted by score; re-sort on the composed (rounded) score so rank and score agree exactly.
  items.sort((a, b) => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id));
  items.forEach((item, i) => (item.rank = i + 1));
  return items;
}

/**
 * Ranks candidates for many companies with ONE `_msearch` (one query per company inside it):
 * used for an HTTP request (one company) and for top-N recomputation (a bounded set).
 */
export async function rankCompanies(
  deps: MatchingDeps,
  companies: OrganisationDoc[],
  feedback: Map<string, FeedbackDoc>,
  query: MatchQuery,
  langOf: (company: OrganisationDoc) => Lang,
): Promise<Map<string, MatchItem[]>> {
  const bodies = companies.map((c) =>
    buildMatchQuery(
      c,
      { kinds: query.kinds, size: query.limit, s3Area: query.s3Area, province: query.province, declined: feedback.get(c.id)?.declined, accepted: feedback.get(c.id)?.accepted },
      deps.weights,
    ),
  );
  const responses = bodies.length === 1 ? [await deps.index.search(bodies[0]!)] : await deps.index.msearch(bodies);
  return new Map(companies.map((c, i) => [c.id, toItems(deps, c, responses[i]!.hits.hits as Hit[], langOf(c))]));
}

/** GET /organisations/:id/matches: profile + feedback by id (mget), then one search. */
export async function findMatches(deps: MatchingDeps, companyId: string, query: MatchQuery, lang: (company: OrganisationDoc) => Lang) {
  const [[company], feedback] = await Promise.all([deps.index.getMany([companyId]), deps.feedback.getMany([companyId])]);
  if (!company) throw AppError.notFound(`organisation ${companyId}`);
  const ranked = await rankCompanies(deps, [company], feedback, query, lang);
  return { organisationId: companyId, weightsVersion: deps.weights.version, lang: lang(company), items: ranked.get(companyId) ?? [] };
}
