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
 * The contract of matching.suggestions.v1 applied to a state: suggested/updated upsert the
 * (company, candidate) pair, withdrawn removes it, accepted/declined record feedback. Applying an
 * event twice gives the same state.
 */
export function applyEvent(state: PartnerState, e: MatchEvent): void {
  const d = e.data;
  const company = (state.companies[d.companyId] ??= {});
  switch (e.type) {
    case 'match.suggested':
    case 'match.updated':
      company[d.candidateId] = {
        candidateId: d.candidateId,
        candidateKind: d.candidateKind,
        candidateName: d.candidateName,
        rank: e.data.rank,
        score: e.data.score,
        weightsVersion: e.data.weightsVersion,
        summary: e.data.explanation.summary,
        ...(state.feedback[d.matchId] ? { feedback: state.feedback[d.matchId] } : {}),
      };
      break;
    case 'match.withdrawn':
      delete company[d.candidateId];
      break;
    case 'match.accepted':
    case 'match.declined':
      state.feedback[d.matchId] = e.data.decision;
      if (company[d.candidateId]) company[d.candidateId]!.feedback = e.data.decision;
      break;
  }
  if (!Object.keys(company).length) delete state.companies[d.companyId];
}

/** A company's suggestions by rank. */
export function currentSuggestions(state: PartnerState, companyId: string): Suggestion[] {
  return Object.values(state.companies[companyId] ?? {}).sort((a, b) => a.rank - b.rank);
}
