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

/** A bulk of conditional upserts: a clash on _id means "we already have newer" for that one. */
async function upsertAllIfNewer(coll: ReturnType<Connection['collection']>, ops: { id: string; newer: Record<string, unknown>; set: Record<string, unknown> }[]): Promise<void> {
  if (!ops.length) return;
  try {
    await coll.bulkWrite(
      ops.map((o) => ({ updateOne: { filter: { _id: o.id, ...o.newer } as never, update: { $set: o.set }, upsert: true } })),
      { ordered: false },
    );
  } catch (e) {
    const errors = (e as { writeErrors?: unknown[] }).writeErrors;
    if (!(isDuplicateKeyError(e) || (Array.isArray(errors) && errors.length && errors.every(isDuplicateKeyError)))) throw e;
  }
}

/**
 * Current matching suggestions from `matching.suggestions.v2`: each `match.suggestions.changed`
 * carries the company's whole top-N, which replaces what was stored (items not in it are
 * withdrawn). A late, older message never overwrites a newer one.
 */
export function suggestionStore(conn: Connection) {
  const coll = conn.db!.collection<SuggDoc>('suggestions');
  return {
    async forOrganisations(orgIds: string[]): Promise<StoredSuggestion[]> {
      if (!orgIds.length) return [];
      const docs = await coll.find({ $or: [{ companyId: { $in: orgIds } }, { candidateId: { $in: orgIds } }] }).toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async apply(ev: MatchEvent): Promise<void> {
      // accepted / declined are the matcher's own feedback loop; nothing to keep here.
      if (ev.type !== MATCH_EVENT_TYPES.suggestionsChanged) return;
      const { companyId, topN } = ev.data;
      const newer = { occurredAt: { $lt: ev.occurredAt } };
      const c = conn.collection('suggestions');
      // Most of a top-N is unchanged from one message to the next: write only what differs
      // (every FerretDB write costs tens of milliseconds).
      const stored = new Map((await coll.find({ companyId }).toArray()).map((d) => [d.candidateId, d]));
      const changed = topN.filter((i) => {
        const d = stored.get(i.candidateId);
        return !d || d.withdrawn || d.rank !== i.rank || d.score !== i.score || d.candidateName !== i.candidateName || d.occurredAt > ev.occurredAt;
      });
      await upsertAllIfNewer(
        c,
        changed.map((i) => ({
          id: i.matchId,
          newer,
          set: { companyId, candidateId: i.candidateId, candidateName: i.candidateName, score: i.score, rank: i.rank, explanation: i.explanation, withdrawn: false, occurredAt: ev.occurredAt },
        })),
      );
      const keep = new Set(topN.map((i) => i.candidateId));
      if ([...stored.values()].some((d) => !d.withdrawn && !keep.has(d.candidateId))) {
        await c.updateMany(
          { companyId, candidateId: { $nin: [...keep] }, withdrawn: false, ...newer },
          { $set: { score: 0, rank: 0, explanation: null, withdrawn: true, occurredAt: ev.occurredAt } },
        );
      }
    },
  };
}
