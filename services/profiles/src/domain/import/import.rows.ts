import type { ErrorDetail } from '@lm/errors';

/**
 * CSV columns of `POST /organisations:import` (header row required, order free, unknown
 * columns refused so a typo never silently drops data):
 *
 *   kind, subtype, legalName, website, vatNumber, province, city, lat, lon, size, foundedYear,
 *   stage, trlMin, trlMax, description_it, description_en,
 *   s3Areas, specialties, languages                      — `;`-separated lists
 *   investorStages, investorSectors, investorGeography   — `;`-separated lists (investors)
 *   ticketMinEur, ticketMaxEur                            — numbers (investors)
 *   needs, offers, contacts, investor                     — JSON in the cell (arrays / object)
 *
 * Empty cells mean "not given". A cell that should be a number but is not is passed through
 * as text, so validation reports it on its field.
 */
export const CSV_COLUMNS = [
  'kind',
  'subtype',
  'legalName',
  'website',
  'vatNumber',
  'province',
  'city',
  'lat',
  'lon',
  'size',
  'foundedYear',
  'stage',
  'trlMin',
  'trlMax',
  'description_it',
  'description_en',
  's3Areas',
  'specialties',
  'languages',
  'investorStages',
  'investorSectors',
  'investorGeography',
  'ticketMinEur',
  'ticketMaxEur',
  'needs',
  'offers',
  'contacts',
  'investor',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const LIST_COLUMNS = new Set<Column>(['s3Areas', 'specialties', 'languages', 'investorStages', 'investorSectors', 'investorGeography']);
const NUMBER_COLUMNS = new Set<Column>(['lat', 'lon', 'foundedYear', 'trlMin', 'trlMax', 'ticketMinEur', 'ticketMaxEur']);
const JSON_COLUMNS = new Set<Column>(['needs', 'offers', 'contacts', 'investor']);

export function unknownColumns(header: string[]): string[] {
  return header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h.trim()));
}

function list(cell: string): string[] {
  return cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(cell: string): number | string {
  const n = Number(cell);
  return cell.trim() !== '' && Number.isFinite(n) ? n : cell;
}

/** One CSV record → the JSON shape OrganisationInput validates, or the cells that could not be read. */
export function csvRecordToInput(header: string[], cells: string[]): { value?: Record<string, unknown>; errors?: ErrorDetail[] } {
  if (cells.length !== header.length) {
    return { errors: [{ field: '(row)', message: `expected ${header.length} cells, got ${cells.length}` }] };
  }
  const raw: Partial<Record<Column, unknown>> = {};
  const errors: ErrorDetail[] = [];
  header.forEach((h, i) => {
    const col = h.trim() as Column;
    const cell = (cells[i] ?? '').trim();
    if (cell === '') return;
    if (LIST_COLUMNS.has(col)) raw[col] = list(cell);
    else if (NUMBER_COLUMNS.has(col)) raw[col] = num(cell);
    else if (JSON_COLUMNS.has(col)) {
      try {
        raw[col] = JSON.parse(cell);
      } catch {
        errors.push({ field: col, message: 'cell is not valid JSON' });
      }
    } else raw[col] = cell;
  });
  if (errors.length) return { errors };
  return { value: assemble(raw) };
}

function assemble(raw: Partial<Record<Column, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [
    'kind',
    'subtype',
    'legalName',
    'website',
    'vatNumber',
    'size',
    'foundedYear',
    'stage',
    's3Areas',
    'specialties',
    'languages',
    'needs',
    'offers',
    'contacts',
    'investor',
  ] as const) {
    if (raw[key] !== undefined) out[key] = raw[key];
  }
  if (raw.province !== undefined || raw.city !== undefined) {
    out.location = {
      province: raw.province,
      city: raw.city,
      ...(raw.lat !== undefined ? { lat: raw.lat } : {}),
      ...(raw.lon !== undefined ? { lon: raw.lon } : {}),
    };
  }
  if (raw.trlMin !== undefined || raw.trlMax !== undefined) out.trl = { min: raw.trlMin, max: raw.trlMax };
  const description = [
    ...(raw.description_it !== undefined ? [{ lang: 'it', text: raw.description_it }] : []),
    ...(raw.description_en !== undefined ? [{ lang: 'en', text: raw.description_en }] : []),
  ];
  if (description.length) out.description = description;
  // Flat investor columns build the investor profile unless a JSON `investor` cell gave it whole.
  if (out.investor === undefined && (raw.investorStages || raw.ticketMinEur !== undefined || raw.ticketMaxEur !== undefined)) {
    out.investor = {
      stages: raw.investorStages ?? [],
      ticketEur: { min: raw.ticketMinEur, max: raw.ticketMaxEur },
      ...(raw.investorSectors ? { sectors: raw.investorSectors } : {}),
      ...(raw.investorGeography ? { geography: raw.investorGeography } : {}),
    };
  }
  return out;
}
