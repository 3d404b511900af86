import type { Envelope } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { createPartitionedCollection, isDuplicateKeyError, withBusyRetry, type DocumentLocks, type PartitionedCollection } from '@lm/mongo';
import type { Connection, mongo } from 'mongoose';
import type { PageFilter, VersionedStore } from '../domain/events.ports';
import { documentBusy, documentLockKey } from './document.locks';
import { INSERT_TOKEN, insertConfirmation, type OutboxMarks } from './outbox.marks';

export type Doc = Record<string, unknown> & { _id: string };

/** Reads never carry the outbox (a publish's holds one envelope per meeting) nor its bookkeeping. */
export const WITHOUT_OUTBOX = { projection: { outbox: 0, [INSERT_TOKEN]: 0 } } as const;
/** Partitions a scan reads at once (each is one small table). */
const SCAN_CONCURRENCY = 8;
/** Partitions a page reads first, before it knows how many rows a partition gives. */
const FIRST_PAGE_BATCH = 2;

/** How many partitions to read next for `limit - found` more rows, from what `read` partitions gave. */
export function nextPageBatch(found: number, read: number, limit: number): number {
  const perPartition = Math.max(found / Math.max(read, 1), 1);
  return Math.min(SCAN_CONCURRENCY, Math.max(1, Math.ceil((limit - found) / perPartition)));
}

/**
 * Envelopes are stored as JSON text, in the document's outbox and in the relay's marks: FerretDB
 * decodes every document a filtered read touches, and an envelope as a nested document tripled
 * the cost of scanning a request partition (100 requests: 158 ms vs 56 ms as text, 51 ms without).
 */
const serialised = (outbox: Envelope[]): string[] => outbox.map((e) => JSON.stringify(e));

/** Stored shape → plain object: `_id` becomes `id`, outbox bookkeeping stays inside the repository. */
export function toPlain<T>(doc: Doc | null): T | undefined {
  if (!doc) return undefined;
  const { _id, outbox: _o, [INSERT_TOKEN]: _t, ...rest } = doc;
  return { id: _id, ...rest } as T;
}

/** Domain field conditions → a Mongo filter (`id` is `_id`; an array means `$in`). */
function toQuery(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k === 'id' ? '_id' : k, Array.isArray(v) ? { $in: v } : v]));
}

function pageQuery<T>({ where, anyOf }: PageFilter<T>): Record<string, unknown> {
  const query: Record<string, unknown> = toQuery(where);
  if (anyOf?.length) query.$or = anyOf.map(toQuery);
  return query;
}

/** Every partition's answer to `read`, a few partitions at a time (one round trip each). */
async function readPartitions<R>(cols: mongo.Collection<Doc>[], read: (c: mongo.Collection<Doc>) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let p = 0; p < cols.length; p += SCAN_CONCURRENCY)
    for (const rows of await Promise.all(cols.slice(p, p + SCAN_CONCURRENCY).map(read))) out.push(...rows);
  return out;
}

/**
 * Work that must happen under the document's lock around one update: `before` ahead of the write,
 * `after` once it is done (`undefined`: the version check failed, nothing was written). Another
 * writer of the document cannot come in between (see the schedules' agendas).
 */
export interface UpdateHooks<T> {
  before?: () => Promise<void>;
  after?: (saved: T | undefined) => Promise<void>;
}

/**
 * How a collection's documents are stored, where that differs from the domain shape (the
 * schedules' large parts as JSON text, see schedule.stored).
 */
export interface StoredForm {
  /** Domain fields → stored fields: a whole new document, or the fields an update sets. */
  encode(fields: Record<string, unknown>): Record<string, unknown>;
  /** A stored document → domain fields; throws when it does not hold what the domain relies on. */
  decode(doc: Doc): Doc;
}
const AS_STORED: StoredForm = { encode: (fields) => fields, decode: (doc) => doc };

/** The fields of `doc` that `changes` does not replace (no need to decode what is overwritten). */
const unchangedBy = (doc: Doc, changes: Record<string, unknown>): Doc => Object.fromEntries(Object.entries(doc).filter(([k]) => !(k in changes))) as Doc;

export interface VersionedStoreOptions {
  /** Hash partitions of the collection (`<name>_pNN`); 1 keeps the single collection `<name>`. */
  partitions?: number;
  /** Pending-work marks of the outbox relay: an update with envelopes marks them right after its write, under the document's lock; an insert marks them first, with its token. */
  marks?: OutboxMarks;
  /** Stored form of the documents (default: as the domain has them). */
  form?: StoredForm;
}

/**
 * One collection of versioned documents. Every change is a compare-and-set on `version`, and
 * the envelopes of the change are set as the document's `outbox` in that same single-document
 * update (state and events are stored together or not at all); the outbox relay's marks of them
 * follow under the document's lock (see outbox.marks). On FerretDB the `{_id, version}` filter
 * alone is not a compare-and-set (concurrent writers all match, the last one wins), so the
 * version is read and the update written under the document's lock, with no other writer in
 * between. Inserts without envelopes need no lock: the unique `_id` lets exactly one inserter win.
 *
 * Large collections (participants, requests) are hash-partitioned by `_id`: FerretDB reads a
 * whole table even for `{_id}`, so each get/insert/update touches one small table. Filtered
 * reads scan the partitions; pages walk them in order (partition, then `_id`), so a page reads
 * the few partitions it needs, not the whole collection (see NOTES.md, events query shapes).
 */
