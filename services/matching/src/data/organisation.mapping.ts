/**
 * Explicit mapping (dynamic: false — new snapshot fields never change the mapping). Text lives
 * in keyword arrays of terms normalised by the service (src/domain/text): the local
 * distribution has no language analyzers, and this way the full one behaves identically.
 * `allText` (standard analyzer, present everywhere) exists only for the eval's BM25 baseline.
 */
export const ORGANISATION_MAPPING = {
  dynamic: false,
  properties: {
    id: { type: 'keyword' },
    deleted: { type: 'boolean' },
    profileVersion: { type: 'long' },
    kind: { type: 'keyword' },
    subtype: { type: 'keyword' },
    name: { type: 'keyword' },
    s3Areas: { type: 'keyword' },
    needS3Areas: { type: 'keyword' },
    offerS3Areas: { type: 'keyword' },
    specialties: { type: 'keyword' },
    offerTypes: { type: 'keyword' },
    needTypes: { type: 'keyword' },
    offerTerms: { type: 'keyword' },
    needTerms: { type: 'keyword' },
    keywords: { type: 'keyword' },
    trl: { type: 'integer_range' },
    offerTrl: { type: 'integer_range' },
    needTrl: { type: 'integer_range' },
    stage: { type: 'keyword' },
    investorStages: { type: 'keyword' },
    ticketMin: { type: 'long' },
    ticketMax: { type: 'long' },
    investorSectors: { type: 'keyword' },
    geography: { type: 'keyword' },
    fundingNeedMin: { type: 'long' },
    fundingNeedMax: { type: 'long' },
    province: { type: 'keyword' },
    location: { type: 'geo_point' },
    languages: { type: 'keyword' },
    allText: { type: 'text', analyzer: 'standard' },
    snapshot: { type: 'object', enabled: false },
    updatedAt: { type: 'date' },
  },
} as const;

export const INDEX_SETTINGS = { number_of_shards: 1, number_of_replicas: 0 } as const;
