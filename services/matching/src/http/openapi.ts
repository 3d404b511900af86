import { createOpenApiRegistry, errorResponses, generateOpenApi, jsonBody } from '@lm/contracts';
import { FeedbackBody, FeedbackResponse, IdParams, JobIdParams, MatchesQuery, MatchesResponse, MatchIdParams, ReindexJobSchema } from './matches.schemas';

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
      'A company for its own organisation (token `org`), hub_staff/admin for any; partners get 403 (they follow matching.suggestions.v1). Language of the explanation: `lang`, else Accept-Language, else the company\'s first language.',
    request: { params: IdParams, query: MatchesQuery },
    responses: { 200: jsonBody(MatchesResponse, 'Ranked matches'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  });
  registry.registerPath({
    method: 'post',
    path: '/matches/{matchId}/feedback',
    summary: 'Accept or decline a match (publishes match.accepted / match.declined; declined candidates are excluded and withdrawn)',
    request: { params: MatchIdParams, body: jsonBody(FeedbackBody) },
    responses: { 201: jsonBody(FeedbackResponse, 'Recorded'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  });
  registry.registerPath({
    method: 'post',
    path: '/admin/reindex',
    summary: 'Rebuild the index from the topic into a new index and swap the alias (hub_staff/admin)',
    responses: { 202: jsonBody(ReindexJobSchema, 'Job started'), 401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409], 429: errorResponses[429] },
  });
  registry.registerPath({
    method: 'get',
    path: '/admin/reindex/{jobId}',
    summary: 'Reindex job status and progress',
    request: { params: JobIdParams },
    responses: { 200: jsonBody(ReindexJobSchema, 'Job'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  });
  cached = generateOpenApi(registry, { title: 'Matching service', version: '1.0.0', description: 'Organisation matching of the Lombardy innovation ecosystem.' });
  return cached;
}
