import { ExplanationSummary, OrganisationKind, Province, S3Area, z } from '@lm/contracts';

const MATCHABLE_KINDS = ['research_centre', 'investor', 'intermediary'] as const;

/** `kinds=research_centre,investor` (comma-separated), default both. */
export const MatchesQuery = z
  .object({
    kinds: z
      .string()
      .optional()
      .transform((s) =>
        s
          ? s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : ['research_centre', 'investor'],
      )
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

/** Opaque to clients: base64url of the last position of the previous page. */
export function encodeCursor(position: readonly [number, string]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a cursor returned by this API' });
    return z.NEVER;
  }
}

export const SuggestionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .max(400)
      .optional()
      .transform((c, ctx) => (c === undefined ? undefined : decodeCursor(c, ctx)))
      .pipe(z.tuple([z.number().int(), z.string().min(1)]).optional())
      .openapi({ type: 'string', description: '`next` of the previous page' }),
    updatedSince: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Only companies whose top-N changed at or after this instant' }),
  })
  .strict()
  .openapi('SuggestionsQuery');

const StoredSuggestion = z.object({
  matchId: z.string(),
  candidateId: z.string(),
  candidateKind: OrganisationKind,
  candidateName: z.string(),
  rank: z.number().int().positive(),
  score: z.number(),
  explanation: ExplanationSummary,
});

export const SuggestionsPage = z
  .object({
    companies: z.array(z.object({ companyId: z.string(), weightsVersion: z.string(), updatedAt: z.string(), items: z.array(StoredSuggestion) })),
    next: z.string().optional().openapi({ description: 'Cursor of the next page; absent on the last page' }),
  })
  .openapi('SuggestionsPage');

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
