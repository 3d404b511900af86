import type { OrganisationEvent } from '@lm/contracts';
import { writeForEvent } from './organisation-doc';
import type { MatchingDeps, WriteOutcome } from './matching.ports';
import { maintainTopN } from './maintain-topn.usecase';

export interface ApplyResult {
  applied: number;
  stale: number;
  recomputed: number;
  events: number;
}

/**
 * Profile events → index: one `_bulk` with external versions (stale and duplicate writes are
 * refused per item and ignored), then a refresh so the change is visible to searches at once.
 * Nothing else: the top-N maintenance follows the same topic in its own consumer group.
 */
export async function indexOrganisationEvents(deps: MatchingDeps, events: OrganisationEvent[]): Promise<Pick<ApplyResult, 'applied' | 'stale'>> {
  const outcomes: WriteOutcome[] = await deps.index.bulkWrite(events.map(writeForEvent));
  const result = { applied: outcomes.filter((o) => o === 'applied').length, stale: outcomes.filter((o) => o === 'stale').length };
  if (result.stale) deps.logger.debug({ stale: result.stale }, 'stale or duplicate profile events ignored');
  if (result.applied) await deps.index.refresh();
  return result;
}

/** Index, then maintain the top-N, in one call (tests, eval, bench; the service runs them as two consumers). */
export async function applyOrganisationEvents(deps: MatchingDeps, events: OrganisationEvent[], opts: { recompute?: boolean } = {}): Promise<ApplyResult> {
  const indexed = await indexOrganisationEvents(deps, events);
  if (opts.recompute === false) return { ...indexed, recomputed: 0, events: 0 };
  return { ...indexed, ...(await maintainTopN(deps, events)) };
}
