import type { OrganisationCollections } from './organisation.model';
import type { OrganisationSearchIndex } from './organisation.search-index';
import { toOrganisation } from './organisation.repository';

/**
 * Rebuilds the search read model from the database (after the index was lost, or to build it
 * for a large existing data set without replaying the topic): every partition is read whole
 * (one unsorted scan each — the shape this engine serves well) and indexed in bulk under each
 * organisation's version, so it can run while the projection is live: the newer state wins.
 */
export async function rebuildSearchIndex(
  c: OrganisationCollections,
  index: OrganisationSearchIndex,
  onProgress?: (partitionsDone: number, partitions: number) => void,
): Promise<number> {
  let done = 0;
  for (const [p, col] of c.orgs.all().entries()) {
    // Only documents that are organisations (a stray document written by hand is skipped).
    const docs = (await col.find({}, { projection: { outbox: 0 } }).toArray()).filter(
      (d) => typeof d.legalName === 'string' && typeof (d.location as { province?: unknown } | undefined)?.province === 'string',
    );
    for (let i = 0; i < docs.length; i += 1000) {
      const states = docs.slice(i, i + 1000).map((d) => ({ organisation: toOrganisation(d), ...(d.deletedAt ? { deletedAt: String(d.deletedAt) } : {}) }));
      await index.apply(states);
      done += states.length;
    }
    onProgress?.(p + 1, c.orgs.partitions);
  }
  await index.refresh();
  return done;
}
