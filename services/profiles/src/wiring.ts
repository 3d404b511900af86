import type { Connection } from 'mongoose';
import { migrateLayout } from './data/layout.migration';
import { createOrganisationLocks } from './data/organisation.locks';
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
    /** Before the service writes: what older layouts left is brought to this one, each step once per database (data/layout.migration). */
    migrateLayout: (onProgress?: (step: string, n: number) => void) => migrateLayout(conn, collections, marks, onProgress),
    store: createOrganisationRepository(collections, locks, marks),
    outbox: createOutboxStore(collections, locks, { marks, ...(opts.relayLeaseMs === undefined ? {} : { leaseMs: opts.relayLeaseMs }) }),
  };
}
export type ProfilesDeps = ReturnType<typeof createProfilesDeps>;
