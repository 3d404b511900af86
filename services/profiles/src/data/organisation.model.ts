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
 * right after the organisation's write (under its `org:<id>` lock) and deleted by the relay
 * once published — so the relay finds and publishes pending work without reading organisations.
 *
 * Before session 9 a mark was `{_id: <organisation id>, at, from}` ("publish the outbox from
 * version `from` on"): such legacy marks are converted on start (`migrateLegacyMarks`).
 */
export type PendingDoc = { _id: string; at: number; org?: string; v?: number; env?: string; /** legacy marks only */ from?: number };

export interface OrganisationCollections {
  orgs: PartitionedCollection<OrganisationDoc>;
  keys: PartitionedCollection<KeyDoc>;
  pending: PartitionedCollection<PendingDoc>;
}

export interface CollectionLayout {
  /** Organisation and key documents are spread over this many collections each (see @lm/mongo partitioned.collection). */
  partitions?: number;
  pendingPartitions?: number;
}

export const DEFAULT_LAYOUT = { partitions: 256, pendingPartitions: 16 } as const;

export function organisationCollections(conn: Connection, layout: CollectionLayout = {}): OrganisationCollections {
  const partitions = layout.partitions ?? DEFAULT_LAYOUT.partitions;
  const pendingPartitions = layout.pendingPartitions ?? DEFAULT_LAYOUT.pendingPartitions;
  // Same hash: the marks of one pending partition belong to partitions / pendingPartitions
  // organisation partitions, which the relay reads with one query each.
  if (partitions % pendingPartitions !== 0) throw new Error(`pendingPartitions (${pendingPartitions}) must divide partitions (${partitions})`);
  return {
    orgs: createPartitionedCollection<OrganisationDoc>(conn, 'organisations', partitions),
    keys: createPartitionedCollection<KeyDoc>(conn, 'organisation_keys', partitions),
    pending: createPartitionedCollection<PendingDoc>(conn, 'organisation_outbox_pending', pendingPartitions),
  };
}
