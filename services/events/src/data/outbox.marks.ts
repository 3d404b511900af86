import { createPartitionedCollection, isDuplicateKeyError, withBusyRetry } from '@lm/mongo';
import type { Connection } from 'mongoose';

type MarkDoc = { _id: string; at: number };

/**
 * Partitions of the marks: they hold only unpublished work (hundreds during a burst), and an
 * idle relay reads every partition each round — few partitions keep idle rounds cheap.
 */
const MARK_PARTITIONS = 4;

/** `<collection>/<id>`: the aggregate a mark (and a relay claim) is about. */
export const aggregateId = (collection: string, id: string) => `${collection}/${id}`;
export function parseAggregate(aggregate: string): { collection: string; id: string } {
  const slash = aggregate.indexOf('/');
  return { collection: aggregate.slice(0, slash), id: aggregate.slice(slash + 1) };
}

/**
 * The relay's pending-work marks (`_id` = `<collection>/<id>`), so that finding unpublished
 * envelopes never scans the documents: FerretDB cannot serve `{'outbox.0': {$exists: true}}`
 * without reading and decoding every document of every partition. A writer marks a document
 * before writing envelopes into it (updates: under the document lock); the relay clears a mark
 * only under that lock after re-reading an empty outbox, so a mark never hides envelopes.
 */
export function createOutboxMarks(conn: Connection, now: () => number = Date.now) {
  const marks = createPartitionedCollection<MarkDoc>(conn, 'outbox_pending', MARK_PARTITIONS);
  return {
    async mark(collection: string, id: string): Promise<void> {
      const _id = aggregateId(collection, id);
      try {
        await withBusyRetry(() => marks.of(_id).insertOne({ _id, at: now() }));
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
      }
    },
    /** Up to `limit` marks, visiting partitions from `start` (rotated by the caller so none starves). */
    async page(limit: number, start: number): Promise<MarkDoc[]> {
      const parts = marks.all();
      const out: MarkDoc[] = [];
      for (let i = 0; i < parts.length && out.length < limit; i++)
        out.push(
          ...(await parts[(start + i) % parts.length]!.find({})
            .limit(limit - out.length)
            .toArray()),
        );
      return out;
    },
    async clear(aggregates: string[]): Promise<void> {
      await Promise.all(aggregates.map((a) => withBusyRetry(() => marks.of(a).deleteOne({ _id: a }))));
    },
    async count(): Promise<number> {
      let n = 0;
      for (const c of marks.all()) n += await c.countDocuments({});
      return n;
    },
    partitions: MARK_PARTITIONS,
  };
}
export type OutboxMarks = ReturnType<typeof createOutboxMarks>;
