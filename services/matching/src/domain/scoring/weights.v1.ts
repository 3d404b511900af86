/**
 * The ONE place the ranking is tuned. Every explanation and match event names `version`;
 * change any number → bump the version (a new file weights.v2.ts, switch `WEIGHTS` below),
 * so a partner can tell which weights scored a suggestion.
 *
 * Scale: a strong candidate scores roughly 5–12. Parts add up to the score.
 */
export const WEIGHTS_V1 = {
  version: '2026-11-v1',
  /** Split evenly over the company's S3 areas (its own and its needs'). */
  s3: 2.0,
  needFit: {
    /** Per matched need term, times the term's rarity (BM25 idf on the keyword array), over sqrt(#terms). */
    terms: 1.2,
    /** Candidate offers a type compatible with one of the company's need types. */
    types: 2.0,
  },
  /** Split evenly over the company's specialties (candidate specialties or investor sectors). */
  specialty: 2.0,
  /** A candidate TRL range (offers or organisation) overlapping the company's need TRL. */
  trl: 0.8,
  investorFit: { stage: 1.2, ticket: 1.2, sectors: 0.6, geography: 0.4 },
  reciprocity: { terms: 0.4, types: 0.6 },
  proximity: { province: 0.3, distance: 0.3, scaleKm: 30 },
  feedback: { accepted: 0.5 },
  limits: {
    /** Most frequent distinct need/offer terms sent in one query (keeps it bounded). */
    queryTerms: 40,
  },
} as const;

export type Weights = typeof WEIGHTS_V1;
export const WEIGHTS: Weights = WEIGHTS_V1;
