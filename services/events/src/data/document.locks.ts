import { AppError } from '@lm/errors';
import { createDocumentLocks, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';

export const LOCKS_COLLECTION = 'document_locks';

/**
 * The events service's per-document locks (see @lm/mongo document.locks): on FerretDB a
 * `{_id, version}` update filter is not a compare-and-set, so every write of a versioned
 * document (use-case updates, inserts with envelopes and the relay's clear of a large outbox)
 * runs under `<collection>:<id>`. `onExpired` repairs what a crashed holder left half done
 * (the outbox marks of its write, see outbox.marks `outboxRepair`).
 */
export function createEventsLocks(conn: Connection, onExpired?: (key: string) => Promise<void>): DocumentLocks {
  return createDocumentLocks(conn, { collection: LOCKS_COLLECTION, ...(onExpired ? { onExpired } : {}) });
}

export const documentLockKey = (collection: string, id: string) => `${collection}:${id}`;

/** Waited too long for another writer of the same document: the client may simply retry. */
export const documentBusy = (collection: string, id: string) => () => AppError.busy(`${collection} ${id}`);
