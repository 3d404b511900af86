import { OrganisationEvent } from '@lm/contracts';
import { runConsumer, type ConsumedEvent, type EventProducer, type RunningConsumer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import { gaugeOn } from '@lm/metrics';
import type { Registry } from 'prom-client';
import { mapLimit } from '../domain/batching';
import type { OrganisationSearchIndex } from '../data/organisation.search-index';
import type { OrganisationStore } from '../domain/organisation.store';

export interface SearchProjectionDeps {
  kafka: Kafka;
  producer: EventProducer;
  topic: string;
  groupId: string;
  store: OrganisationStore;
  index: OrganisationSearchIndex;
  logger: Logger;
  metrics?: Registry;
}

/**
 * Keeps the search read model from the service's own topic. An event says "this organisation
 * changed": the projection indexes the organisation's current state read by `_id` (its full
 * state, private fields included, so lists show them to those allowed, exactly as get-by-id
 * does) under its version — idempotent, and a burst of changes to one organisation costs one write.
 */
export function createSearchProjection(deps: Pick<SearchProjectionDeps, 'store' | 'index' | 'metrics'>) {
  const lag =
    deps.metrics &&
    gaugeOn(deps.metrics, {
      name: 'profiles_search_lag_seconds',
      help: 'Search read model: age of the newest applied event when it was applied (listable at the index refresh, ≤ 500 ms later)',
    });
  return async function apply(events: ConsumedEvent<OrganisationEvent>[]): Promise<void> {
    const ids = [...new Set(events.map((e) => (e.event.type === 'organisation.deleted' ? e.event.data.id : e.event.data.organisation.id)))];
    const states = (await mapLimit(ids, 8, (id) => deps.store.findById(id))).filter((s) => s !== undefined);
    await deps.index.apply(states);
    const newest = Math.max(...events.map((e) => Date.parse(e.event.occurredAt)));
    lag?.set(Math.max(0, (Date.now() - newest) / 1000));
  };
}

export function runSearchProjection(deps: SearchProjectionDeps): Promise<RunningConsumer> {
  return runConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: [deps.topic],
    schema: OrganisationEvent,
    handle: createSearchProjection(deps),
    producer: deps.producer,
    logger: deps.logger,
    fromBeginning: true,
    chunkSize: 200,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}
