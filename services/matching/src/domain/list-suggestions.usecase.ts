import { matchIdOf } from '@lm/contracts';
import type { MatchingDeps, TopNPosition } from './matching.ports';

export interface SuggestionsPageQuery {
  limit: number;
  after?: TopNPosition;
  updatedSince?: string;
}

/**
 * GET /suggestions: every company's stored top-N as published on `matching.suggestions.v2`
 * (same ranks, scores and explanations), page by page, for a partner system that syncs or
 * re-syncs many companies without replaying the topic. `next` is absent on the last page.
 */
export async function listSuggestions(deps: MatchingDeps, query: SuggestionsPageQuery) {
  const { docs, last } = await deps.topn.page({ size: query.limit, after: query.after, updatedSince: query.updatedSince });
  return {
    companies: docs.map((d) => ({
      companyId: d.companyId,
      weightsVersion: d.weightsVersion,
      updatedAt: d.updatedAt,
      items: d.items.map((i) => ({ matchId: matchIdOf(d.companyId, i.candidateId), ...i })),
    })),
    next: docs.length === query.limit ? last : undefined,
  };
}
