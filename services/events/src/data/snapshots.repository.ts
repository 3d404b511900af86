import type { MatchEvent, OrganisationEvent } from '@lm/contracts';
import { MATCH_EVENT_TYPES, ORGANISATION_EVENT_TYPES } from '@lm/contracts';
import { isDuplicateKeyError } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { OrgSnapshot, StoredSuggestion } from '../domain/event.schemas';

type SnapDoc = { _id: string; version: number; deleted: boolean; organisation?: Record<string, unknown> };
type SuggDoc = Omit<StoredSuggestion, 'id'> & { _id: string };

/** Conditional upsert: applies only when `newer` matches; a clash on _id means "we already have newer". */
async function upsertIfNewer(coll: ReturnType<Connection['collection']>, id: string, newer: Record<string, unknown>, set: Record<string, unknown>): Promise<void> {
  try {
    await coll.updateOne({ _id: id, ...newer } as never, { $set: set }, { upsert: true });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}

/** Organisation snapshots from `profiles.organisations.v1`: idempotent by profile version. */
export function organisationSnapshots(conn: Connection) {
  const coll = conn.db!.collection<SnapDoc>('organisation_snapshots');
  return {
    async get(id: string): Promise<OrgSnapshot | undefined> {
      const d = await coll.findOne({ _id: id });
      return d ? { id: d._id, version: d.version, deleted: d.deleted, ...(d.organisation ? { organisation: d.organisation } : {}) } : undefined;
    },
    async apply(ev: OrganisationEvent): Promise<void> {
      if (ev.type === ORGANISATION_EVENT_TYPES.upserted) {
        const o = ev.data.organisation;
        await upsertIfNewer(conn.collection('organisation_snapshots'), o.id, { version: { $lt: ev.data.version } }, { version: ev.data.version, deleted: false, organisation: o });
      } else {
        await upsertIfNewer(conn.collection('organisation_snapshots'), ev.data.id, { version: { $lt: ev.data.version } }, { version: ev.data.version, deleted: true, organisation: null });
      }
    },
  };
}

/** Current matching suggestions from `matching.suggestions.v1`; a late, older event never overwrites a newer one. */
export function suggestionStore(conn: Connection) {
  const coll = conn.db!.collection<SuggDoc>('suggestions');
  return {
    async forOrganisations(orgIds: string[]): Promise<StoredSuggestion[]> {
      if (!orgIds.length) return [];
      const docs = await coll.find({ $or: [{ companyId: { $in: orgIds } }, { candidateId: { $in: orgIds } }] }).toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async apply(ev: MatchEvent): Promise<void> {
      const newer = { occurredAt: { $lt: ev.occurredAt } };
      const c = conn.collection('suggestions');
      if (ev.type === MATCH_EVENT_TYPES.suggested || ev.type === MATCH_EVENT_TYPES.updated) {
        const d = ev.data;
        await upsertIfNewer(c, d.matchId, newer, { companyId: d.companyId, candidateId: d.candidateId, candidateName: d.candidateName, score: d.score, rank: d.rank, explanation: d.explanation, withdrawn: false, occurredAt: ev.occurredAt });
      } else if (ev.type === MATCH_EVENT_TYPES.withdrawn) {
        const d = ev.data;
        await upsertIfNewer(c, d.matchId, newer, { companyId: d.companyId, candidateId: d.candidateId, candidateName: d.candidateName, score: 0, rank: 0, explanation: null, withdrawn: true, occurredAt: ev.occurredAt });
      }
      // accepted / declined are the matcher's own feedback loop; nothing to keep here.
    },
  };
}
