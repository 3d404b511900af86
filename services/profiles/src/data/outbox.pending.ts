import { isDuplicateKeyError, withBusyRetry } from '@lm/mongo';
import type { OrganisationCollections, PendingDoc } from './organisation.model';
import { groupBy } from '../domain/batching';

/**
 * The pending-work marks (`_id` = organisation id) the relay reads instead of scanning the
 * organisations: their collections hold only what is waiting, so reading a page of them
 * costs the same at 1,000 or 100,000 organisations.
 */
export function createPendingMarks(c: OrganisationCollections, now: () => number = Date.now) {
  return {
    /** Marks `id` as pending from `version` on; true when it was not marked before (everything earlier was published). */
    async mark(id: string, version: number): Promise<boolean> {
      try {
        await withBusyRetry(() => c.pending.of(id).insertOne({ _id: id, at: now(), from: version }));
        return true;
      } catch (e) {
        if (isDuplicateKeyError(e)) return false;
        throw e;
      }
    },

    /** Marks new organisations (version 1). */
    async markMany(ids: string[]): Promise<void> {
      for (const group of groupBy(ids, (id) => c.pending.indexOf(id))) {
        await withBusyRetry(() =>
          c.pending.of(group[0]!).insertMany(
            group.map((id) => ({ _id: id, at: now(), from: 1 })),
            { ordered: false },
          ),
        ).catch((e: unknown) => {
          if (!isDuplicateKeyError(e)) throw e;
        });
      }
    },

    /** The marks of `ids`: one `{_id}` read each (see @lm/mongo `findEach` for why never `$in`). */
    getMany: (ids: string[]): Promise<Map<string, PendingDoc>> => c.pending.findEach(ids),

    /**
     * Caller holds the organisations' `org:<id>` locks, so no writer marks them meanwhile. One
     * `deleteMany($in)` per partition: on FerretDB that decodes the partition's marks in Go once
     * (small documents) and holds the write lock for one `DELETE`; a `deleteOne({_id})` per mark
     * would scan the table under the write lock once per mark (measured with 5,752 marks in a
     * partition: 100 marks 1.0–1.2 s vs 2–7 s, and every insert of the API waited behind them).
     */
    async clearMany(ids: string[]): Promise<void> {
      for (const group of groupBy(ids, (id) => c.pending.indexOf(id))) {
        await withBusyRetry(() => c.pending.of(group[0]!).deleteMany({ _id: { $in: group } }));
      }
    },

    /** Up to `limit` marks, visiting partitions from `start` (rotated by the caller so no partition starves). */
    async page(limit: number, start: number): Promise<PendingDoc[]> {
      const parts = c.pending.all();
      const out: PendingDoc[] = [];
      for (let i = 0; i < parts.length && out.length < limit; i++) {
        out.push(
          ...(await parts[(start + i) % parts.length]!.find({})
            .limit(limit - out.length)
            .toArray()),
        );
      }
      return out;
    },

    /**
     * Marks in all partitions from the engine's collection statistics (`$collStats` count:
     * SQLite's page statistics on FerretDB, metadata on MongoDB). `countDocuments` would decode
     * every mark in Go on FerretDB — 100,000 documents on each /metrics scrape after a seed.
     */
    async count(): Promise<number> {
      let n = 0;
      for (const col of c.pending.all()) {
        const stats = await col
          .aggregate<{ count?: number }>([{ $collStats: { count: {} } }])
          .toArray()
          // A partition that never had a mark does not exist yet (NamespaceNotFound).
          .catch((e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e)));
        n += stats[0]?.count ?? 0;
      }
      return n;
    },
  };
}
export type PendingMarks = ReturnType<typeof createPendingMarks>;
