import { createOpenApiRegistry, errorResponses, generateOpenApi, jsonBody, z } from '@lm/contracts';
import {
  FeedbackBody,
  FeedbackResponse,
  IdParams,
  JobIdParams,
  MatchesQuery,
  MatchesResponse,
  MatchIdParams,
  ReindexJobSchema,
  SuggestionsPage,
  SuggestionsQuery,
} from './matches.schemas';

const etagHeaders = {
  ETag: { description: 'Strong validator of the body: send it back in If-None-Match to get 304 while nothing changed', schema: { type: 'string' as const } },
  'Cache-Control': { description: '`private, no-cache` (revalidate with If-None-Match)', schema: { type: 'string' as const } },
};
const ifNoneMatch = z.object({ 'if-none-match': z.string().optional().openapi({ description: 'ETag of a previous response' }) });
const notModified = { description: 'Not modified: the body would be the one of the ETag sent in If-None-Match', headers: etagHeaders };

let cached: unknown;

/** Generated once from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): unknown {
  if (cached) return cached;
  const registry = createOpenApiRegistry();
  registry.registerPath({
    method: 'get',
    path: '/organisations/{id}/matches',
    summary: 'Ranked research centres and investors for a company, each with an explained score',
    description:
      "A company for its own organisation (token `org`), hub_staff/admin for any; partners get 403 (they follow matching.suggestions.v2 and GET /suggestions). Language of the explanation: `lang`, else Accept-Language, else the company's first language. " +
      "The default request (no s3Area/province, both kinds, limit ≤ TOP_N) is served from the explained ranking the pipeline stored for the company, while it was computed from the company's current profile and feedback (X-Ranking-Source: stored). " +
      'Otherwise requests within the stored top-N (filters that leave at least `limit` of its members) re-score only the stored top-N with the full query: the same scores, parts and ranks as the live query (top_n); anything else is ranked live (live).',
    request: { params: IdParams, query: MatchesQuery, headers: ifNoneMatch },
    responses: {
      200: {
        ...jsonBody(MatchesResponse, 'Ranked matches'),
        headers: {
          ...etagHeaders,
          'X-Ranking-Source': {
            description: '`stored` (the stored ranking), `top_n` (stored top-N re-scored) or `live`',
            schema: { type: 'string', enum: ['stored', 'top_n', 'live'] },
          },
        },
      },
      304: notModified,
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/suggestions',
    summary: "Every company's stored top-N as published on matching.suggestions.v2, page by page (partner, hub_staff, admin)",
    description:
      'Ordered by (updatedAt, companyId); follow `next` until it is absent. A company whose top-N changes while a reader pages appears again further on, so a reader that keeps the last `next` (or uses updatedSince) never misses a change.',
    request: { query: SuggestionsQuery, headers: ifNoneMatch },
    responses: {
      200: { ...jsonBody(SuggestionsPage, 'One page'), headers: etagHeaders },
      304: notModified,
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/matches/{matchId}/feedback',
    summary: 'Accept or decline a match (publishes match.accepted / match.declined; declined candidates are excluded and withdrawn)',
    request: { params: MatchIdParams, body: jsonBody(FeedbackBody) },
    responses: {
      201: jsonBody(FeedbackResponse, 'Recorded'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/admin/reindex',
    summary: 'Rebuild the index from the topic into a new index and swap the alias (hub_staff/admin)',
    responses: {
      202: jsonBody(ReindexJobSchema, 'Job started'),
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
      429: errorResponses[429],
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/admin/reindex/{jobId}',
    summary: 'Reindex job status and progress',
    request: { params: JobIdParams },
    responses: {
      200: jsonBody(ReindexJobSchema, 'Job'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  });
  cached = generateOpenApi(registry, {
    title: 'Matching service',
    version: '1.0.0',
    description: 'Organisation matching of the Lombardy innovation ecosystem.',
  });
  return cached;
}
