import type { MatchEvent, OrganisationEvent } from '@lm/contracts';
import { MATCH_EVENT_TYPES, matchIdOf, ORGANISATION_EVENT_TYPES } from '@lm/contracts';
import { createPartitionedCollection, isDuplicateKeyError, type PartitionedCollection } from '@lm/mongo';
import type { Connection, mongo } from 'mongoose';
import type { OrgSnapshot } from '../domain/participant.schemas';
import type { StoredSuggestion } from '../domain/request.schemas';

export type SnapDoc = { _id: string; version: number; deleted: boolean; organisation?: Record<string, unknown> };

/**
 * Hash partitions of the organisation snapshots: one per organisation of the ecosystem (up to
 * 100,000), read by `_id` at every registration — FerretDB reads a whole table even for `{_id}`.
 */
export const SNAPSHOT_PARTITIONS = 256;

/** The snapshots as stored (`organisation_snapshots_pNNN`). */
export function snapshotCollections(conn: Connection): PartitionedCollection<SnapDoc> {
  return createPartitionedCollection<SnapDoc>(conn, 'organisation_snapshots', SNAPSHOT_PARTITIONS);
}

/** How many snapshots are stored (tests, operators). */
export async function countSnapshots(conn: Connection): Promise<number> {
  let n = 0;
  for (const c of snapshotCollections(conn).all()) n += await c.countDocuments({});
  return n;
}

/**
 * Stores `doc` unless the stored one is as new or newer (`isNewer(stored)` false). Every statement
 * addresses one `_id` alone — the one filter FerretDB serves from its index; a conditional filter
 * (`{_id, version: {$lt}}`) decodes every document of the table in Go, and a 10,000-organisation
 * import crawled through this consumer at ~5 messages/s. Not a compare-and-set (neither was the
 * conditional filter on FerretDB): the consumer is this store's only writer and one member of the
 * group applies one key's events, in order.
 * `likelyNew` (an organisation's first version): insert first — one statement for what a bulk
 * import brings, and a refused duplicate insert costs ~1 ms whatever the table's size.
 */
async function replaceIfNewer<D extends { _id: string }>(coll: mongo.Collection<D>, doc: D, isNewer: (stored: D) => boolean, likelyNew = false): Promise<void> {
  const byId = { _id: doc._id } as mongo.Filter<D>;
  const stored = likelyNew ? null : ((await coll.findOne(byId)) as D | null);
  if (!stored) {
    try {
      await coll.insertOne(doc as mongo.OptionalUnlessRequiredId<D>);
      return;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      return replaceIfNewer(coll, doc, isNewer); // stored meanwhile: compare with that one
    }
  }
  if (isNewer(stored)) await coll.replaceOne(byId, doc as mongo.WithoutId<D>);
}

/** Organisation snapshots from `profiles.organisations.v1`: idempotent by profile version. */
export function organisationSnapshots(conn: Connection) {
  const coll = snapshotCollections(conn);
  return {
    async get(id: string): Promise<OrgSnapshot | undefined> {
      const d = await coll.of(id).findOne({ _id: id });
      return d ? { id: d._id, version: d.version, deleted: d.deleted, ...(d.organisation ? { organisation: d.organisation } : {}) } : undefined;
    },
    async apply(ev: OrganisationEvent): Promise<void> {
      const doc: SnapDoc =
        ev.type === ORGANISATION_EVENT_TYPES.upserted
          ? { _id: ev.data.organisation.id, version: ev.data.version, deleted: false, organisation: ev.data.organisation }
          : { _id: ev.data.id, version: ev.data.version, deleted: true };
      await replaceIfNewer(coll.of(doc._id), doc, (stored) => stored.version < doc.version, doc.version === 1);
    },
  };
}

type CompanySuggestionsDoc = {
  _id: string;
  occurredAt: string;
  candidateIds: string[];
  items: Omit<StoredSuggestion, 'id' | 'companyId' | 'withdrawn' | 'occurredAt'>[];
};

/**
 * Current matching suggestions from `matching.suggestions.v2`: one document per company holding
 * its whole top-N, replaced by each `match.suggestions.changed` (one write per message — FerretDB
 * writes cost tens of milliseconds each). A late, older message never overwrites a newer one.
 */
export function suggestionStore(conn: Connection) {
  const coll = conn.db!.collection<CompanySuggestionsDoc>('company_suggestions');
  return {
    /** Current suggestions where one of `orgIds` is the company or the candidate. */
    async forOrganisations(orgIds: string[]): Promise<StoredSuggestion[]> {
      if (!orgIds.length) return [];
      const wanted = new Set(orgIds);
      const docs = await coll.find({ $or: [{ _id: { $in: orgIds } }, { candidateIds: { $in: orgIds } }] }).toArray();
      return docs.flatMap((d) =>
        d.items
          .filter((i) => wanted.has(d._id) || wanted.has(i.candidateId))
          .map((i) => ({ id: matchIdOf(d._id, i.candidateId), companyId: d._id, ...i, withdrawn: false, occurredAt: d.occurredAt })),
      );
    },
    async apply(ev: MatchEvent): Promise<void> {
      // accepted / declined are the matcher's own feedback loop; nothing to keep here.
      if (ev.type !== MATCH_EVENT_TYPES.suggestionsChanged) return;
      const { companyId, topN } = ev.data;
      const items = topN.map((i) => ({ candidateId: i.candidateId, candidateName: i.candidateName, score: i.score, rank: i.rank, explanation: i.explanation }));
      const doc = { _id: companyId, occurredAt: ev.occurredAt, candidateIds: items.map((i) => i.candidateId), items };
      await replaceIfNewer(coll, doc, (stored) => stored.occurredAt < doc.occurredAt);
    },
  };
}
