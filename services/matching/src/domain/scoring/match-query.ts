import type { NeedOfferType, OrganisationKind } from '@lm/contracts';
import type { IntRange, OrganisationDoc } from '../organisation-doc';
import { compatibleOfferTypes, needTypesServedBy } from './compatibility';
import type { Weights } from './weights.v1';

/**
 * Builds the ONE Elasticsearch query that scores every candidate for a company. Each score part
 * is a top-level `should` clause carrying `_name`: with `include_named_queries_score` every hit
 * reports each part's score, and because a bool query sums its should clauses (filters and
 * must_not score 0) the parts add up to `_score` — the explanation is the score, not a story
 * told after it.
 */

export const PART_NAMES = ['s3', 'need_fit', 'specialty', 'trl', 'investor_fit', 'reciprocity', 'proximity', 'feedback'] as const;

export interface MatchQueryOptions {
  kinds: readonly OrganisationKind[];
  size: number;
  s3Area?: string;
  province?: string;
  declined?: readonly string[];
  accepted?: readonly string[];
  /**
   * Second stage of a two-stage query: score only these candidates (e.g. a company's stored
   * top-N). Each candidate's parts and score are exactly those of the full query — a filter
   * scores 0 and BM25 statistics are the index's, not the filtered set's — only fewer documents
   * are scored.
   */
  only?: readonly string[];
}

type Query = Record<string, unknown>;

/** Terms a single query uses: the most frequent first (the doc stores them in that order). */
function capped(terms: readonly string[] | undefined, max: number): string[] {
  return (terms ?? []).slice(0, max);
}

/** Each value scores `weight / n`: constant, so the part reads as "k of n matched". */
function splitConstant(field: string | string[], values: readonly string[], weight: number): Query[] {
  if (!values.length) return [];
  const fields = Array.isArray(field) ? field : [field];
  return values.map((v) => ({
    constant_score: {
      filter: fields.length === 1 ? { term: { [fields[0]!]: v } } : { bool: { should: fields.map((f) => ({ term: { [f]: v } })) } },
      boost: weight / values.length,
    },
  }));
}

/** Term queries on a keyword array: BM25 idf makes rare shared terms count more than common ones. */
function weightedTerms(field: string, terms: readonly string[], weight: number): Query[] {
  if (!terms.length) return [];
  const boost = weight / Math.sqrt(terms.length);
  return terms.map((t) => ({ term: { [field]: { value: t, boost } } }));
}

function named(name: string, clauses: Query[]): Query | undefined {
  if (!clauses.length) return undefined;
  return { bool: { should: clauses, _name: name } };
}

function rangesOverlap(field: string, ranges: readonly IntRange[]): Query[] {
  return ranges.map((r) => ({ range: { [field]: { gte: r.gte, lte: r.lte, relation: 'intersects' } } }));
}

export function companyS3Areas(company: Pick<OrganisationDoc, 's3Areas' | 'needS3Areas'>): string[] {
  return [...new Set([...(company.s3Areas ?? []), ...(company.needS3Areas ?? [])])];
}

function investorFit(company: OrganisationDoc, w: Weights): Query[] {
  const clauses: Query[] = [];
  const investor = { term: { kind: 'investor' } };
  if (company.stage) clauses.push({ constant_score: { filter: { term: { investorStages: company.stage } }, boost: w.investorFit.stage } });
  if (company.fundingNeedMin !== undefined && company.fundingNeedMax !== undefined) {
    // Ticket range overlaps the amount sought.
    clauses.push({
      constant_score: {
        filter: { bool: { filter: [{ range: { ticketMin: { lte: company.fundingNeedMax } } }, { range: { ticketMax: { gte: company.fundingNeedMin } } }] } },
        boost: w.investorFit.ticket,
      },
    });
  }
  clauses.push(...splitConstant('investorSectors', company.specialties ?? [], w.investorFit.sectors));
  if (company.province) {
    // Empty geography means "anywhere".
    clauses.push({
      constant_score: {
        filter: {
          bool: {
            filter: [investor],
            should: [{ term: { geography: company.province } }, { bool: { must_not: { exists: { field: 'geography' } } } }],
            minimum_should_match: 1,
          },
        },
        boost: w.investorFit.geography,
      },
    });
  }
  return clauses;
}

