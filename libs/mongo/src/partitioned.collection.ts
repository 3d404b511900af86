import type { Connection, mongo } from 'mongoose';

/** FNV-1a (32 bit) of the key: stable across processes and versions, cheap, well spread. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

export interface PartitionedCollection<T extends { _id: string }> {
  readonly partitions: number;
  /** The collection that holds `key`'s document. */
  of(key: string): mongo.Collection<T>;
  /** The partition number of `key` (to group a batch by partition). */
  indexOf(key: string): number;
  /** Every partition, in order (for scans over small collections, counts, drops). */
  all(): mongo.Collection<T>[];
  /**
   * The documents of `ids` (missing ones absent from the map), one `findOne({_id})` each,
   * `concurrency` at a time. Never a `{_id: {$in}}` read: FerretDB v1 pushes only a lone
   * `_id` equality down to SQLite and decodes every document of the table in Go for any other
   * filter (measured at 100,000 organisations: `$in` of 10 ids in a 433-document partition
   * 2–8 s, `findOne({_id})` 10–50 ms on the loaded machine; NOTES.md).
   */
  findEach(ids: string[], opts?: { projection?: mongo.Document; concurrency?: number }): Promise<Map<string, T>>;
}

/** `fn` over `items`, at most `limit` at a time. */
async function eachLimit<I>(items: I[], limit: number, fn: (item: I) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * One logical collection spread over `partitions` physical ones (`<name>_p<NN>`) by a hash of
 * `_id`. Why: FerretDB v1 on SQLite evaluates even `{_id: x}` by reading the whole table, so
 * a lookup, update or delete costs in proportion to the collection (verified: 100,000
 * documents of ~3 KB → findOne 0.5 s, updateOne 1.9 s; inserts stay ~2 ms because the unique
 * `_id` index is used for them). With hashed partitions each `_id` operation reads one small
 * table. On MongoDB the split is harmless. The partition count is part of the data layout:
 * changing it needs a migration (documents would be looked up in the wrong partition).
 */
export function createPartitionedCollection<T extends { _id: string }>(conn: Connection, name: string, partitions: number): PartitionedCollection<T> {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 4096) throw new Error(`partitions must be an integer in [1, 4096], got ${partitions}`);
  const width = String(partitions - 1).length;
  const cols = Array.from({ length: partitions }, (_, i) => conn.db!.collection<T>(partitions === 1 ? name : `${name}_p${String(i).padStart(width, '0')}`));
  return {
    partitions,
    of: (key) => cols[partitionOf(key, partitions)]!,
    indexOf: (key) => partitionOf(key, partitions),
    all: () => cols,
    async findEach(ids, opts = {}) {
      const found = new Map<string, T>();
      await eachLimit([...new Set(ids)], opts.concurrency ?? 8, async (id) => {
        const doc = await cols[partitionOf(id, partitions)]!.findOne({ _id: id } as mongo.Filter<T>, opts.projection ? { projection: opts.projection } : {});
        if (doc) found.set(id, doc as T);
      });
      return found;
    },
  };
}
