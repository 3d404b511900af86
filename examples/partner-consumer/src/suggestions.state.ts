import type { MatchEvent } from '@lm/contracts';

/** What a partner knows about one suggestion. */
export interface Suggestion {
  candidateId: string;
  candidateKind: string;
  candidateName: string;
  rank: number;
  score: number;
  weightsVersion: string;
  summary: string;
  feedback?: 'accepted' | 'declined';
}

export interface PartnerState {
  /** companyId → candidateId → suggestion (the company's current suggestions). */
  companies: Record<string, Record<string, Suggestion>>;
  /** Feedback seen, kept even when the suggestion itself is withdrawn. */
  feedback: Record<string, 'accepted' | 'declined'>;
  /** Highest offset applied per `topic:partition` (skips re-delivered messages after a crash). */
  applied: Record<string, string>;
}

export const emptyState = (): PartnerState => ({ companies: {}, feedback: {}, applied: {} });

/**
 * The contract of matching.suggestions.v2 applied to a state: `match.suggestions.changed`
 * carries the company's whole current top-N, which replaces what the partner had (the changes
 * in it say why, e.g. to notify someone); accepted/declined record the decision on one match.
 * Applying a message twice gives the same state; on the compacted topic only the latest
 * message per company (and per decided match) remains, and it is enough.
 */
export function applyEvent(state: PartnerState, e: MatchEvent): void {
  if (e.type === 'match.suggestions.changed') {
    const d = e.data;
    const company: Record<string, Suggestion> = {};
    for (const i of d.topN) {
      const feedback = state.feedback[i.matchId];
      company[i.candidateId] = {
        candidateId: i.candidateId,
        candidateKind: i.candidateKind,
        candidateName: i.candidateName,
        rank: i.rank,
        score: i.score,
        weightsVersion: d.weightsVersion,
        summary: i.explanation.summary,
        ...(feedback ? { feedback } : {}),
      };
    }
    if (d.topN.length) state.companies[d.companyId] = company;
    else delete state.companies[d.companyId];
    return;
  }
  const d = e.data;
  state.feedback[d.matchId] = d.decision;
  const suggestion = state.companies[d.companyId]?.[d.candidateId];
  if (suggestion) suggestion.feedback = d.decision;
}

/** A company's suggestions by rank. */
export function currentSuggestions(state: PartnerState, companyId: string): Suggestion[] {
  return Object.values(state.companies[companyId] ?? {}).sort((a, b) => a.rank - b.rank);
}
