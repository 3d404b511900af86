import { PublicOrganisation } from '@lm/contracts';
import { readFileSync } from 'fs';
import path from 'path';

/** Approximate province centroids, so the labelled organisations carry a geo_point. */
export const PROVINCE_CENTROIDS: Record<string, { lat: number; lon: number }> = {
  MI: { lat: 45.46, lon: 9.19 },
  BG: { lat: 45.7, lon: 9.67 },
  BS: { lat: 45.54, lon: 10.22 },
  CO: { lat: 45.81, lon: 9.09 },
  CR: { lat: 45.13, lon: 10.02 },
  LC: { lat: 45.85, lon: 9.39 },
  LO: { lat: 45.31, lon: 9.5 },
  MN: { lat: 45.16, lon: 10.79 },
  MB: { lat: 45.58, lon: 9.27 },
  PV: { lat: 45.19, lon: 9.16 },
  SO: { lat: 46.17, lon: 9.87 },
  VA: { lat: 45.82, lon: 8.83 },
};

interface RawOrg extends Record<string, unknown> {
  id: string;
  province: string;
}

export interface LabelledSet {
  organisations: PublicOrganisation[];
  /** company id → candidate id → grade (2 best, 1 good). */
  judgements: Record<string, Record<string, number>>;
}

export function loadLabelledSet(file = path.resolve(__dirname, '../../eval/labelled.json')): LabelledSet {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { organisations: RawOrg[]; judgements: LabelledSet['judgements'] };
  const at = '2026-11-01T00:00:00.000Z';
  const organisations = raw.organisations.map(({ province, ...o }) =>
    // Parsed with the contract: the set stays valid as the schema evolves (or fails loudly).
    PublicOrganisation.parse({ version: 1, createdAt: at, updatedAt: at, location: { province, city: province, ...PROVINCE_CENTROIDS[province] }, ...o }),
  );
  return { organisations, judgements: raw.judgements };
}
