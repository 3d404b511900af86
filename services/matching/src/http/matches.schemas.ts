import { ExplanationSummary, OrganisationKind, Province, S3Area, z } from '@lm/contracts';

const MATCHABLE_KINDS = ['research_centre', 'investor', 'intermediary'] as const;

/** `kinds=research_centre,investor` (comma-separated), default both. */
export const MatchesQuery = z
  .object({
    kinds: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : ['research_centre', 'investor']))
      .pipe(z.array(z.enum(MATCHABLE_KINDS)).min(1)),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    s3Area: S3Area.optional(),
    province: Province.optional(),
    lang: z.enum(['it', 'en']).optional(),
  })
  .strict()
  .openapi('MatchesQuery');

export const MatchItemSchema = z
  .object({
    matchId: z.string(),
    rank: z.number().int().positive(),
    score: z.number(),
    candidate: z.object({ id: z.string(), kind: OrganisationKind, subtype: z.string().optional(), name: z.string(), province: z.string().optional() }),
    explanation: ExplanationSummary.extend({ weightsVersion: z.string() }),
  })
  .openapi('MatchItem');

export const MatchesResponse = z
  .object({ organisationId: z.string(), weightsVersion: z.string(), lang: z.enum(['it', 'en']), items: z.array(MatchItemSchema) })
  .openapi('MatchesResponse');

export const FeedbackBody = z
  .object({ decision: z.enum(['accepted', 'declined']), reason: z.string().trim().max(1000).optional() })
  .strict()
  .openapi('MatchFeedbackBody');

export const FeedbackResponse = z
  .object({ matchId: z.string(), companyId: z.string(), candidateId: z.string(), decision: z.enum(['accepted', 'declined']), decidedAt: z.string() })
  .openapi('MatchFeedbackResponse');

export const ReindexJobSchema = z
  .object({
    jobId: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    newIndex: z.string(),
    previousIndices: z.array(z.string()),
    totalMessages: z.number().int(),
    processedMessages: z.number().int(),
    progress: z.number(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    error: z.string().optional(),
  })
  .openapi('ReindexJob');

export const IdParams = z.object({ id: z.string().min(1).max(100) });
export const MatchIdParams = z.object({ matchId: z.string().min(3).max(201) });
export const JobIdParams = z.object({ jobId: z.string().uuid() });