export function versionedStore<T extends { id: string; version: number }>(
  conn: Connection,
  name: string,
  locks: DocumentLocks,
  opts: VersionedStoreOptions = {},
): VersionedStore<T> & {
  collection: PartitionedCollection<Doc>;
  updateWith(id: string, expectedVersion: number, changes: Partial<T>, outbox?: Envelope[], hooks?: UpdateHooks<T>): Promise<T | undefined>;
} {
  const collection = createPartitionedCollection<Doc>(conn, name, opts.partitions ?? 1);
  const form = opts.form ?? AS_STORED;
  const plain = (doc: Doc | null) => toPlain<T>(doc && form.decode(doc));
  async function updateWith(id: string, expectedVersion: number, changes: Partial<T>, outbox: Envelope[] = [], hooks: UpdateHooks<T> = {}) {
    const { id: _id, version: _v, ...set } = changes as Record<string, unknown>;
    const stored = serialised(outbox);
    // The outbox holds the envelopes of the document's last write only: those of earlier writes
    // are marked already (the relay publishes from the marks and never rewrites the document).
    const storedSet = form.encode(set);
    const update: Record<string, unknown> = { $set: opts.marks ? { ...storedSet, outbox: stored } : storedSet, $inc: { version: 1 } };
    return locks.withLock(
      documentLockKey(name, id),
      async () => {
        await hooks.before?.();
        // The version check is a read by `_id`, and the write an update by `_id`: the one filter
        // FerretDB serves from its index. `findOneAndUpdate({_id, version})` decoded every
        // document of the table in Go (a request partition, or every event's ~2 MB schedule);
        // under the lock nobody writes in between, so this is the same compare-and-set.
        const current = await collection.of(id).findOne({ _id: id }, WITHOUT_OUTBOX);
        let saved: T | undefined;
        if (current?.version === expectedVersion) {
          // A busy write did not happen: repeating it is safe.
          await withBusyRetry(() => collection.of(id).updateOne({ _id: id }, update));
          saved = toPlain<T>({ ...form.decode(unchangedBy(current, set)), ...set, version: expectedVersion + 1 });
        }
        // Marked after the write, under the lock: a crash in between leaves the lock, and whoever
        // finds it expired marks this outbox first (outbox.marks `outboxRepair`).
        if (saved && stored.length) await opts.marks?.add(name, id, saved.version, stored);
        await hooks.after?.(saved);
        return saved;
      },
      documentBusy(name, id),
    );
  }
  return {
    collection,
    async get(id) {
      return plain(await collection.of(id).findOne({ _id: id }, WITHOUT_OUTBOX));
    },
    async insert(doc, outbox = []) {
      const { id, ...rest } = doc;
      const stored = serialised(outbox);
      const write = (token?: string) => () =>
        collection.of(id).insertOne({ _id: id, ...form.encode(rest), outbox: stored, ...(token ? { [INSERT_TOKEN]: token } : {}) } as Doc);
      const duplicate = () => new AppError('duplicate', `${name} already exists`);
      if (!stored.length || !opts.marks) {
        try {
          await withBusyRetry(write());
        } catch (e) {
          if (isDuplicateKeyError(e)) throw duplicate();
          throw AppError.unavailable('mongo', e);
        }
        return doc;
      }
      // With envelopes: marked first, as the insert's (its token, also stored in the document):
      // the relay publishes such marks only once the document with that token is there, so an
      // insert that failed — or lost to another insert of the same id — is never published, and
      // a crash after the insert loses nothing. No lock: two writes fewer than an update's way.
      const marks = opts.marks;
      const token = insertConfirmation.newToken();
      const markedAt = Date.now();
      let outcome;
      try {
        const marked = await marks.add(name, id, doc.version, stored, token);
        // Not written (a duplicate, or too late after the mark): its marks go at once.
        outcome = await insertConfirmation.insert(markedAt, write(token), () => marks.discard(name, id, marked));
      } catch (e) {
        // Maybe stored (an answer lost on the way): the relay decides by the document's token.
        throw AppError.unavailable('mongo', e);
      }
      if (outcome === 'duplicate') throw duplicate();
      if (outcome === 'late') throw documentBusy(name, id)();
      return doc;
    },
    update: (id, expectedVersion, changes, outbox = []) => updateWith(id, expectedVersion, changes, outbox),
    updateWith,
    async find(filter) {
      const query = toQuery(filter as Record<string, unknown>);
      const docs = await readPartitions(collection.all(), (c) => c.find(query, WITHOUT_OUTBOX).toArray());
      // Partition order is an artefact of the layout: callers (the scheduler) get id order.
      return docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).map((d) => plain(d)!);
    },
    async page(filter, { after, limit }) {
      const query = pageQuery(filter);
      const start = after === undefined ? 0 : collection.indexOf(after);
      const cols = collection.all();
      const rows: Doc[] = [];
      // Partitions are read a few at a time (one round trip each), until the page is full: as
      // many at once as the rows per partition seen so far say the rest of the page needs. Each
      // read decodes its whole partition in FerretDB (a filter other than `_id` is not pushed
      // down), so the partitions a full page leaves unused were most of a page's cost.
      let [p, size] = [start, FIRST_PAGE_BATCH];
      while (p < cols.length && rows.length < limit) {
        const batch = cols.slice(p, p + size).map((c, k) => {
          const q = p + k === start && after !== undefined ? { ...query, _id: { $gt: after } } : query;
          return c
            .find(q, WITHOUT_OUTBOX)
            .sort({ _id: 1 })
            .limit(limit - rows.length)
            .toArray();
        });
        for (const docs of await Promise.all(batch)) rows.push(...docs);
        p += size;
        size = nextPageBatch(rows.length, p - start, limit);
      }
      return rows.slice(0, limit).map((d) => plain(d)!);
    },
  };
}
