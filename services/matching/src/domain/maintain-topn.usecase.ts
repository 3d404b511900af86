import type { OrganisationEvent } from '@lm/contracts';
import { writeForEvent } from './organisation-doc';
import { buildReverseQuery } from './scoring/match-query';
import type { FullPassGate, MatchingDeps } from './matching.ports';
import { recomputeTopN } from './recompute-topn.usecase';

/**
 * The companies whose top-N a change of `ids` may affect, without rescanning everyone:
 * a changed company itself; for a changed candidate, the companies it could serve (reverse
 * query) and those already listing it; for a deleted one, those listing it. Bounded per id.
 * `everyone`: the changes are many enough that every live company is affected (a full pass).
 */
async function affectedCompanies(deps: MatchingDeps, ids: string[]) {
  const max = deps.settings.maxRecomputePerEvent;
  const docs = await deps.index.getMany(ids);
  const affected = new Set<string>();
  const candidates = docs.filter((d) => d && d.kind !== 'company');
  // A bulk import changes thousands of candidates at once: their reverse queries could name
  // every company anyway (candidates × bound ≥ companies), and one reverse query per candidate
  // costs as much as the recompute itself. Then every live company is affected, once.
  const everyone = candidates.length > 1 && candidates.length * max >= (await deps.index.countLive('company'));
  const [reverse, listing] = await Promise.all([
    everyone ? Promise.resolve([]) : deps.index.msearch(candidates.map((c) => buildReverseQuery(c!, max, deps.weights))),
    deps.topn.companiesListingAny(ids, max),
  ]);
  ids.forEach((id, i) => {
    const doc = docs[i];
    if (!doc || doc.kind === 'company') affected.add(id); // a deleted company withdraws its whole top-N
    for (const companyId of listing.get(id) ?? []) affected.add(companyId);
  });
  for (const res of reverse) for (const hit of res.hits.hits.slice(0, max)) affected.add(hit._id!);
  return { affected, everyone };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The top-N worker follows the topic in its own group, so it may read an event before the
 * indexing group has written it. It waits (bounded) until the index holds each event's version
 * or a newer one; past the bound (the indexer is stuck or dead-lettered the event) it goes on
 * with what the index has — the next change of those organisations recomputes again.
 */
async function waitForIndex(deps: MatchingDeps, events: OrganisationEvent[]): Promise<void> {
  const wanted = new Map<string, number>();
  for (const e of events) {
    const w = writeForEvent(e);
    wanted.set(w.id, Math.max(wanted.get(w.id) ?? 0, w.esVersion));
  }
  const deadline = Date.now() + deps.settings.indexWaitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    const versions = await deps.index.versions([...wanted.keys()]);
    const behind = [...wanted].filter(([id, v]) => (versions.get(id) ?? 0) < v).map(([id]) => id);
    if (!behind.length) return;
    if (Date.now() > deadline) {
      deps.logger.warn(
        { behind: behind.slice(0, 20), count: behind.length, waitedMs: deps.settings.indexWaitMs },
        'index still behind the top-N worker; recomputing with what it has',
      );
      return;
    }
    await sleep(pause);
  }
}

/**
 * Profile events (a coalesced batch) → the affected companies, each recomputed once for the
 * whole batch → one suggestion message per company whose top-N changed enough. Idempotent:
 * re-delivered events diff against the stored (published) state and publish nothing twice.
 */
export async function maintainTopN(deps: MatchingDeps, events: OrganisationEvent[], gate?: FullPassGate): Promise<{ recomputed: number; events: number }> {
  if (!events.length) return { recomputed: 0, events: 0 };
  await waitForIndex(deps, events);
  // mget is real-time, searches are not: make the versions just seen searchable.
  await deps.index.refresh();
  const ids = [...new Set(events.map((e) => (e.type === 'organisation.upserted' ? e.data.organisation.id : e.data.id)))];
  const { affected, everyone } = await affectedCompanies(deps, ids);
  const pass = everyone ? await gate?.begin() : undefined;
  if (everyone) {
    // The rest of the burst, indexed while the gate waited, is searchable for this pass too.
    if (pass) await deps.index.refresh();
    for (const id of await deps.index.liveIds('company')) affected.add(id);
  }
  const published = await recomputeTopN(deps, [...affected]);
  pass?.covered();
  deps.logger.info(
    { profileEvents: events.length, organisations: ids.length, recomputed: affected.size, messages: published, fullPass: everyone },
    'top-N maintained',
  );
  return { recomputed: affected.size, events: published };
}
