import type { Principal } from '@lm/auth';
import { OrganisationInput, z } from '@lm/contracts';
import { AppError, ErrorDetail, isAppError } from '@lm/errors';
import { newOrganisationId } from '../organisation.keys';
import { assertCanImport } from '../organisation.policy';
import type { OrganisationStore } from '../organisation.store';
import type { OrganisationUseCases } from '../organisation.usecases';
import { issueDetails, withItemIds } from '../organisation.validation';
import { parseCsv, } from './csv.parse';
import { csvRecordToInput, unknownColumns } from './import.rows';

export const MAX_IMPORT_ROWS = 1000;

export const ImportRowResult = z
  .object({
    row: z.number().int().positive().openapi({ description: '1-based: array index + 1, or the CSV data line (header excluded)' }),
    status: z.enum(['created', 'updated', 'failed']),
    id: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .openapi('ImportRowResult');
export type ImportRowResult = z.infer<typeof ImportRowResult>;

export const ImportReport = z
  .object({
    summary: z.object({ total: z.number().int(), created: z.number().int(), updated: z.number().int(), failed: z.number().int() }),
    rows: z.array(ImportRowResult),
  })
  .openapi('ImportReport');
export type ImportReport = z.infer<typeof ImportReport>;

type Candidate = { row: number; value?: unknown; errors?: ErrorDetail[] };

/** Request body → candidate rows. Whole-request problems (not an array, too many rows, broken CSV) are a 400/413. */
export function candidatesFromJson(body: unknown): Candidate[] {
  if (!Array.isArray(body)) throw AppError.validation('import body must be a JSON array of organisations', [{ field: 'body', message: 'expected an array' }]);
  assertBounded(body.length);
  return body.map((value, i) => ({ row: i + 1, value }));
}

export function candidatesFromCsv(text: string): Candidate[] {
  const { rows, error } = parseCsv(text);
  if (error) throw AppError.validation('CSV could not be read', [{ field: 'body', message: error }]);
  const [header, ...records] = rows;
  if (!header) throw AppError.validation('CSV is empty', [{ field: 'body', message: 'a header row is required' }]);
  const unknown = unknownColumns(header);
  if (unknown.length) throw AppError.validation('CSV has unknown columns', unknown.map((c) => ({ field: `header.${c}`, message: 'unknown column' })));
  assertBounded(records.length);
  return records.map((cells, i) => ({ row: i + 1, ...csvRecordToInput(header, cells) }));
}

function assertBounded(n: number): void {
  if (n > MAX_IMPORT_ROWS) throw new AppError('payload_too_large', `at most ${MAX_IMPORT_ROWS} rows per import (got ${n})`);
}

/**
 * Upsert every row on its own: a bad row is reported and skipped, never rolling back the good
 * ones. Match on VAT number, else website, else legal name + province; a match is replaced as
 * a whole (new version, new event), otherwise a new organisation is created.
 */
export function createImportUseCase(deps: { store: OrganisationStore; organisations: OrganisationUseCases }) {
  async function importRow(c: Candidate): Promise<ImportRowResult> {
    if (c.errors) return { row: c.row, status: 'failed', errors: c.errors };
    const parsed = OrganisationInput.safeParse(c.value);
    if (!parsed.success) return { row: c.row, status: 'failed', errors: issueDetails(parsed.error.issues) };
    const input = withItemIds(parsed.data);
    try {
      const existing = await deps.store.findByUpsertKey({ vatNumber: input.vatNumber, website: input.website, legalName: input.legalName, province: input.location.province });
      if (existing) {
        const updated = await deps.organisations.replaceValidated(existing, input);
        return { row: c.row, status: 'updated', id: updated.id };
      }
      const created = await deps.organisations.createValidated(input, newOrganisationId());
      return { row: c.row, status: 'created', id: created.id };
    } catch (e) {
      // Row-level conflicts (duplicate website of another organisation, concurrent edit) fail the row only.
      if (isAppError(e) && e.status < 500) return { row: c.row, status: 'failed', errors: e.details.length ? e.details : [{ field: '(row)', message: e.message }] };
      throw e;
    }
  }

  return async function importOrganisations(principal: Principal, candidates: Candidate[]): Promise<ImportReport> {
    assertCanImport(principal);
    const rows: ImportRowResult[] = [];
    // Sequential on purpose: rows of one file may refer to the same organisation (later row wins).
    for (const c of candidates) rows.push(await importRow(c));
    const count = (s: ImportRowResult['status']) => rows.filter((r) => r.status === s).length;
    return { summary: { total: rows.length, created: count('created'), updated: count('updated'), failed: count('failed') }, rows };
  };
}
