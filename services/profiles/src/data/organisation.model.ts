import type { Connection, Model } from 'mongoose';
import { Schema, mongo } from 'mongoose';

/**
 * One document per organisation: the current state (client fields + server fields), the keys
 * that enforce uniqueness, and the outbox of events not yet published. Nested fields are
 * validated by the contracts' zod schemas before they get here, so mongoose only maps them.
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
  /** Unique keys; removed on soft delete so a deleted profile does not block a new one. */
  vatKey?: string;
  hostKey?: string;
  nameKey: string;
  /** Serialised envelopes, oldest first (= version order), written in the same update as the state. */
  outbox: string[];
  /** Indexed flag: the relay looks for documents with something to publish. */
  outboxPending: boolean;
  relayOwner?: string;
  /** Epoch ms until which `relayOwner` alone may publish this document's outbox. */
  relayLeaseUntil?: number;
};

const organisationSchema = new Schema<OrganisationDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    subtype: { type: String, required: true },
    legalName: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    deletedAt: { type: String },
    vatKey: { type: String },
    hostKey: { type: String },
    nameKey: { type: String, required: true },
    outbox: { type: [String], default: [] },
    outboxPending: { type: Boolean, default: false },
    relayOwner: { type: String },
    relayLeaseUntil: { type: Number },
  },
  // Client fields (location, needs, offers, investor…) are kept as given: `strict: false`.
  { strict: false, versionKey: false, timestamps: false, collection: 'organisations', _id: false },
);

// Unique: FerretDB and MongoDB both let several documents *without* the field through, which
// is what optional VAT numbers / websites need (no partial indexes on FerretDB).
organisationSchema.index({ vatKey: 1 }, { unique: true, name: 'uniq_vat' });
organisationSchema.index({ hostKey: 1 }, { unique: true, name: 'uniq_website_host' });
organisationSchema.index({ nameKey: 1 }, { name: 'name_key' });
organisationSchema.index({ outboxPending: 1 }, { name: 'outbox_pending' });
organisationSchema.index({ kind: 1, _id: 1 }, { name: 'kind_id' });

export type OrganisationModel = Model<OrganisationDoc>;

export function organisationModel(conn: Connection): OrganisationModel {
  return (conn.models.Organisation as OrganisationModel | undefined) ?? conn.model<OrganisationDoc>('Organisation', organisationSchema);
}

/** Explicit index creation (autoIndex is off in libs/mongo); idempotent. */
export async function ensureOrganisationIndexes(model: OrganisationModel): Promise<void> {
  await model.createCollection().catch(() => undefined);
  await model.createIndexes();
}

/** The driver collection behind the model, typed with string ids (we write `_id` ourselves). */
export function organisationCollection(model: OrganisationModel): mongo.Collection<OrganisationDoc> {
  return model.collection as unknown as mongo.Collection<OrganisationDoc>;
}
