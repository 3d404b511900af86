import type { Envelope } from '@lm/contracts';
import {
  countFromStats,
  createInsertConfirmation,
  createPartitionedCollection,
  deleteByIds,
  insertManyIgnoringDuplicates,
  withBusyRetry,
  type PartitionedCollection,
} from '@lm/mongo';
import type { Connection } from 'mongoose';

/**
 * A write's envelopes (JSON text, as the document's outbox stores them) waiting for the relay:
 * `agg` is the document (`<collection>/<id>`), `v` the version the write gave it. `env` is absent only in marks of the layout before session 10 (one
 * mark per document, the envelopes only in its outbox), converted on start. `clear`: the last
 * chunk of a large outbox, which the relay empties in the document once it is published. `t`: an
 * insert's token — marked before the document is written, published only once the document
 * carries that token (`insertToken`, see {@link insertConfirmation}).
 */
export type MarkDoc = { _id: string; agg: string; v: number; env?: string[]; at: number; clear?: boolean; t?: string };

/**
 * Partitions of the marks: they hold only unpublished work (hundreds during a burst), and an
 * idle relay reads every partition each round — few partitions keep idle rounds cheap.
 */
export const MARK_PARTITIONS = 4;
/**
 * Envelopes per mark, and so at most per relay claim: a publish at 1,000 participants writes
 * 2,000 envelopes (~2 MB); in marks of 200 each mark document and each relay round stays small
 * (the producer also splits what it sends into requests under the broker's 1 MiB batch limit).
 */
export const MAX_EVENTS_PER_MARK = 200;
/** An outbox larger than this is emptied by the relay once published (a published schedule's: ~2 MB that every later read would decode). */
const CLEAR_ABOVE = MAX_EVENTS_PER_MARK;

/** The field of a document inserted with envelopes that stores its insert's token. */
export const INSERT_TOKEN = 'insertToken';
/**
 * Inserts with envelopes (requests, attendance, feedback) take no lock: their marks go first,
 * carrying a token the document then stores, and the relay publishes them once it reads that
 * token (@lm/mongo insert.confirmation). An insert's marks whose document is not there a minute
 * later are dropped (its writer crashed; writers give up 20 s after marking).
 */
export const insertConfirmation = createInsertConfirmation({ tokenField: INSERT_TOKEN, graceMs: 60_000 });

/** `<collection>/<id>`: the document a mark is about. */
export const aggregateId = (collection: string, id: string) => `${collection}/${id}`;
export function parseAggregate(aggregate: string): { collection: string; id: string } {
  const slash = aggregate.indexOf('/');
  return { collection: aggregate.slice(0, slash), id: aggregate.slice(slash + 1) };
}
/** Zero-padded: a document's marks sort by version, then chunk (an insert's carry its token: racing inserts of one id each have their own). */
const markId = (agg: string, v: number, chunk: number, token?: string) =>
  `${agg}:${String(v).padStart(10, '0')}:${String(chunk).padStart(4, '0')}${token ? `:${token}` : ''}`;

/**
 * The relay's pending work: one mark per write with envelopes, carrying them, so the relay never
 * reads, locks or rewrites the documents (NOTES.md: every statement on FerretDB costs, and the
 * relay used to spend ~8 per written document). An update inserts the marks of its write under
 * the document's lock, right after the document write (state + envelopes in one document); a
 * crash in between leaves the lock, and whoever finds it expired marks the document's outbox
 * again first ({@link outboxRepair}). An insert marks first, with its token (`t`), and the relay
 * waits for the document with that token. All marks of one document live in one partition,
 * inserted in version order, so an unsorted page reads them in that order.
 */
