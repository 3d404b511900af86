import { createDocumentLocks, withBusyRetry, type DocumentLockOptions, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { PendingMarks } from './outbox.pending';

export const LOCKS_COLLECTION = 'organisation_locks';

const ORG_LOCK_PREFIX = 'org:';
export const orgLockKey = (id: string) => `${ORG_LOCK_PREFIX}${id}`;
/** The outbox relay's lease on one pending partition (see outbox.store). */
export const relayPartitionKey = (partition: number) => `relay:p${partition}`;

/**
 * The profiles service's locks (see @lm/mongo document.locks for why every write of an
 * organisation document happens under one): `org:<id>` guards a document write and its
 * pending mark, `relay:p<NN>` is an outbox relay's lease on a pending partition.
 *
 * A writer writes the document (state + event) and, beside it, the event's pending mark (flagged
 * `after`: the relay publishes it once the document shows its version), then releases
 * `org:<id>`. If it crashed in between, or could not withdraw the mark of an update that failed,
 * the lock is left behind: whoever finds it expired — the next writer, or a relay's sweep —
 * first repairs (outbox.pending `repair`): the document's outbox event is marked again, so it is
 * not lost (the next write replaces the outbox) and stays before the next version's mark; a
 * mark above the document's version is withdrawn, so it is never published.
 */
export function createOrganisationLocks(
  /** The locks database (organisation.model `sideDatabases`). */
  conn: Connection,
  marks: PendingMarks,
  opts: Omit<DocumentLockOptions, 'collection' | 'onExpired'> = {},
): DocumentLocks {
  return createDocumentLocks(conn, {
    collection: LOCKS_COLLECTION,
    ...opts,
    onExpired: async (key) => {
      if (key.startsWith(ORG_LOCK_PREFIX)) await marks.repair(key.slice(ORG_LOCK_PREFIX.length));
    },
  });
}

/**
 * Locks kept in the main database before session 10. The service of that version is stopped
 * before this one starts, so a lock left there belongs to a writer that crashed: its write is
 * repaired (the document's outbox event marked again) and the lock removed. Returns how many.
 */
export async function retireLegacyLocks(mainConn: Connection, marks: PendingMarks): Promise<number> {
  const col = mainConn.db!.collection<{ _id: string }>(LOCKS_COLLECTION);
  const left = await col.find({}, { projection: { _id: 1 } }).toArray();
  for (const lock of left) if (lock._id.startsWith(ORG_LOCK_PREFIX)) await marks.repair(lock._id.slice(ORG_LOCK_PREFIX.length));
  if (left.length) await withBusyRetry(() => col.deleteMany({ _id: { $in: left.map((l) => l._id) } }));
  return left.length;
}
