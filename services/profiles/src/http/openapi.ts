import {
  Organisation,
  OrganisationInput,
  OrganisationPatch,
  PublicOrganisation,
  createOpenApiRegistry,
  errorResponses,
  generateOpenApi,
  jsonBody,
  preconditionRequired,
  z,
} from '@lm/contracts';
import { ImportReport, MAX_IMPORT_ROWS } from '../domain/import/import.usecase';
import { CSV_COLUMNS } from '../domain/import/import.rows';
import { ListQuery } from '../domain/list.query';

let cached: unknown;

const idParam = z.object({ id: z.string().openapi({ example: 'org_01hx3m4k2v9q8r7s6t5u4w3y2z' }) });
const ifMatch = z.object({ 'if-match': z.string().openapi({ description: 'The version (ETag) last read, e.g. "3"' }) });
const etag = { ETag: { description: 'Current version of the organisation', schema: { type: 'string' as const } } };
const OrganisationView = z
  .union([Organisation, PublicOrganisation])
  .openapi('OrganisationView', { description: 'Full for the owner, hub staff and admins; public otherwise' });
const ImportRow = z.object({}).passthrough().openapi({ description: 'One row, validated as OrganisationInput; bad rows are reported in the per-row report' });
const OrganisationPage = z.object({ items: z.array(OrganisationView), nextCursor: z.string().nullable() }).openapi('OrganisationPage');

/** Generated once from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): unknown {
  if (cached) return cached;
  const registry = createOpenApiRegistry();
  const { 400: bad, 401: unauth, 403: forbidden, 404: notFound, 409: conflict, 412: stale } = errorResponses;
  const unsupportedType = { description: 'Neither application/json nor text/csv', content: errorResponses[400].content };
  const precondRequired = preconditionRequired[428];

  registry.registerPath({
    method: 'post',
    path: '/organisations',
    tags: ['organisations'],
    summary: 'Create an organisation (company: its own, id = token org; hub_staff/admin: any; partner: 403)',
    request: { body: jsonBody(OrganisationInput) },
    responses: {
      201: { description: 'Created', headers: etag, content: { 'application/json': { schema: Organisation } } },
      400: bad,
      401: unauth,
      403: forbidden,
      409: conflict,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/organisations',
    tags: ['organisations'],
    summary: 'List organisations (cursor pagination, sorted by id; q searches name and description)',
    request: { query: ListQuery },
    responses: { 200: { description: 'A page', content: { 'application/json': { schema: OrganisationPage } } }, 400: bad, 401: unauth },
  });
  registry.registerPath({
    method: 'get',
    path: '/organisations/{id}',
    tags: ['organisations'],
    summary: 'Read one organisation (private fields only for owner, hub_staff, admin)',
    request: { params: idParam },
    responses: {
      200: { description: 'The organisation', headers: etag, content: { 'application/json': { schema: OrganisationView } } },
      401: unauth,
      404: notFound,
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/organisations/{id}',
    tags: ['organisations'],
    summary: 'Change fields (present fields replace, absent stay); If-Match required',
    request: { params: idParam, headers: ifMatch, body: jsonBody(OrganisationPatch) },
    responses: {
      200: { description: 'Updated', headers: etag, content: { 'application/json': { schema: Organisation } } },
      400: bad,
      401: unauth,
      403: forbidden,
      404: notFound,
      409: conflict,
      412: stale,
      428: precondRequired,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/organisations/{id}',
    tags: ['organisations'],
    summary: 'Soft delete (publishes organisation.deleted); If-Match required',
    request: { params: idParam, headers: ifMatch },
    responses: { 204: { description: 'Deleted' }, 400: bad, 401: unauth, 403: forbidden, 404: notFound, 412: stale, 428: precondRequired },
  });
  registry.registerPath({
    method: 'post',
    path: '/organisations:import',
    tags: ['organisations'],
    summary: `Bulk upsert (hub_staff/admin), at most ${MAX_IMPORT_ROWS} rows, per-row report`,
    description:
      'Body: a JSON array of OrganisationInput, or text/csv with a header row. Upsert key: VAT number, else website host, else legal name + province. ' +
      `CSV columns: ${CSV_COLUMNS.join(', ')}. Lists (s3Areas, specialties, languages, investorStages, investorSectors, investorGeography) are ';'-separated; ` +
      'needs, offers, contacts and investor are JSON in the cell. Bad rows are reported and skipped; good rows are stored.',
    request: {
      // Rows are objects validated one by one as OrganisationInput: a bad row is reported in the 200, not refused.
      body: { content: { 'application/json': { schema: z.array(ImportRow) }, 'text/csv': { schema: z.string() } } },
    },
    responses: {
      200: { description: 'Per-row report', content: { 'application/json': { schema: ImportReport } } },
      400: bad,
      401: unauth,
      403: forbidden,
      413: { description: 'Too many rows', content: errorResponses[400].content },
      415: unsupportedType,
      429: errorResponses[429],
    },
  });
  cached = generateOpenApi(registry, {
    title: 'Profiles service',
    version: '1.0.0',
    description: 'Organisation profiles of the Lombardy innovation ecosystem.',
  });
  return cached;
}
