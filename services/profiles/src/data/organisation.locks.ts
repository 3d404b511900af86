import { createDocumentLocks, type DocumentLockOptions, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';

export const LOCKS_COLLECTION = 'organisation_locks';

/**
 * The profiles service's locks (see @lm/mongo document.locks for why every write of an
 * organisation document happens under one): `org:<id>` guards a document write,
 * `relay:<id>` is the outbox relay's longer lease on an organisation's pending events.
 */
export function createOrganisationLocks(conn: Connection, opts: Omit<DocumentLockOptions, 'collection'> = {}): DocumentLocks {
  return createDocumentLocks(conn, { collection: LOCKS_COLLECTION, ...opts });
}

export const orgLockKey = (id: string) => `org:${id}`;
export const relayLeaseKey = (id: string) => `relay:${id}`;
