import type { mongo } from 'mongoose';
import { withBusyRetry } from './busy.retry';
import { isDuplicateKeyError } from './connection';

/**
 * Unordered inserts where a duplicate `_id` means the document is there already (a retry or a
 * repair of the same write, e.g. an outbox relay's pending mark). Any other refused document
 * (e.g. SQLite busy inside the batch) is inserted again or the error is thrown: nothing is
 * dropped silently.
 */
export async function insertManyIgnoringDuplicates<D extends mongo.Document>(
  col: mongo.Collection<D>,
  docs: mongo.OptionalUnlessRequiredId<D>[],
): Promise<void> {
  let todo = docs;
  for (let attempt = 1; todo.length; attempt++) {
    try {
      await withBusyRetry(() => col.insertMany(todo, { ordered: false }));
      return;
    } catch (e) {
      const errors = ([] as { index: number; code?: number }[]).concat((e as { writeErrors?: [] }).writeErrors ?? []);
      if (!errors.length && !isDuplicateKeyError(e)) throw e;
      const failed = errors.filter((w) => w.code !== 11000);
      if (failed.length && attempt >= 8) throw e;
      todo = failed.map((w) => todo[w.index]!);
    }
  }
}

/**
 * The documents of a collection from the engine's collection statistics (`$collStats` count:
 * SQLite's page statistics on FerretDB, metadata on MongoDB): `countDocuments` decodes every
 * document in Go on FerretDB. 0 for a collection that does not exist yet.
 */
export async function countFromStats<D extends mongo.Document>(col: mongo.Collection<D>): Promise<number> {
  const stats = await col
    .aggregate<{ count?: number }>([{ $collStats: { count: {} } }])
    .toArray()
    // A collection that never had a document does not exist yet (NamespaceNotFound).
    .catch((e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e)));
  return stats[0]?.count ?? 0;
}

/**
 * Deletes exactly the documents `ids` (a page of pending work read before; a document inserted
 * meanwhile has another `_id` and stays). `small`: the collection held little more than these
 * when they were read — one `deleteMany({_id: {$in}})`, which FerretDB runs by decoding the
 * table in Go once; else one round trip of `deleteOne({_id})`s, each served by the `_id` index
 * (~1 ms each whatever the table's size; `$in` over 1,800 documents: 230 ms, NOTES.md).
 */
export async function deleteByIds<D extends mongo.Document & { _id: string }>(col: mongo.Collection<D>, ids: string[], small: boolean): Promise<void> {
  if (!ids.length) return;
  const byId = (_id: string) => ({ _id }) as mongo.Filter<D>;
  if (small) await withBusyRetry(() => col.deleteMany({ _id: { $in: ids } } as mongo.Filter<D>));
  else
    await withBusyRetry(() =>
      col.bulkWrite(
        ids.map((_id) => ({ deleteOne: { filter: byId(_id) } })),
        { ordered: false },
      ),
    );
}
