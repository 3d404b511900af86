import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { FeedbackStore } from '../data/feedback.store';
import type { OrganisationIndex } from '../data/organisation.index';
import type { TopNStore } from '../data/topn.store';
import type { Weights } from './scoring/weights.v1';
import type { OrganisationKind } from '@lm/contracts';

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

/** Everything the use cases need; HTTP routes and Kafka consumers get the same object. */
export interface MatchingDeps {
  index: OrganisationIndex;
  topn: TopNStore;
  feedback: FeedbackStore;
  producer: EventProducer;
  logger: Logger;
  weights: Weights;
  settings: MatchingSettings;
}
