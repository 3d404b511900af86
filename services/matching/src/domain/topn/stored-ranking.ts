import type { ExplanationSummary, OrganisationKind } from '@lm/contracts';
import { summarise, type Lang } from '../scoring/explanation';

/** One ranked, explained candidate as `GET /organisations/:id/matches` returns it. */
export interface MatchItem {
  matchId: string;
  rank: number;
  score: number;
  candidate: { id: string; kind: OrganisationKind; subtype?: string; name: string; province?: string };
  explanation: ExplanationSummary & { weightsVersion: string };
}

/**
 * A company's full explained ranking as the top-N maintenance last computed it (the live query
 * over all candidates, `size` = N), stored beside the published top-N so that the default request
 * is one get by id. `items` are in Elasticsearch's order (float score, then id), ranks unset:
 * a request for `limit` ≤ N takes the first `limit` and ranks them exactly as the live query
 * with `size: limit` does. The versions say which inputs it was computed from.
 */
export interface StoredRanking {
  /** `profileVersion` of the company's indexed profile. */
  companyVersion: number;
  /** Version of the company's feedback document (0: none). */
  feedbackVersion: number;
  weightsVersion: string;
  /** Language of the stored summaries (the company's default). */
  lang: Lang;
  items: MatchItem[];
  computedAt: string;
}

/** The current inputs of a company's ranking, read with the stored ranking in one round trip. */
export interface RankingInputs {
  companyVersion: number;
  feedbackVersion: number;
  weightsVersion: string;
}

/**
 * Stale as soon as one of the company's own inputs moved on (its profile, its feedback, the
 * weights): then the request is ranked on the spot. Changes of other organisations reach the
 * stored ranking through the pipeline, which recomputes the companies they can affect.
 */
export function isCurrent(ranking: StoredRanking | undefined, now: RankingInputs): ranking is StoredRanking {
  return (
    !!ranking &&
    ranking.weightsVersion === now.weightsVersion &&
    ranking.companyVersion === now.companyVersion &&
    ranking.feedbackVersion === now.feedbackVersion
  );
}

/** Same inputs and same items: nothing to write. */
export function sameRanking(a: StoredRanking | undefined, b: StoredRanking): boolean {
  return (
    !!a &&
    a.companyVersion === b.companyVersion &&
    a.feedbackVersion === b.feedbackVersion &&
    a.weightsVersion === b.weightsVersion &&
    a.lang === b.lang &&
    JSON.stringify(a.items) === JSON.stringify(b.items)
  );
}

/**
 * Which members of a stored ranking pass a request's filters, when the ranking itself can tell:
 * a member's province is stored, and for an S3 area the company works in, "the candidate has
 * it" is "it is among the matched areas". Undefined for an S3 area outside the company's (the
 * ranking cannot tell). Filters score 0, so members that pass keep their scores and order.
 */
export function memberFilter(filter: { s3Area?: string; province?: string }, companyS3Areas: readonly string[]): ((item: MatchItem) => boolean) | undefined {
  const { s3Area, province } = filter;
  if (s3Area && !companyS3Areas.includes(s3Area)) return undefined;
  return (item) => (!s3Area || (item.explanation.matchedS3Areas as readonly string[]).includes(s3Area)) && (!province || item.candidate.province === province);
}

/**
 * The live answer to a (filtered) request of `limit` ≤ N, from the stored ranking: the first
 * `limit` members that pass, in Elasticsearch's order, when there are that many (anyone outside
 * the stored N scored below all of them) or when the ranking holds every candidate there is
 * (fewer than N). Undefined when it cannot know (the request needs a query). Summaries in `lang`
 * (the sentence is a pure function of the parts and features).
 */
export function cutRanking(ranking: StoredRanking, n: number, limit: number, passes: (item: MatchItem) => boolean, lang: Lang): MatchItem[] | undefined {
  const members = ranking.items.filter(passes);
  if (members.length < limit && ranking.items.length >= n) return undefined;
  const items = members.slice(0, limit);
  if (lang === ranking.lang) return items;
  return items.map((item) => ({
    ...item,
    explanation: { ...item.explanation, summary: summarise(item.candidate.name, item.explanation.parts, item.explanation, lang), lang },
  }));
}