/** The parts, by name (undefined when the company gives nothing to match that part on). */
export function scoreParts(company: OrganisationDoc, opts: Pick<MatchQueryOptions, 'kinds' | 'accepted'>, w: Weights): Record<string, Query | undefined> {
  const needTerms = capped(company.needTerms, w.limits.queryTerms);
  const offerTerms = capped(company.offerTerms, w.limits.queryTerms);
  const wantedOfferTypes = compatibleOfferTypes(company.needTypes ?? []);
  const servedNeedTypes = needTypesServedBy(company.offerTypes ?? []);
  const needTrl = company.needTrl?.length ? company.needTrl : (company.trl ?? []);
  const proximity: Query[] = [];
  if (company.province) proximity.push({ constant_score: { filter: { term: { province: company.province } }, boost: w.proximity.province } });
  if (company.location) {
    proximity.push({
      function_score: {
        query: { exists: { field: 'location' } },
        functions: [{ gauss: { location: { origin: company.location, scale: `${w.proximity.scaleKm}km`, decay: 0.5 } }, weight: w.proximity.distance }],
        boost_mode: 'replace',
      },
    });
  }
  return {
    s3: named('s3', splitConstant('s3Areas', companyS3Areas(company), w.s3)),
    need_fit: named('need_fit', [
      ...weightedTerms('offerTerms', needTerms, w.needFit.terms),
      ...(wantedOfferTypes.length ? [{ constant_score: { filter: { terms: { offerTypes: wantedOfferTypes } }, boost: w.needFit.types } }] : []),
    ]),
    specialty: named('specialty', splitConstant(['specialties', 'investorSectors'], company.specialties ?? [], w.specialty)),
    trl: named(
      'trl',
      needTrl.length
        ? [{ constant_score: { filter: { bool: { should: [...rangesOverlap('offerTrl', needTrl), ...rangesOverlap('trl', needTrl)] } }, boost: w.trl } }]
        : [],
    ),
    investor_fit: opts.kinds.includes('investor') ? named('investor_fit', investorFit(company, w)) : undefined,
    reciprocity: named('reciprocity', [
      ...weightedTerms('needTerms', offerTerms, w.reciprocity.terms),
      ...(servedNeedTypes.length ? [{ constant_score: { filter: { terms: { needTypes: servedNeedTypes } }, boost: w.reciprocity.types } }] : []),
    ]),
    proximity: named('proximity', proximity),
    feedback: opts.accepted?.length
      ? named('feedback', [{ constant_score: { filter: { ids: { values: [...opts.accepted] } }, boost: w.feedback.accepted } }])
      : undefined,
  };
}

/**
 * A candidate must share something substantive (S3 area, need/offer terms or types, specialty);
 * proximity or reciprocity alone never make a match.
 */
function relevanceGate(company: OrganisationDoc, w: Weights): Query {
  const should: Query[] = [];
  const s3 = companyS3Areas(company);
  if (s3.length) should.push({ terms: { s3Areas: s3 } });
  const needTerms = capped(company.needTerms, w.limits.queryTerms);
  if (needTerms.length) should.push({ terms: { offerTerms: needTerms } });
  const types = compatibleOfferTypes(company.needTypes ?? []);
  if (types.length) should.push({ terms: { offerTypes: types } });
  if (company.specialties?.length) should.push({ terms: { specialties: company.specialties } }, { terms: { investorSectors: company.specialties } });
  return { bool: { should, minimum_should_match: 1 } };
}

/**
 * What a ranked candidate needs in the response and its explanation (not the whole snapshot:
 * contacts, needs and the rest would be read, sent and parsed for nothing on every request).
 */
export const MATCH_SOURCE_FIELDS = [
  'id',
  'kind',
  'subtype',
  'name',
  'province',
  's3Areas',
  'specialties',
  'investorSectors',
  'offerTerms',
  'snapshot.offers.title',
  'snapshot.offers.text',
  'snapshot.offers.keywords',
  'snapshot.description.text',
] as const;

export function buildMatchQuery(company: OrganisationDoc, opts: MatchQueryOptions, w: Weights) {
  const parts = Object.values(scoreParts(company, opts, w)).filter((q): q is Query => !!q);
  const filter: Query[] = [{ terms: { kind: [...opts.kinds] } }];
  // A candidate in one of the company's own S3 areas passes the gate by its first clause: the
  // gate would only add work (its terms over up to `queryTerms` offer terms build a doc set over
  // the whole index, ~¼ of a filtered query's time at 100,000 organisations) and change nothing.
  if (!(opts.s3Area && companyS3Areas(company).includes(opts.s3Area))) filter.push(relevanceGate(company, w));
  if (opts.s3Area) filter.push({ term: { s3Areas: opts.s3Area } });
  if (opts.province) filter.push({ term: { province: opts.province } });
  if (opts.only) filter.push({ ids: { values: [...opts.only] } });
  return {
    size: opts.size,
    track_total_hits: false,
    include_named_queries_score: true,
    _source: { includes: [...MATCH_SOURCE_FIELDS] },
    query: {
      bool: {
        filter,
        must_not: [{ ids: { values: [company.id, ...(opts.declined ?? [])] } }, { term: { deleted: true } }],
        should: parts,
      },
    },
    sort: [{ _score: 'desc' }, { id: 'asc' }],
  };
}

/**
 * The reverse question, asked when a candidate changes: which companies could this candidate
 * now serve? Companies whose needs it answers (terms, types, S3 areas, specialties), best first,
 * bounded by `size`. Mirrors the relevance gate of the forward query.
 */
export function buildReverseQuery(candidate: OrganisationDoc, size: number, w: Weights) {
  const offerTerms = capped(candidate.offerTerms, w.limits.queryTerms);
  const served = needTypesServedBy((candidate.offerTypes ?? []) as NeedOfferType[]);
  const should: Query[] = [];
  if (candidate.s3Areas?.length) should.push({ terms: { s3Areas: candidate.s3Areas } }, { terms: { needS3Areas: candidate.s3Areas } });
  if (offerTerms.length) should.push(...weightedTerms('needTerms', offerTerms, 1));
  if (served.length) should.push({ terms: { needTypes: served } });
  const sectors = [...(candidate.specialties ?? []), ...(candidate.investorSectors ?? [])];
  if (sectors.length) should.push({ terms: { specialties: sectors } });
  return {
    size,
    track_total_hits: false,
    _source: false,
    query: {
      bool: {
        filter: [{ term: { kind: 'company' } }],
        must_not: [{ term: { deleted: true } }, { ids: { values: [candidate.id] } }],
        should,
        minimum_should_match: 1,
      },
    },
  };
}
