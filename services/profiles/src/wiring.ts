import type { Connection } from 'mongoose';
import { createOrganisationLocks } from './data/organisation.locks';
import { organisationCollections, type CollectionLayout } from './data/organisation.model';
import { createOrganisationRepository } from './data/organisation.repository';
import { createPendingMarks } from './data/outbox.pending';
import { createOutboxStore } from './data/outbox.store';

/**
 * The profiles service's adapters on one database (main, seed, tests, benches): the partitioned
 * collections, the document locks, the pending marks, the organisation store and the outbox store
 * of the relay.
 */
export function createProfilesDeps(conn: Connection, opts: { layout?: CollectionLayout; relayLeaseMs?: number } = {}) {
  const collections = organisationCollections(conn, opts.layout);
  // One instance: the relay reads first the pending partitions this process's writes marked.
  const marks = createPendingMarks(collections);
  const locks = createOrganisationLocks(conn, marks);
  return {
    collections,
    locks,
    marks,
    store: createOrganisationRepository(collections, locks, marks),
    outbox: createOutboxStore(collections, locks, { marks, ...(opts.relayLeaseMs === undefined ? {} : { leaseMs: opts.relayLeaseMs }) }),
  };
}
export type ProfilesDeps = ReturnType<typeof createProfilesDeps>;
