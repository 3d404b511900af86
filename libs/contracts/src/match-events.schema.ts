import { envelopeSchema } from './envelope.schema';
import { OrganisationKind, S3Area, Specialty } from './taxonomy';
import { z } from './zod';

/**
 * `matching.suggestions.v1`, keyed by company id. Replaying the topic from the start
 * rebuilds every company's current suggestions: apply `suggested`/`updated` as upserts of
 * (companyId, candidateId), `withdrawn` as a removal; `accepted`/`declined` record feedback.
 */
export const MATCH_EVENT_TYPES = {
  suggested: 'match.suggested',
  updated: 'match.updated',
  withdrawn: 'match.withdrawn',
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

export const MatchSuggestedData = MatchRef.extend({
  rank: z.number().int().positive(),
  score: z.number(),
  weightsVersion: z.string().min(1),
  explanation: ExplanationSummary,
}).openapi('MatchSuggestedData');
export const MatchUpdatedData = MatchSuggestedData.extend({
  previous: z.object({ rank: z.number().int().positive(), score: z.number() }),
}).openapi('MatchUpdatedData');
export const MatchWithdrawnData = MatchRef.extend({
  reason: z.enum(['left_top_n', 'candidate_deleted', 'company_deleted', 'declined']),
  weightsVersion: z.string().min(1),
}).openapi('MatchWithdrawnData');
export const MatchFeedbackData = MatchRef.extend({
  decision: z.enum(['accepted', 'declined']),
  reason: z.string().max(1000).optional(),
  decidedBy: z.string().min(1),
}).openapi('MatchFeedbackData');

export const MatchSuggested = envelopeSchema(MATCH_EVENT_TYPES.suggested, MatchSuggestedData);
export const MatchUpdated = envelopeSchema(MATCH_EVENT_TYPES.updated, MatchUpdatedData);
export const MatchWithdrawn = envelopeSchema(MATCH_EVENT_TYPES.withdrawn, MatchWithdrawnData);
export const MatchAccepted = envelopeSchema(MATCH_EVENT_TYPES.accepted, MatchFeedbackData);
export const MatchDeclined = envelopeSchema(MATCH_EVENT_TYPES.declined, MatchFeedbackData);
export const MatchEvent = z.discriminatedUnion('type', [MatchSuggested, MatchUpdated, MatchWithdrawn, MatchAccepted, MatchDeclined]);
export type MatchEvent = z.infer<typeof MatchEvent>;
