import { AppError } from '@lm/errors';
import { createDocumentLocks, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';

export const LOCKS_COLLECTION = 'document_locks';

/**
 * The events service's per-document locks (see @lm/mongo document.locks): on FerretDB a
 * `{_id, version}` update filter is not a compare-and-set, so every write of a versioned
 * document (use-case updates and the outbox relay's clear) runs under `<collection>:<id>`.
 */
export function createEventsLocks(conn: Connection): DocumentLocks {
  return createDocumentLocks(conn, { collection: LOCKS_COLLECTION });
}

export const documentLockKey = (collection: string, id: string) => `${collection}:${id}`;

/** Waited too long for another writer of the same document: the client may simply retry. */
export const documentBusy = (collection: string, id: string) => () => AppError.busy(`${collection} ${id}`);
