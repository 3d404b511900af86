import { Organisation } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { isDuplicateKeyError, withBusyRetry, type DocumentLocks } from '@lm/mongo';
import type { mongo } from 'mongoose';
import type { ListFilter } from '../domain/list.query';
import { escapeRegex, nameKey, normaliseWebsiteHost } from '../domain/organisation.keys';
import type { OrganisationStore, StoredOrganisation, UpsertKeys } from '../domain/organisation.store';
import { orgLockKey } from './organisation.locks';
import { organisationCollection, type OrganisationDoc, type OrganisationModel } from './organisation.model';

const ORGANISATION_FIELDS = Object.keys(Organisation.shape) as (keyof Organisation)[];
/** Everything that is not organisation state: never returned by reads that do not need it. */
const INTERNAL_PROJECTION = { outbox: 0, outboxPending: 0, relayOwner: 0, relayLeaseUntil: 0, vatKey: 0, hostKey: 0, nameKey: 0 } as const;
const LIVE = { deletedAt: { $exists: false } } as const;

/** Stored document → the contracts' Organisation (only its fields, `_id` → `id`). */
export function toOrganisation(doc: Record<string, unknown>): Organisation {
  const out: Record<string, unknown> = {};
  for (const f of ORGANISATION_FIELDS) {
    const v = f === 'id' ? doc._id : doc[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  return out as Organisation;
}

function keysOf(org: Organisation) {
  return {
    vatKey: org.vatNumber,
    hostKey: normaliseWebsiteHost(org.website),
    nameKey: nameKey(org.legalName, org.location.province),
  };
}

/** Organisation state as stored: its fields (without `id`) plus the unique keys. */
function stateOf(org: Organisation): Record<string, unknown> {
  const { id: _id, ...fields } = org;
  const state: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(keysOf(org))) if (v !== undefined) state[k] = v;
  return state;
}

/** Optional fields absent from the new state are removed from the stored one (a replace, not a merge). */
function unsetOf(org: Organisation): Record<string, ''> {
  const unset: Record<string, ''> = {};
  const keys = keysOf(org) as Record<string, unknown>;
  for (const f of ORGANISATION_FIELDS) if (f !== 'id' && (org as Record<string, unknown>)[f] === undefined) unset[f] = '';
  for (const k of ['vatKey', 'hostKey']) if (keys[k] === undefined) unset[k] = '';
  return unset;
}

export function createOrganisationRepository(model: OrganisationModel, locks: DocumentLocks): OrganisationStore & { model: OrganisationModel } {
  const col = organisationCollection(model);
  const busy = (id: string) => () => new AppError('dependency_unavailable', `organisation ${id} is being changed by another request, retry`, { retriable: true });

  /**
   * Compare-and-set of one organisation document: under its lock, the stored version is read
   * and the update applied only if it is still `expectedVersion` (see @lm/mongo document.locks for why
   * the filter alone is not enough on FerretDB).
   */
  async function casUpdate(id: string, expectedVersion: number, update: () => Promise<unknown>): Promise<boolean> {
    return locks.withLock(orgLockKey(id), async () => {
      const current = await col.findOne({ _id: id }, { projection: { version: 1, deletedAt: 1 } });
      if (!current || current.deletedAt || current.version !== expectedVersion) return false;
      await update();
      return true;
    }, busy(id));
  }
  /** E11000 does not name the index on FerretDB: look up which key collides to tell the client. */
  async function duplicateError(org: Organisation, cause: unknown): Promise<AppError> {
    const keys = keysOf(org);
    const others = { _id: { $ne: org.id } };
    if (keys.vatKey && (await model.exists({ vatKey: keys.vatKey, ...others }))) {
      return new AppError('duplicate', 'an organisation with this VAT number already exists', { cause, details: [{ field: 'vatNumber', message: 'already registered', code: 'duplicate' }] });
    }
    if (keys.hostKey && (await model.exists({ hostKey: keys.hostKey, ...others }))) {
      return new AppError('duplicate', 'an organisation with this website already exists', { cause, details: [{ field: 'website', message: 'already registered', code: 'duplicate' }] });
    }
    return new AppError('duplicate', `organisation ${org.id} already exists`, { cause, details: [{ field: 'id', message: 'already exists', code: 'duplicate' }] });
  }

  async function guarded<T>(org: Organisation, write: () => Promise<T>): Promise<T> {
    try {
      return await withBusyRetry(write);
    } catch (e) {
      if (isDuplicateKeyError(e)) throw await duplicateError(org, e);
      throw e;
    }
  }

  function newDoc(org: Organisation, event: string): OrganisationDoc {
    return { _id: org.id, ...stateOf(org), outbox: [event], outboxPending: true } as OrganisationDoc;
  }

  return {
    model,

    async insert(org, event) {
      await guarded(org, () => col.insertOne(newDoc(org, event)));
    },

    async insertMany(items) {
      if (!items.length) return 0;
      try {
        const res = await withBusyRetry(() => col.insertMany(items.map((i) => newDoc(i.organisation, i.event)), { ordered: false }));
        return res.insertedCount;
      } catch (e) {
        // Unordered: the rest are inserted; report how many made it.
        const inserted = (e as { result?: { insertedCount?: number }; insertedCount?: number }).insertedCount ?? (e as { result?: { insertedCount?: number } }).result?.insertedCount;
        if (isDuplicateKeyError(e) && inserted !== undefined) return inserted;
        throw e;
      }
    },

    async findById(id): Promise<StoredOrganisation | undefined> {
      const doc = await col.findOne({ _id: id }, { projection: INTERNAL_PROJECTION });
      if (!doc) return undefined;
      return { organisation: toOrganisation(doc), ...(doc.deletedAt ? { deletedAt: String(doc.deletedAt) } : {}) };
    },

    async replace(next, expectedVersion, event) {
      const unset = unsetOf(next);
      return casUpdate(next.id, expectedVersion, () =>
        guarded(next, () =>
          col.updateOne(
            { _id: next.id, version: expectedVersion, ...LIVE },
            // State and event in ONE single-document write: either both are stored or neither.
            { $set: { ...stateOf(next), outboxPending: true }, $push: { outbox: event }, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
          ),
        ),
      );
    },

    async markDeleted(id, expectedVersion, deletedAt, nextVersion, event) {
      return casUpdate(id, expectedVersion, () =>
        withBusyRetry(() => col.updateOne(
          { _id: id, version: expectedVersion, ...LIVE },
          { $set: { deletedAt, updatedAt: deletedAt, version: nextVersion, outboxPending: true }, $unset: { vatKey: '', hostKey: '' }, $push: { outbox: event } },
        )),
      );
    },

    async list(filter: ListFilter, limit, afterId) {
      const q: mongo.Filter<OrganisationDoc> = { ...LIVE };
      if (afterId) q._id = { $gt: afterId };
      if (filter.kind) q.kind = filter.kind;
      if (filter.s3Area) q.s3Areas = filter.s3Area;
      if (filter.specialty) q.specialties = filter.specialty;
      if (filter.province) q['location.province'] = filter.province;
      if (filter.q) {
        const re = { $regex: escapeRegex(filter.q), $options: 'i' };
        q.$or = [{ legalName: re }, { 'description.text': re }];
      }
      const docs = await col.find(q, { projection: INTERNAL_PROJECTION }).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map(toOrganisation);
    },

    async findByUpsertKey(keys: UpsertKeys) {
      // Strongest key first; a weaker key's match counts only if the stronger keys do not
      // contradict it (same website but another VAT number is another organisation).
      const find = async (filter: mongo.Filter<OrganisationDoc>) => {
        const doc = await col.findOne({ ...filter, ...LIVE }, { projection: INTERNAL_PROJECTION });
        return doc ? toOrganisation(doc) : undefined;
      };
      if (keys.vatNumber) {
        const byVat = await find({ vatKey: keys.vatNumber });
        if (byVat) return byVat;
      }
      const host = normaliseWebsiteHost(keys.website);
      const vatAgrees = (o: Organisation) => !keys.vatNumber || !o.vatNumber;
      if (host) {
        const byHost = await find({ hostKey: host });
        if (byHost) return vatAgrees(byHost) ? byHost : undefined;
      }
      const byName = await find({ nameKey: nameKey(keys.legalName, keys.province) });
      return byName && vatAgrees(byName) && (!host || !byName.website) ? byName : undefined;
    },

    async countLive() {
      return col.countDocuments(LIVE);
    },
  };
}
export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;
