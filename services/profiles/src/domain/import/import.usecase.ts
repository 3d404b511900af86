import type { Principal } from '@lm/auth';
import { Organisation, OrganisationInput, z } from '@lm/contracts';
import { AppError, ErrorDetail, isAppError, issueDetails } from '@lm/errors';
import { mapLimit } from '../batching';
import { nameKey, newOrganisationId, normaliseWebsiteHost } from '../organisation.keys';
import { assertCanImport } from '../organisation.policy';
import type { OrganisationStore } from '../organisation.store';
import type { OrganisationUseCases } from '../organisation.usecases';
import { withItemIds } from '../organisation.validation';
import { parseCsv } from './csv.parse';
import { csvRecordToInput, unknownColumns } from './import.rows';

export const MAX_IMPORT_ROWS = 1000;
/** Rows written at once: enough to keep the database busy, few enough to leave room for other requests. */
const IMPORT_CONCURRENCY = 8;
/** New organisations created per batched write. */
const CREATE_BATCH = 1000;

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
  if (unknown.length)
    throw AppError.validation(
      'CSV has unknown columns',
      unknown.map((c) => ({ field: `header.${c}`, message: 'unknown column' })),
    );
  assertBounded(records.length);
  return records.map((cells, i) => ({ row: i + 1, ...csvRecordToInput(header, cells) }));
}

function assertBounded(n: number): void {
  if (n > MAX_IMPORT_ROWS) throw new AppError('payload_too_large', `at most ${MAX_IMPORT_ROWS} rows per import (got ${n})`);
}

/**
 * Groups row indexes into lanes: rows sharing any key (directly or through other rows) share
 * a lane, kept in file order (union-find over the keys).
 */
export function laneOf(rowKeys: string[][]): Map<number, number[]> {
  const parent = rowKeys.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  rowKeys.forEach((keys, i) => {
    for (const k of keys) {
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const lanes = new Map<number, number[]>();
  rowKeys.forEach((_, i) => {
    const root = find(i);
    const lane = lanes.get(root);
    if (lane) lane.push(i);
    else lanes.set(root, [i]);
  });
  return lanes;
}

/**
 * Upsert every row on its own: a bad row is reported and skipped, never rolling back the good
 * ones. Match on VAT number, else website, else legal name + province; a match is replaced as
 * a whole (new version, new event), otherwise a new organisation is created.
 */
type ValidRow = { row: number; input: ReturnType<typeof withItemIds> };
type Prepared = ValidRow | { row: number; failed: ImportRowResult };

/** Validates a candidate row (once: lanes and the write both use the result). */
function prepare(c: Candidate): Prepared {
  if (c.errors) return { row: c.row, failed: { row: c.row, status: 'failed', errors: c.errors } };
  const parsed = OrganisationInput.safeParse(c.value);
  if (!parsed.success) return { row: c.row, failed: { row: c.row, status: 'failed', errors: issueDetails(parsed.error.issues) } };
  return { row: c.row, input: withItemIds(parsed.data) };
}

const upsertKeysOf = (input: ValidRow['input']) => ({
  vatNumber: input.vatNumber,
  website: input.website,
  legalName: input.legalName,
  province: input.location.province,
});

/** A row's own keys (VAT, website host, name + province), as lane keys. */
function ownKeys(p: Prepared): string[] {
  if ('failed' in p) return [];
  const keys = upsertKeysOf(p.input);
  const host = normaliseWebsiteHost(keys.website);
  return [...(keys.vatNumber ? [`vat:${keys.vatNumber}`] : []), ...(host ? [`host:${host}`] : []), `name:${nameKey(keys.legalName, keys.province)}`];
}

export function createImportUseCase(deps: { store: OrganisationStore; organisations: OrganisationUseCases }) {
  /** Lane keys of rows that may update: their own keys and the stored organisations holding any of them. */
  async function rowKeys(rows: Prepared[]): Promise<string[][]> {
    const valid = rows.filter((p): p is ValidRow => !('failed' in p));
    const holders = await deps.store.keyHolders(valid.map((p) => upsertKeysOf(p.input)));
    const byRow = new Map(valid.map((p, i) => [p, holders[i]!]));
    return rows.map((p) => [...ownKeys(p), ...(byRow.get(p as ValidRow) ?? []).map((id) => `org:${id}`)]);
  }

  /** A created/updated organisation, or a row-level failure (a 4xx); anything else is the request's 500. */
  function rowResult(row: number, outcome: Organisation | Error, status: 'created' | 'updated'): ImportRowResult {
    if (!(outcome instanceof Error)) return { row, status, id: outcome.id };
    if (isAppError(outcome) && outcome.status < 500)
      return { row, status: 'failed', errors: outcome.details.length ? outcome.details : [{ field: '(row)', message: outcome.message }] };
    throw outcome;
  }

  async function importRow(p: Prepared): Promise<ImportRowResult> {
    if ('failed' in p) return p.failed;
    try {
      const existing = await deps.store.findByUpsertKey(upsertKeysOf(p.input));
      if (existing) {
        const updated = await deps.organisations.replaceValidated(existing, p.input);
        return { row: p.row, status: 'updated', id: updated.id };
      }
      const created = await deps.organisations.createValidated(p.input, newOrganisationId());
      return { row: p.row, status: 'created', id: created.id };
    } catch (e) {
      // Row-level conflicts (duplicate website of another organisation, concurrent edit) fail the row only.
      return rowResult(p.row, e instanceof Error ? e : new Error(String(e)), 'created');
    }
  }

  return async function importOrganisations(principal: Principal, candidates: Candidate[]): Promise<ImportReport> {
    assertCanImport(principal);
    const prepared = candidates.map(prepare);
    const rows: ImportRowResult[] = new Array(candidates.length);
    // 1. A valid row that shares no key with another row of the file is tried as a create, in
    //    batches (a few statements for hundreds of rows): inserting its key documents is also the
    //    check that no stored organisation holds them. A row the batch refuses may be an update.
    const single = [...laneOf(prepared.map(ownKeys)).values()]
      .filter((lane) => lane.length === 1 && !('failed' in prepared[lane[0]!]!))
      .map((lane) => lane[0]!);
    const rest = new Set(prepared.keys());
    for (let start = 0; start < single.length; start += CREATE_BATCH) {
      const batch = single.slice(start, start + CREATE_BATCH);
      const created = await deps.organisations.createManyValidated(batch.map((i) => ({ input: (prepared[i] as ValidRow).input, id: newOrganisationId() })));
      batch.forEach((i, n) => {
        if (!created[n]) return;
        rows[i] = rowResult(prepared[i]!.row, created[n], 'created');
        rest.delete(i);
      });
    }
    // 2. The other rows upsert one by one. Rows that may touch one organisation — sharing a VAT
    //    number, website or name, or keys held by the same stored organisation — run in file
    //    order in one lane (the later row wins, as if the file were applied row by row); lanes
    //    run side by side, so an import costs about what the same number of single writes costs.
    const others = [...rest];
    const keys = await rowKeys(others.map((i) => prepared[i]!));
    await mapLimit([...laneOf(keys).values()], IMPORT_CONCURRENCY, async (lane) => {
      for (const n of lane) rows[others[n]!] = await importRow(prepared[others[n]!]!);
    });
    const count = (s: ImportRowResult['status']) => rows.filter((r) => r.status === s).length;
    return { summary: { total: rows.length, created: count('created'), updated: count('updated'), failed: count('failed') }, rows };
  };
}
