import type { Connection } from 'mongoose';
import { moveKeysFromMainDatabase } from './data/organisation.key-claims';
import { createOrganisationLocks, retireLegacyLocks } from './data/organisation.locks';
import { organisationCollections, sideDatabases, type CollectionLayout } from './data/organisation.model';
import { createOrganisationRepository } from './data/organisation.repository';
import { createPendingMarks } from './data/outbox.pending';
import { createOutboxStore } from './data/outbox.store';

/**
 * The profiles service's adapters on one database and its side databases (main, seed, tests,
 * benches): the partitioned collections, the document locks, the pending marks, the organisation
 * store and the outbox store of the relay.
 */
export function createProfilesDeps(conn: Connection, opts: { layout?: CollectionLayout; relayLeaseMs?: number } = {}) {
  const collections = organisationCollections(conn, opts.layout);
  // One instance: the relay reads first the pending partitions this process's writes marked.
  const marks = createPendingMarks(collections);
  const side = sideDatabases(conn);
  const locks = createOrganisationLocks(side.locks, marks);
  return {
    collections,
    locks,
    marks,
    /** The main database and its side databases (tests drop them all). */
    databases: { main: conn, ...side },
    /**
     * Before the service writes (older instances stopped): locks and marks that older layouts
     * left in the main database are repaired and moved, session-8 marks converted, key documents
     * moved to the keys database. Returns counts.
     */
    async migrateLayout(onProgress?: (step: string, n: number) => void) {
      const locksRetired = await retireLegacyLocks(conn, marks);
      const marksMoved = await marks.moveFromMainDatabase((n) => onProgress?.('moving pending marks to the outbox database', n));
      const marksConverted = await marks.migrateLegacyMarks((n) => onProgress?.('converting legacy pending marks', n));
      const keysMoved = await moveKeysFromMainDatabase(collections, (n) => onProgress?.('moving key documents to the keys database', n));
      return { locksRetired, marksMoved, marksConverted, keysMoved };
    },
    store: createOrganisationRepository(collections, locks, marks),
    outbox: createOutboxStore(collections, locks, { marks, ...(opts.relayLeaseMs === undefined ? {} : { leaseMs: opts.relayLeaseMs }) }),
  };
}
export type ProfilesDeps = ReturnType<typeof createProfilesDeps>;
