import type { Envelope, OrganisationKind } from '@lm/contracts';
import type { Logger } from '@lm/logger';
import type { IndexWrite, OrganisationDoc } from './organisation-doc';
import type { Weights } from './scoring/weights.v1';
import type { StoredRanking } from './topn/stored-ranking';
import type { TopNItem } from './topn/topn-diff';

// Ports of the matching use cases: what they need from the search engine and the broker.
// The adapters in src/data (Elasticsearch) and @lm/kafka (the producer) implement them.

export type WriteOutcome = 'applied' | 'stale';

/** The part of a search answer the use cases read (Elasticsearch's response has this shape). */
export interface SearchHit<T> {
  _id?: string;
  _score?: number | null;
  _source?: T;
  matched_queries?: string[] | Record<string, number>;
}
export interface SearchResult<T> {
  hits: { hits: SearchHit<T>[] };
}

/** The organisations index behind an alias (live writes, explained searches, reindex targets). */
export interface OrganisationIndexPort {
  newIndexName(): string;
  /** `bulkLoad`: no periodic refresh while a reindex fills it; `endBulkLoad` restores it and refreshes once. */
  createConcreteIndex(name: string, withAlias?: boolean, opts?: { bulkLoad?: boolean }): Promise<void>;
  endBulkLoad(name: string): Promise<void>;
  swapAlias(newIndex: string): Promise<string[]>;
  deleteIndices(names: string[]): Promise<void>;
  /** While a reindex runs, live writes go to its new index too. */
  mirrorWritesTo(index: string): void;
  stopMirroring(index: string): void;
  bulkWrite(writes: IndexWrite[], target?: string, opts?: { mirror?: boolean }): Promise<WriteOutcome[]>;
  refresh(index?: string): Promise<void>;
  /** Live documents by id, in order (undefined for unknown or deleted). */
  getMany(ids: string[]): Promise<(OrganisationDoc | undefined)[]>;
  /** Versions by id (0 when absent), tombstones included; real-time. */
  versions(ids: string[]): Promise<Map<string, number>>;
  search(body: Record<string, unknown>): Promise<SearchResult<OrganisationDoc>>;
  msearch(bodies: Record<string, unknown>[]): Promise<SearchResult<OrganisationDoc>[]>;
  /** Live (not deleted) organisations of a kind: how many, and their ids (a burst's every-company path). */
  countLive(kind: string): Promise<number>;
  liveIds(kind: string): Promise<string[]>;
}

export interface TopNDoc {
  companyId: string;
  weightsVersion: string;
  /** Candidate ids, searchable: "which companies have this candidate in their top-N?" */
  candidateIds: string[];
  items: TopNItem[];
  /** When `items` (the published state) last changed: the order of `GET /suggestions`. */
  updatedAt: string;
  /** The full explained ranking as last computed (may differ from the published `items` by drifts below the threshold). */
  ranking?: StoredRanking;
}

/** Everything serving a company's matches needs, read at once. */
export interface ServingState {
  /** Undefined: no such organisation (or a tombstone). */
  company?: OrganisationDoc;
  /** `history` left out; `version` 0 when the company has no feedback. */
  feedback: FeedbackDoc;
  topN?: Pick<TopNDoc, 'candidateIds' | 'weightsVersion'>;
  ranking?: StoredRanking;
}

/** A position in the (updatedAt epoch ms, companyId) order of `page`. */
export type TopNPosition = readonly [number, string];

export interface StoredTopN {
  doc?: TopNDoc;
  /** Optimistic concurrency token; absent when the company has no stored top-N yet. */
  seq?: { if_seq_no: number; if_primary_term: number };
}

/** Each company's current top-N as last published. */
export interface TopNStorePort {
  getMany(companyIds: string[]): Promise<Map<string, StoredTopN>>;
  /** For each candidate, the companies whose stored top-N lists it (bounded). */
  companiesListingAny(candidateIds: string[], size: number): Promise<Map<string, string[]>>;
  /** Writes each company's top-N (one `_bulk`, one refresh) if nobody else wrote since its `seq` was read; returns the companies that changed concurrently. */
  putMany(writes: { doc: TopNDoc; seq: StoredTopN['seq'] }[]): Promise<string[]>;
  page(opts: { size: number; after?: TopNPosition; updatedSince?: string }): Promise<{ docs: TopNDoc[]; last?: TopNPosition }>;
  get(companyId: string): Promise<TopNDoc | undefined>;
  /**
   * The company's profile, feedback (no history), stored ranking and top-N ids, in one read;
   * `withTopN: false` leaves the last two out (a request they cannot answer).
   */
  servingState(companyId: string, opts?: { withTopN?: boolean }): Promise<ServingState>;
}

export interface FeedbackDecision {
  candidateId: string;
  decision: 'accepted' | 'declined';
  reason?: string;
  decidedBy: string;
  at: string;
}

/** One document per company: the current decision per candidate (the last one wins) + the history. */
export interface FeedbackDoc {
  companyId: string;
  accepted: string[];
  declined: string[];
  history: FeedbackDecision[];
  /** Elasticsearch `_version` of the document as read (0: none yet); never written. */
  version?: number;
}

export interface FeedbackStorePort {
  getMany(companyIds: string[]): Promise<Map<string, FeedbackDoc>>;
  record(companyId: string, decision: FeedbackDecision): Promise<FeedbackDoc>;
}

/** Publishes envelopes keyed by `envelope.key`; resolves once the broker acknowledged all of them. */
export interface EventPublisher {
  publish(topic: string, envelopes: Envelope[]): Promise<void>;
}

export interface MatchingSettings {
  /** Topic match events go to (matching.suggestions.v2; unique per integration-test file). */
  suggestionsTopic: string;
  /** Size of each company's published top-N. */
  topN: number;
  /** Kinds a company's top-N is computed over. */
  topNKinds: readonly OrganisationKind[];
  /** Relative score change (same rank) that is published as match.updated. */
  scoreThreshold: number;
  /** Upper bound of companies recomputed for one changed profile. */
  maxRecomputePerEvent: number;
  /** How long the top-N worker waits for the indexing group to write an event it already read. */
  indexWaitMs: number;
  /** `source` of published envelopes. */
  source: string;
}

/**
 * A full pass (every live company recomputed) sees every change the index holds when it starts.
 * In a burst (a bulk import) each fetched chunk of changes would otherwise start a full pass of
 * its own, all but the last wasted: the gate lets the burst end first (bounded) and notes the
 * changes the pass is going to see, so the worker skips them when it reads them later.
 */
export interface FullPassGate {
  /** Resolves when the pass may start; call `covered()` once it succeeded. */
  begin(): Promise<{ covered(): void }>;
}

/** Everything the use cases need; HTTP routes and Kafka consumers get the same object. */
export interface MatchingDeps {
  index: OrganisationIndexPort;
  topn: TopNStorePort;
  feedback: FeedbackStorePort;
  producer: EventPublisher;
  logger: Logger;
  weights: Weights;
  settings: MatchingSettings;
}
