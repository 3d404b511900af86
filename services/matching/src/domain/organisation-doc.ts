import type { NeedOfferType, OrganisationEvent, PublicOrganisation } from '@lm/contracts';
import { IMPLICIT_OFFERS } from './scoring/compatibility';
import { distinctTerms } from './text';

export interface IntRange {
  gte: number;
  lte: number;
}

/** What the index holds per organisation (normalised for querying + the snapshot for explanations). */
export interface OrganisationDoc {
  id: string;
  deleted: boolean;
  profileVersion: number;
  kind?: string;
  subtype?: string;
  name?: string;
  s3Areas?: string[];
  needS3Areas?: string[];
  offerS3Areas?: string[];
  specialties?: string[];
  offerTypes?: NeedOfferType[];
  needTypes?: NeedOfferType[];
  offerTerms?: string[];
  needTerms?: string[];
  keywords?: string[];
  trl?: IntRange[];
  offerTrl?: IntRange[];
  needTrl?: IntRange[];
  stage?: string;
  investorStages?: string[];
  ticketMin?: number;
  ticketMax?: number;
  investorSectors?: string[];
  geography?: string[];
  fundingNeedMin?: number;
  fundingNeedMax?: number;
  province?: string;
  location?: { lat: number; lon: number };
  languages?: string[];
  /** Everything textual in one field, for the BM25 baseline of the eval only. */
  allText?: string;
  snapshot?: PublicOrganisation;
  updatedAt: string;
}

/**
 * Elasticsearch external version for a profile version: a deletion of version v (odd 2v+1)
 * beats the upsert of the same v (2v) in either order, and any later upsert (2v+2) beats it;
 * a duplicate of the same event is refused (409) because external versions must grow.
 */
export function esVersionOf(profileVersion: number, deleted: boolean): number {
  return profileVersion * 2 + (deleted ? 1 : 0);
}

/** Cap per field: a profile has at most 30 needs × 5000 chars; the index needs the salient terms. */
const MAX_TERMS = 200;

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function textsOf(items: PublicOrganisation['needs']): string[] {
  return items.flatMap((i) => [i.title, i.text, ...i.keywords]);
}

function rangeOf(r?: { min: number; max: number }): IntRange | undefined {
  return r ? { gte: r.min, lte: r.max } : undefined;
}

export function toOrganisationDoc(o: PublicOrganisation, profileVersion: number): OrganisationDoc {
  const implicit = IMPLICIT_OFFERS[o.kind] ?? [];
  const fundingNeeds = o.needs.filter((n) => n.type === 'funding' && n.amountEur);
  const description = o.description.map((d) => d.text);
  const hasGeo = o.location.lat !== undefined && o.location.lon !== undefined;
  return {
    id: o.id,
    deleted: false,
    profileVersion,
    kind: o.kind,
    subtype: o.subtype,
    name: o.legalName,
    s3Areas: uniq([...o.s3Areas, ...(o.investor?.s3Areas ?? [])]),
    needS3Areas: uniq(o.needs.flatMap((n) => n.s3Areas)),
    offerS3Areas: uniq(o.offers.flatMap((n) => n.s3Areas)),
    specialties: o.specialties,
    offerTypes: uniq([...o.offers.map((x) => x.type), ...implicit]),
    needTypes: uniq(o.needs.map((x) => x.type)),
    // An organisation without explicit offers still "offers" what its description says.
    offerTerms: distinctTerms([...textsOf(o.offers), ...(o.offers.length ? [] : description)], MAX_TERMS),
    needTerms: distinctTerms(textsOf(o.needs), MAX_TERMS),
    keywords: distinctTerms(
      [...o.offers, ...o.needs].flatMap((x) => x.keywords),
      MAX_TERMS,
    ),
    trl: o.trl ? [rangeOf(o.trl)!] : [],
    offerTrl: o.offers.map((x) => rangeOf(x.trl)).filter((r): r is IntRange => !!r),
    needTrl: o.needs.map((x) => rangeOf(x.trl)).filter((r): r is IntRange => !!r),
    stage: o.stage,
    investorStages: o.investor?.stages ?? [],
    ticketMin: o.investor?.ticketEur.min,
    ticketMax: o.investor?.ticketEur.max,
    investorSectors: o.investor?.sectors ?? [],
    geography: o.investor?.geography ?? [],
    fundingNeedMin: fundingNeeds.length ? Math.min(...fundingNeeds.map((n) => n.amountEur!.min)) : undefined,
    fundingNeedMax: fundingNeeds.length ? Math.max(...fundingNeeds.map((n) => n.amountEur!.max)) : undefined,
    province: o.location.province,
    location: hasGeo ? { lat: o.location.lat!, lon: o.location.lon! } : undefined,
    languages: o.languages,
    allText: [o.legalName, ...description, ...textsOf(o.offers), ...textsOf(o.needs), ...o.specialties, ...o.s3Areas].join('\n'),
    snapshot: o,
    updatedAt: o.updatedAt,
  };
}

/** A deletion is a tombstone, not a removed document: an older upsert arriving later must not resurrect it. */
export function tombstoneDoc(id: string, profileVersion: number, at: string): OrganisationDoc {
  return { id, deleted: true, profileVersion, updatedAt: at };
}

export interface IndexWrite {
  id: string;
  esVersion: number;
  doc: OrganisationDoc;
}

export function writeForEvent(e: OrganisationEvent): IndexWrite {
  if (e.type === 'organisation.upserted') {
    const { organisation, version } = e.data;
    return { id: organisation.id, esVersion: esVersionOf(version, false), doc: toOrganisationDoc(organisation, version) };
  }
  return { id: e.data.id, esVersion: esVersionOf(e.data.version, true), doc: tombstoneDoc(e.data.id, e.data.version, e.data.deletedAt) };
}
