import { createPartitionedCollection, type PartitionedCollection } from '@lm/mongo';
import type { Connection } from 'mongoose';

/**
 * One document per organisation: the current state (client fields + server fields), its keys
 * and the outbox of events not yet known to be published. Nested fields are validated by the
 * contracts' zod schemas before they get here.
 */
export type OrganisationDoc = {
  _id: string;
  kind: string;
  subtype: string;
  legalName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
  /** The organisation's upsert keys (see KeyDoc); removed on soft delete. */
  vatKey?: string;
  hostKey?: string;
  nameKey?: string;
  /**
   * The serialised envelope of the last write, written in the same update as the state (the
   * pending mark carries a copy for the relay; this one is what a crash before the mark leaves).
   */
  outbox: string[];
  /**
   * The token of the create that wrote this document: its mark was written first, as tentative,
   * and the relay publishes it only once this document carries the same token (outbox.pending).
   */
  creation?: string;
} & Record<string, unknown>;

/**
 * `_id` = `vat:<VAT>` | `host:<website host>` | `name:<legal name|province>` → the organisation
 * holding that key. VAT and website keys are exclusive (the insert of the key document is
 * what makes them unique); the name key is a lookup hint shared by first come.
 * A key document is only trusted when the organisation it names still carries the key.
 */
export type KeyDoc = { _id: string; org: string; at: number };

/**
 * One unpublished event: `_id` = `<organisation id>:<zero-padded version>`, in the pending
 * partition of its organisation (`pending.of(org)`), carrying the serialised envelope. Inserted
 * beside a patch's or delete's document write (`after`, under its `org:<id>` lock), right after
 * the documents of a batch (import, seed; under their locks), or, for a single create, just
 * before it as a tentative mark (`confirm`); deleted by the relay once published. The relay
 * finds and publishes pending work without reading organisations, but for one `{_id}` read per
 * organisation with a tentative or `after` mark in its page.
 *
 * Before session 9 a mark was `{_id: <organisation id>, at, from}` ("publish the outbox from
 * version `from` on"): such legacy marks are converted on start (`migrateLegacyMarks`).
 */
export type PendingDoc = {
  _id: string;
  at: number;
  org?: string;
  v?: number;
  env?: string;
  /**
   * Tentative (a create's mark, written before the document): published only when the
   * organisation's `creation` equals it; removed when another create won or none came in time.
   */
  confirm?: string;
  /**
   * Written beside its document's update (under the `org:<id>` lock), not after it: published
   * only once the organisation shows version `v` (or later); a phantom (its update never
   * landed) is withdrawn by its writer or by the lock's repair, or dropped after the grace.
   */
  after?: true;
  /** legacy marks only */
  from?: number;
};

export interface OrganisationCollections {
  orgs: PartitionedCollection<OrganisationDoc>;
  /** In the keys database (see sideDatabases). */
  keys: PartitionedCollection<KeyDoc>;
  /** In the outbox database (see sideDatabases). */
  pending: PartitionedCollection<PendingDoc>;
  /** Where key documents lived before session 11 (main database): moved on start (key-claims `moveKeysFromMainDatabase`). */
  legacyKeys: PartitionedCollection<KeyDoc>;
  /** Where marks lived before session 10 (main database): moved on start (`migrateLegacyMarks`). */
  legacyPending: PartitionedCollection<PendingDoc>;
}

const PENDING_COLLECTION = 'organisation_outbox_pending';
const KEYS_COLLECTION = 'organisation_keys';

export interface CollectionLayout {
  /** Organisation and key documents are spread over this many collections each (see @lm/mongo partitioned.collection). */
  partitions?: number;
  pendingPartitions?: number;
}

/**
 * The databases beside the main one (`<db>_keys`: upsert key documents, `<db>_outbox`: pending
 * marks, `<db>_locks`: document locks and relay leases). Why: FerretDB keeps each database in
 * its own SQLite file, and SQLite has one writer per file whose waiters poll (sleeping 1, 2, 5,
 * 10, 15, 20, 25… ms) — a create writes three keys, the document and its mark, a patch its
 * lock, the document, its mark and a renamed organisation's name keys, which in one file queue
 * behind each other and behind the relay. Measured (8 concurrent 3 KB inserts, loaded machine):
 * one database p95 22–56 ms, max 190–440 ms; spread over four, p95 14–19 ms, max 40–110 ms.
 * Nothing here needs cross-collection atomicity (there are no transactions on this engine). On
 * MongoDB the split is harmless.
 */
export function sideDatabases(conn: Connection): { keys: Connection; outbox: Connection; locks: Connection } {
  return {
    keys: conn.useDb(`${conn.name}_keys`, { useCache: true }),
    outbox: conn.useDb(`${conn.name}_outbox`, { useCache: true }),
    locks: conn.useDb(`${conn.name}_locks`, { useCache: true }),
  };
}

export const DEFAULT_LAYOUT = { partitions: 256, pendingPartitions: 16 } as const;

export function organisationCollections(conn: Connection, layout: CollectionLayout = {}): OrganisationCollections {
  const partitions = layout.partitions ?? DEFAULT_LAYOUT.partitions;
  const pendingPartitions = layout.pendingPartitions ?? DEFAULT_LAYOUT.pendingPartitions;
  // Same hash: the marks of one pending partition belong to partitions / pendingPartitions
  // organisation partitions, which the relay reads with one query each.
  if (partitions % pendingPartitions !== 0) throw new Error(`pendingPartitions (${pendingPartitions}) must divide partitions (${partitions})`);
  const side = sideDatabases(conn);
  return {
    orgs: createPartitionedCollection<OrganisationDoc>(conn, 'organisations', partitions),
    keys: createPartitionedCollection<KeyDoc>(side.keys, KEYS_COLLECTION, partitions),
    pending: createPartitionedCollection<PendingDoc>(side.outbox, PENDING_COLLECTION, pendingPartitions),
    legacyKeys: createPartitionedCollection<KeyDoc>(conn, KEYS_COLLECTION, partitions),
    legacyPending: createPartitionedCollection<PendingDoc>(conn, PENDING_COLLECTION, pendingPartitions),
  };
}
