import { OrganisationEvent } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { startApplyingConsumer, type ApplyConsumerOptions } from './apply-events.consumer';

/** profiles.organisations.v1 → organisation snapshots (registration reads them; no calls to profiles). */
export function startOrganisationsConsumer(opts: ApplyConsumerOptions<OrganisationEvent>): Promise<RunningConsumer> {
  return startApplyingConsumer(OrganisationEvent, opts);
}
