import type { OrganisationEvent } from '@lm/contracts';
import { writeForEvent } from '../domain/organisation-doc';
import { buildReverseQuery } from '../domain/scoring/match-query';
import type { WriteOutcome } from '../data/organisation.index';
import type { MatchingDeps } from './deps';
import { recomputeTopN } from './recompute-topn.usecase';

export interface ApplyResult {
  applied: number;
  stale: number;
  recomputed: number;
  events: number;
}

/**
 * The companies whose top-N a change of `ids` may affect, without rescanning everyone:
 * a changed company itself; for a changed candidate, the companies it could serve (reverse
 * query) and those already listing it; for a deleted one, those listing it. Bounded per id.
 */
async function affectedCompanies(deps: MatchingDeps, ids: string[]) {
  const max = deps.settings.maxRecomputePerEvent;
  const docs = await deps.index.getMany(ids);
  const affected = new Set<string>();
  const deleted = new Set<string>();
  const candidates = docs.filter((d) => d && d.kind !== 'company');
  const [reverse, listing] = await Promise.all([
    deps.index.msearch(candidates.map((c) => buildReverseQuery(c!, max, deps.weights))),
    Promise.all(ids.map((id) => deps.topn.companiesListing(id, max))),
  ]);
  ids.forEach((id, i) => {
    const doc = docs[i];
    if (!doc) deleted.add(id);
    if (!doc || doc.kind === 'company') affected.add(id); // a deleted company withdraws its whole top-N
    for (const companyId of listing[i]!) affected.add(companyId);
  });
  for (const res of reverse) for (const hit of res.hits.hits.slice(0, max)) affected.add(hit._id!);
  return { affected: [...affected], deleted };
}

/**
 * Profile events → index (external versions: stale and duplicate writes are refused per item
 * and ignored) → recompute the affected companies' top-N and publish the differences.
 * Recomputation runs even for stale writes: after a crash between the index write and the
 * publish, the re-delivered event is stale but its matches were never published; the diff
 * against the stored top-N makes the repeat emit only what is missing.
 */
export async function applyOrganisationEvents(deps: MatchingDeps, events: OrganisationEvent[], opts: { recompute?: boolean } = {}): Promise<ApplyResult> {
  const outcomes: WriteOutcome[] = await deps.index.bulkWrite(events.map(writeForEvent));
  const result: ApplyResult = { applied: outcomes.filter((o) => o === 'applied').length, stale: outcomes.filter((o) => o === 'stale').length, recomputed: 0, events: 0 };
  if (result.stale) deps.logger.debug({ stale: result.stale }, 'stale or duplicate profile events ignored');
  if (opts.recompute === false) return result;
  await deps.index.refresh();
  const ids = [...new Set(events.map((e) => (e.type === 'organisation.upserted' ? e.data.organisation.id : e.data.id)))];
  const { affected, deleted } = await affectedCompanies(deps, ids);
  result.recomputed = affected.length;
  result.events = await recomputeTopN(deps, affected, { deletedCandidates: deleted });
  return result;
}
