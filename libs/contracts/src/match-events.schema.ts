import { envelopeSchema } from './envelope.schema';
import { OrganisationKind, S3Area, Specialty } from './taxonomy';
import { z } from './zod';

/**
 * `matching.suggestions.v2`, a compacted topic.
 * - `match.suggestions.changed`, keyed by **company id**: one message per company per
 *   recomputation that changed something partners care about (a candidate entered or left the
 *   top-N, or a score moved by more than the change threshold), carrying those changes AND the
 *   company's whole current top-N. The latest message per key is the company's state, so a
 *   compacted topic (or replaying from the start) rebuilds every company's suggestions.
 *   Rank shuffles below the threshold emit nothing.
 * - `match.accepted` / `match.declined`, keyed by **match id** (`<companyId>~<candidateId>`):
 *   the latest decision per match survives compaction.
 */
export const MATCH_EVENT_TYPES = {
  suggestionsChanged: 'match.suggestions.changed',
  accepted: 'match.accepted',
  declined: 'match.declined',
} as const;

export const SCORE_PARTS = ['s3', 'need_fit', 'specialty', 'trl', 'investor_fit', 'reciprocity', 'proximity', 'feedback'] as const;
export const ScorePart = z.enum(SCORE_PARTS);
export type ScorePart = z.infer<typeof ScorePart>;

export const ExplanationSummary = z
  .object({
    /** Each named part's contribution to the score; they add up to `score`. */
    parts: z.record(ScorePart, z.number()),
    matchedS3Areas: z.array(S3Area),
    matchedSpecialties: z.array(Specialty),
    matchedTerms: z.array(z.string()),
    /** One sentence, in the company's language where possible. */
    summary: z.string(),
    lang: z.enum(['it', 'en']),
  })
  .openapi('ExplanationSummary');
export type ExplanationSummary = z.infer<typeof ExplanationSummary>;

/** Deterministic: one match per (company, candidate) pair. */
export function matchIdOf(companyId: string, candidateId: string): string {
  return `${companyId}~${candidateId}`;
}

const MatchRef = z.object({
  matchId: z.string().min(1),
  companyId: z.string().min(1),
  candidateId: z.string().min(1),
  candidateKind: OrganisationKind,
  candidateName: z.string(),
});

const Rank = z.number().int().positive();
export const WITHDRAW_REASONS = ['left_top_n', 'candidate_deleted', 'company_deleted', 'declined'] as const;

/** One suggestion of a company's current top-N. */
export const SuggestionItem = MatchRef.omit({ companyId: true })
  .extend({ rank: Rank, score: z.number(), explanation: ExplanationSummary })
  .openapi('SuggestionItem');
export type SuggestionItem = z.infer<typeof SuggestionItem>;

const ChangeRef = MatchRef.omit({ companyId: true });
/** What changed since the previous message for the company. */
export const SuggestionChange = z
  .discriminatedUnion('type', [
    ChangeRef.extend({ type: z.literal('suggested'), rank: Rank, score: z.number() }),
    ChangeRef.extend({ type: z.literal('updated'), rank: Rank, score: z.number(), previous: z.object({ rank: Rank, score: z.number() }) }),
    ChangeRef.extend({ type: z.literal('withdrawn'), reason: z.enum(WITHDRAW_REASONS) }),
  ])
  .openapi('SuggestionChange');
export type SuggestionChange = z.infer<typeof SuggestionChange>;

export const SuggestionsChangedData = z
  .object({
    companyId: z.string().min(1),
    weightsVersion: z.string().min(1),
    /**
     * The changes that made this message worth sending. Empty only when the message restates
     * the current state (after two matching instances recomputed the company at once).
     */
    changes: z.array(SuggestionChange),
    /** The company's whole current top-N, best first (empty: nothing to suggest, or the company was deleted). */
    topN: z.array(SuggestionItem),
  })
  .openapi('SuggestionsChangedData');
export type SuggestionsChangedData = z.infer<typeof SuggestionsChangedData>;

export const MatchFeedbackData = MatchRef.extend({
  decision: z.enum(['accepted', 'declined']),
  reason: z.string().max(1000).optional(),
  decidedBy: z.string().min(1),
}).openapi('MatchFeedbackData');

export const MatchSuggestionsChanged = envelopeSchema(MATCH_EVENT_TYPES.suggestionsChanged, SuggestionsChangedData);
export const MatchAccepted = envelopeSchema(MATCH_EVENT_TYPES.accepted, MatchFeedbackData);
export const MatchDeclined = envelopeSchema(MATCH_EVENT_TYPES.declined, MatchFeedbackData);
export const MatchEvent = z.discriminatedUnion('type', [MatchSuggestionsChanged, MatchAccepted, MatchDeclined]);
export type MatchEvent = z.infer<typeof MatchEvent>;
