import type { Client } from '@elastic/elasticsearch';
import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { FeedbackStore } from './data/feedback.store';
import { OrganisationIndex } from './data/organisation.index';
import { TopNStore } from './data/topn.store';
import { WEIGHTS } from './domain/scoring/weights.v1';
import type { MatchingDeps, MatchingSettings } from './domain/matching.ports';

/** The use cases' dependencies with their concrete adapters (main, tests, eval and bench also manage the indices). */
export type MatchingWiring = MatchingDeps & { index: OrganisationIndex; topn: TopNStore; feedback: FeedbackStore };

/** Builds the use cases' dependencies and makes sure the indices exist (main, tests, eval, bench). */
export async function createMatchingDeps(opts: {
  es: Client;
  alias: string;
  producer: EventProducer;
  logger: Logger;
  settings: Partial<MatchingSettings> & Pick<MatchingSettings, 'suggestionsTopic'>;
}): Promise<MatchingWiring> {
  const index = new OrganisationIndex(opts.es, opts.alias);
  const topn = new TopNStore(opts.es, opts.alias);
  const feedback = new FeedbackStore(opts.es, opts.alias);
  await Promise.all([index.ensure(), topn.ensure(), feedback.ensure()]);
  return {
    index,
    topn,
    feedback,
    producer: opts.producer,
    logger: opts.logger,
    weights: WEIGHTS,
    settings: {
      topN: 20,
      topNKinds: ['research_centre', 'investor'],
      scoreThreshold: 0.1,
      maxRecomputePerEvent: 200,
      indexWaitMs: 30_000,
      source: 'matching',
      ...opts.settings,
    },
  };
}