export function createOutboxMarks(conn: Connection, now: () => number = Date.now) {
  const marks: PartitionedCollection<MarkDoc> = createPartitionedCollection<MarkDoc>(conn, 'outbox_pending', MARK_PARTITIONS);
  return {
    /**
     * Marks the envelopes `version` of `<collection>/<id>` wrote (in chunks of {@link
     * MAX_EVENTS_PER_MARK}); `token`: an insert's, marked before its document. Returns the marks' ids.
     */
    async add(collection: string, id: string, version: number, envelopes: string[], token?: string): Promise<string[]> {
      if (!envelopes.length) return [];
      const agg = aggregateId(collection, id);
      const docs: MarkDoc[] = [];
      for (let i = 0; i < envelopes.length; i += MAX_EVENTS_PER_MARK) {
        const last = i + MAX_EVENTS_PER_MARK >= envelopes.length;
        const env = envelopes.slice(i, i + MAX_EVENTS_PER_MARK);
        docs.push({
          _id: markId(agg, version, i / MAX_EVENTS_PER_MARK, token),
          agg,
          v: version,
          env,
          at: now(),
          ...(last && envelopes.length > CLEAR_ABOVE ? { clear: true } : {}),
          ...(token ? { t: token } : {}),
        });
      }
      await insertManyIgnoringDuplicates(marks.of(agg), docs);
      return docs.map((d) => d._id);
    },
    /** Deletes marks of `<collection>/<id>` that must never be published (an insert that failed). */
    async discard(collection: string, id: string, ids: string[]): Promise<void> {
      await withBusyRetry(() => marks.of(aggregateId(collection, id)).deleteMany({ _id: { $in: ids } }));
    },
    /**
     * Up to `limit` marks of one partition, unsorted: the engine's natural order, which is
     * insertion order (SQLite rowid), and an unsorted `limit` stops reading early on FerretDB.
     */
    page: (partition: number, limit: number): Promise<MarkDoc[]> => marks.all()[partition]!.find({}).limit(limit).toArray(),
    /** Deletes exactly these marks of one partition (see `deleteByIds`: `small`, the page read was the whole partition). */
    remove: (partition: number, ids: string[], small: boolean): Promise<void> => deleteByIds(marks.all()[partition]!, ids, small),
    /** Marks in all partitions, from the engine's statistics: counting documents would decode every mark and its envelopes on each /metrics scrape. */
    async count(): Promise<number> {
      let n = 0;
      for (const col of marks.all()) n += await countFromStats(col);
      return n;
    },
    partitions: MARK_PARTITIONS,
    collection: marks,
  };
}
export type OutboxMarks = ReturnType<typeof createOutboxMarks>;

/** A collection whose documents carry an outbox; `partitions` as its repository lays it out. */
export type OutboxCollection = string | { name: string; partitions: number };

/** The outbox as stored: JSON text since session 10, documents before. */
type OutboxDoc = { _id: string; version?: number; outbox?: (string | Envelope)[] };

/** The outbox collections by name, laid out as their repositories write them. */
export function outboxCollections(conn: Connection, collections: OutboxCollection[]): Map<string, PartitionedCollection<OutboxDoc>> {
  return new Map(
    collections.map((c) =>
      typeof c === 'string'
        ? [c, createPartitionedCollection<OutboxDoc>(conn, c, 1)]
        : [c.name, createPartitionedCollection<OutboxDoc>(conn, c.name, c.partitions)],
    ),
  );
}

/**
 * Marks a document's outbox again — the envelopes of its last write — when its lock
 * (`<collection>:<id>`) is found expired: its holder crashed, maybe between the document write
 * and the marks. Runs before the lock is removed, so before the next write replaces the outbox.
 * Envelopes already published go out a second time (same ids: consumers drop them), none is lost.
 */
export function outboxRepair(conn: Connection, collections: OutboxCollection[], marks: OutboxMarks): (lockKey: string) => Promise<void> {
  const byName = outboxCollections(conn, collections);
  return async (lockKey) => {
    const colon = lockKey.indexOf(':');
    const col = byName.get(lockKey.slice(0, colon));
    if (!col) return;
    const id = lockKey.slice(colon + 1);
    const doc = await col.of(id).findOne({ _id: id }, { projection: { outbox: 1, version: 1 } });
    const envelopes = (doc?.outbox ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
    await marks.add(lockKey.slice(0, colon), id, doc?.version ?? 1, envelopes);
  };
}
