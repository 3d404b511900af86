import { ORGANISATION_EVENT_TYPES, OrganisationEvent } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { withdrawDeletedOrganisation } from '../domain/cancellations.usecases';
import type { Repos, UseCaseContext } from '../domain/events.ports';
import { startApplyingConsumer, type ApplyConsumerOptions } from './apply-events.consumer';

export interface OrganisationsConsumerOptions extends ApplyConsumerOptions<OrganisationEvent> {
  /** The use cases' storage: a deleted organisation is withdrawn from its events. */
  repos: Repos;
}

/**
 * profiles.organisations.v1 → organisation snapshots (registration reads them; no calls to
 * profiles). `organisation.deleted` also withdraws the organisation from every active event, its
 * published meetings cancelled at once — the same use case as a withdrawal over HTTP. Both steps
 * are idempotent, and the offset is committed after them, so a redelivery completes a half-done one.
 */
export function startOrganisationsConsumer(opts: OrganisationsConsumerOptions): Promise<RunningConsumer> {
  const ctx: UseCaseContext = { repos: opts.repos, now: () => new Date(), log: (msg, data = {}) => opts.logger.info(data, msg) };
  return startApplyingConsumer(OrganisationEvent, {
    // A bulk import arrives as thousands of messages: one commit per 200 instead of per 50.
    chunkSize: 200,
    ...opts,
    apply: async (ev) => {
      await opts.apply(ev);
      if (ev.type === ORGANISATION_EVENT_TYPES.deleted) await withdrawDeletedOrganisation(ctx, ev.data.id);
    },
  });
}
