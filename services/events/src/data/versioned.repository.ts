import { AppError } from '@lm/errors';
import { isDuplicateKeyError, withBusyRetry, type DocumentLocks } from '@lm/mongo';
import type { Connection, mongo } from 'mongoose';
import type { VersionedStore } from '../domain/ports';
import { documentBusy, documentLockKey } from './document.locks';

type Doc = Record<string, unknown> & { _id: string };

/** Stored shape → plain object: `_id` becomes `id`, outbox bookkeeping stays inside the repository. */
function toPlain<T>(doc: Doc | null): T | undefined {
  if (!doc) return undefined;
  const { _id, outbox: _o, ...rest } = doc;
  return { id: _id, ...rest } as T;
}

/** Domain field conditions → a Mongo filter (`id` is `_id`; an array means `$in`). */
function toQuery(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k === 'id' ? '_id' : k, Array.isArray(v) ? { $in: v } : v]));
}

/**
 * One collection of versioned documents. Every change is a compare-and-set on `version`, and
 * the envelopes of the change are appended to the document's own `outbox` array in that same
 * single-document update. On FerretDB the `{_id, version}` filter alone is not a
 * compare-and-set (concurrent writers all match, the last one wins), so the update runs under
 * the document's lock: the filter is then evaluated with no other writer in between.
 * Inserts need no lock: the unique `_id` already lets exactly one inserter win.
 */
export function versionedStore<T extends { id: string; version: number }>(conn: Connection, name: string, locks: DocumentLocks): VersionedStore<T> & { collection: mongo.Collection<Doc> } {
  const collection = conn.db!.collection<Doc>(name);
  return {
    collection,
    async get(id) {
      return toPlain<T>(await collection.findOne({ _id: id }));
    },
    async insert(doc, outbox = []) {
      const { id, ...rest } = doc;
      try {
        await withBusyRetry(() => collection.insertOne({ _id: id, ...rest, outbox } as Doc));
      } catch (e) {
        if (isDuplicateKeyError(e)) throw new AppError('duplicate', `${name} already exists`);
        throw AppError.unavailable('mongo', e);
      }
      return doc;
    },
    async update(id, expectedVersion, changes, outbox = []) {
      const { id: _id, version: _v, ...set } = changes as Record<string, unknown>;
      const update: Record<string, unknown> = { $set: set, $inc: { version: 1 } };
      if (outbox.length) update.$push = { outbox: { $each: outbox } };
      return locks.withLock(
        documentLockKey(name, id),
        async () => {
          // A busy write did not happen, and a repeat after a success no longer matches the version.
          const res = await withBusyRetry(() => collection.findOneAndUpdate({ _id: id, version: expectedVersion }, update, { returnDocument: 'after' }));
          return toPlain<T>(res as Doc | null);
        },
        documentBusy(name, id),
      );
    },
    async find(filter) {
      return (await collection.find(filter as Record<string, unknown>).toArray()).map((d) => toPlain<T>(d)!);
    },
    async page({ where, anyOf }, { after, limit }) {
      const query: Record<string, unknown> = { ...toQuery(where), ...(after ? { _id: { $gt: after } } : {}) };
      if (anyOf?.length) query.$or = anyOf.map(toQuery);
      const docs = await collection.find(query).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map((d) => toPlain<T>(d)!);
    },
  };
}
