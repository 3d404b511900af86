import { Organisation } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { isDuplicateKeyError, withBusyRetry, type DocumentLocks, type HeldLock } from '@lm/mongo';
import { randomBytes } from 'crypto';
import type { mongo } from 'mongoose';
import { nameKey, normaliseWebsiteHost } from '../domain/organisation.keys';
import type { OrganisationChange, OrganisationStore, StoredOrganisation, UpsertKeys } from '../domain/organisation.store';
import { createKeyClaims, keyId, type KeyField } from './organisation.key-claims';
import { orgLockKey } from './organisation.locks';
import type { OrganisationCollections, OrganisationDoc } from './organisation.model';
import { createPendingMarks, type PendingMarks } from './outbox.pending';
import { groupBy, mapLimit } from '../domain/batching';

type UpdateFilter<T> = mongo.UpdateFilter<T>;

/** Partitions written (or read) at once by batched statements. */
const SEED_CONCURRENCY = 4;
/** Key lookups of an import in flight at once. */
const KEY_READ_CONCURRENCY = 8;

const ORGANISATION_FIELDS = Object.keys(Organisation.shape) as (keyof Organisation & string)[];
/** Everything that is not organisation state: never returned by reads that do not need it. */
const INTERNAL_PROJECTION = { outbox: 0, vatKey: 0, hostKey: 0, nameKey: 0, creation: 0 } as const;

/** Stored document → the contracts' Organisation (only its fields, `_id` → `id`). */
export function toOrganisation(doc: Record<string, unknown>): Organisation {
  const out: Record<string, unknown> = {};
  for (const f of ORGANISATION_FIELDS) {
    const v = f === 'id' ? doc._id : doc[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  return out as Organisation;
}

type Keys = { field: KeyField; value: string }[];

function keysOf(org: Organisation): Keys {
  const keys: Keys = [];
  if (org.vatNumber) keys.push({ field: 'vatNumber', value: org.vatNumber });
  const host = normaliseWebsiteHost(org.website);
  if (host) keys.push({ field: 'website', value: host });
  keys.push({ field: 'name', value: nameKey(org.legalName, org.location.province) });
  return keys;
}
const keyColumns = (keys: Keys) => ({
  vatKey: keys.find((k) => k.field === 'vatNumber')?.value,
  hostKey: keys.find((k) => k.field === 'website')?.value,
  nameKey: keys.find((k) => k.field === 'name')?.value,
});
const minus = (a: Keys, b: Keys) => a.filter((k) => !b.some((x) => x.field === k.field && x.value === k.value));

/** Organisation state as stored: its fields (without `id`) plus its keys. */
function stateOf(org: Organisation): Record<string, unknown> {
  const { id: _id, ...fields } = org;
  const state: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(keyColumns(keysOf(org)))) if (v !== undefined) state[k] = v;
  return state;
}

/** Optional fields absent from the new state are removed from the stored one (a replace, not a merge). */
function unsetOf(org: Organisation): Record<string, ''> {
  const unset: Record<string, ''> = {};
  for (const f of ORGANISATION_FIELDS) if (f !== 'id' && (org as Record<string, unknown>)[f] === undefined) unset[f] = '';
  for (const [k, v] of Object.entries(keyColumns(keysOf(org)))) if (v === undefined) unset[k] = '';
  return unset;
}

/**
 * Every statement here addresses one document by `_id` in a small partition (see
 * organisation.model and NOTES.md for the engine facts that force this shape).
 * - create: claim keys ∥ insert the event's mark, tentative → insert the document (state + its
 *   event + the mark's token); no lock: the insert of an `_id` is atomic, and the relay
 *   publishes a tentative mark only once the document carries its token (outbox.pending);
 * - update / delete, under the `org:<id>` lock (organisation.locks: a crash between the
 *   document and its mark is repaired by whoever finds the lock expired): read the document
 *   once, let the caller decide the change from it, claim new keys, write state + event in ONE
 *   update beside the event's mark (flagged `after`: the relay publishes it once the document
 *   shows its version), release the keys no longer carried.
 */
export function createOrganisationRepository(
  c: OrganisationCollections,
  locks: DocumentLocks,
  pending: PendingMarks = createPendingMarks(c),
): OrganisationStore {
  const claims = createKeyClaims(c);
  const busy = (id: string) => () => AppError.busy(`organisation ${id}`);
  const markOf = (org: Organisation | { id: string; version: number }, env: string) => ({ org: org.id, version: org.version, env });

  /** Claims each key for `id` (side by side); on a conflict gives back what it claimed, then throws the first key's error (409). */
  async function claimAll(keys: Keys, id: string): Promise<Keys> {
    const results = await Promise.allSettled(keys.map(async (k) => ((await claims.claim(k.field, k.value, id, k.field === 'name')) ? k : undefined)));
    const claimed = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await claims.release(claimed, id).catch(() => undefined);
      throw failed.reason;
    }
    return claimed;
  }

  const alreadyExists = (id: string, cause?: unknown) =>
    new AppError('duplicate', `organisation ${id} already exists`, {
      cause,
      details: [{ field: 'id', message: 'already exists', code: 'duplicate' }],
    });

  const storedOf = (doc: OrganisationDoc): StoredOrganisation => ({
    organisation: toOrganisation(doc),
    ...(doc.deletedAt ? { deletedAt: String(doc.deletedAt) } : {}),
  });

  async function findById(id: string): Promise<StoredOrganisation | undefined> {
    const doc = await c.orgs.of(id).findOne({ _id: id }, { projection: INTERNAL_PROJECTION });
    return doc ? storedOf(doc) : undefined;
  }

  const storedKeys = (doc: OrganisationDoc): Keys =>
    [
      doc.vatKey ? { field: 'vatNumber' as const, value: doc.vatKey } : undefined,
      doc.hostKey ? { field: 'website' as const, value: doc.hostKey } : undefined,
      doc.nameKey ? { field: 'name' as const, value: doc.nameKey } : undefined,
    ].filter((k): k is Keys[number] => !!k);

  /**
   * The document update (state + event in ONE single-document write) and the event's mark side
   * by side, under the `org:<id>` lock (see PendingDoc `after`: the relay publishes the mark once
   * the document shows its version). Not started past a third of the lock's lease: a write
   * landing after the lease could follow the repair that withdrew its mark (the remaining window,
   * as for a create: a write sent in time that stalls for two thirds of the lease in the engine).
   * When either fails, whatever landed is made consistent before the unlock (`repair`: the
   * outbox event marked if the update landed, the mark withdrawn if not); if that fails too, the
   * lock is left to expire and whoever takes it over repairs the same way.
   */
  async function writeBeside(mark: { org: string; version: number; env: string }, update: () => Promise<unknown>, held: HeldLock): Promise<void> {
    if (Date.now() > held.until - (locks.leaseMs * 2) / 3) throw busy(mark.org)();
    const [marking, updating] = await Promise.allSettled([
      pending.add([{ ...mark, after: true }]),
      withBusyRetry(update).then(() => pending.updateLanded(mark.org, mark.version)),
    ]);
    const failed = [updating, marking].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return;
    await pending.repair(mark.org).catch(() => held.keep());
    throw failed.reason;
  }

  /**
   * Replace: the new state and its event in ONE single-document write (either both are stored
   * or neither), its mark beside it. Resolves once what needs the lock is done, with `hints`:
   * the name hints' claim and release, which run beside the write (the caller awaits them
   * before answering).
   */
  async function writeReplace(current: OrganisationDoc, next: Organisation, event: string, held: HeldLock): Promise<{ hints: Promise<unknown> }> {
    const before = storedKeys(current);
    const after = keysOf(next);
    const added = minus(after, before);
    const gone = minus(before, after);
    // VAT and website are unique: claimed before the write, released after it (under the lock:
    // a release after it could remove a key a following write of this organisation took back).
    // The name key is a shared lookup hint (first come keeps it, never a 409, verified on use):
    // the new one claimed and the old one dropped beside the write, without waiting for it — a
    // crash or a concurrent rename in between only leaves a hint missing or stale; a write that
    // fails takes the old hint back.
    const byName = (k: Keys[number]) => k.field === 'name';
    const claimed = await claimAll(
      added.filter((k) => !byName(k)),
      next.id,
    );
    const hints = Promise.all([claimAll(added.filter(byName), next.id).catch(() => undefined), claims.release(gone.filter(byName), next.id)]);
    hints.catch(() => undefined); // awaited by the caller; handled here if the write fails first
    const unset = unsetOf(next);
    try {
      await writeBeside(
        markOf(next, event),
        () =>
          c.orgs.of(next.id).updateOne({ _id: next.id }, {
            $set: { ...stateOf(next), outbox: [event] },
            ...(Object.keys(unset).length ? { $unset: unset } : {}),
          } as UpdateFilter<OrganisationDoc>),
        held,
      );
    } catch (e) {
      const hintsBack = hints
        .catch(() => undefined)
        .then(() => Promise.all([claims.release(added.filter(byName), next.id), claimAll(gone.filter(byName), next.id)]));
      await Promise.all([claims.release(claimed, next.id), hintsBack]).catch(() => undefined);
      throw e;
    }
    await claims.release(
      gone.filter((k) => !byName(k)),
      next.id,
    );
    return { hints };
  }

  async function writeDelete(
    current: OrganisationDoc,
    change: Extract<OrganisationChange, { deletedAt: string }>,
    held: HeldLock,
  ): Promise<{ hints: Promise<unknown> }> {
    const { id, version, deletedAt, event } = change;
    await writeBeside(
      markOf(change, event),
      () =>
        c.orgs.of(id).updateOne({ _id: id }, {
          $set: { deletedAt, updatedAt: deletedAt, version, outbox: [event] },
          $unset: { vatKey: '', hostKey: '', nameKey: '' },
        } as UpdateFilter<OrganisationDoc>),
      held,
    );
    // A deleted profile does not block a new one with its VAT number or website.
    await claims.release(storedKeys(current), id);
    return { hints: Promise.resolve() };
  }

  return {
    async insert(org, event) {
      // No `org:<id>` lock (2 writes less): the event's mark is written first, tentative, beside
      // the key claims; the document then carries the same token, and the relay publishes the
      // mark only once it sees that (@lm/mongo insert.confirmation, outbox.pending `judge`). A
      // crash before the document leaves a mark the relay drops; after it, a complete create.
      const token = pending.creations.newToken();
      const mark = { ...markOf(org, event), confirm: token };
      const [claiming, marking] = await Promise.allSettled([claimAll(keysOf(org), org.id), pending.addTentative(mark)]);
      const keys = claiming.status === 'fulfilled' ? claiming.value : [];
      const markedAt = marking.status === 'fulfilled' ? marking.value : undefined;
      /** Gives back what this create took when its document is known not to be written. */
      const undo = async () => {
        await Promise.all([claims.release(keys, org.id), markedAt !== undefined ? pending.withdraw(mark.org, mark.version) : undefined]).catch(() => undefined);
      };
      const failed = [claiming, marking].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed || markedAt === undefined) {
        await undo();
        throw failed ? failed.reason : alreadyExists(org.id);
      }
      // Past the deadline the relay may soon count the mark as a crashed create's: `late`, given
      // up. After an error other than a refused insert the document may exist: the keys stay
      // (taken over after their grace if not), the relay judges the mark.
      const outcome = await pending.creations.insert(
        markedAt,
        () => c.orgs.of(org.id).insertOne({ _id: org.id, ...stateOf(org), outbox: [event], creation: token } as OrganisationDoc),
        undo,
      );
      if (outcome === 'late') throw busy(org.id)();
      if (outcome === 'duplicate') throw alreadyExists(org.id);
    },

    async insertMany(items, opts = {}) {
      // A few unordered inserts per partition. An organisation whose exclusive key (or, with
      // `newKeysOnly`, any key) or id is taken is left out (never half-written) and reported,
      // the keys the batch did claim for it given back; the caller decides (the seed skips it,
      // the import sends it through the upsert path).
      const keyDocs = items.flatMap((i) =>
        keysOf(i.organisation).map((k) => ({ _id: keyId(k.field, k.value), org: i.organisation.id, at: Date.now(), shared: k.field === 'name' })),
      );
      const refused = new Set<string>();
      const claimedKeys: (typeof keyDocs)[number][] = [];
      await mapLimit(
        groupBy(keyDocs, (k) => c.keys.indexOf(k._id)),
        SEED_CONCURRENCY,
        async (docs) => {
          const failed = new Set(
            await insertUnordered(
              c.keys.of(docs[0]!._id),
              docs.map(({ shared: _s, ...d }) => d),
            ),
          );
          docs.forEach((d, i) => {
            if (!failed.has(i)) claimedKeys.push(d);
            else if (!d.shared || opts.newKeysOnly) refused.add(d.org);
          });
        },
      );
      // The `org:<id>` locks of the batch (one insert): a crash between documents and marks is repaired.
      const owner = randomBytes(8).toString('hex');
      const wanted = items.filter((i) => !refused.has(i.organisation.id)).map((i) => orgLockKey(i.organisation.id));
      const acquired = await locks.tryAcquireMany(wanted, owner);
      try {
        const locked = new Set(acquired);
        for (const i of items) if (!locked.has(orgLockKey(i.organisation.id))) refused.add(i.organisation.id);
        const accepted = items.filter((i) => !refused.has(i.organisation.id));
        await mapLimit(
          groupBy(accepted, (i) => c.orgs.indexOf(i.organisation.id)),
          SEED_CONCURRENCY,
          async (list) => {
            const docs = list.map((i) => ({ _id: i.organisation.id, ...stateOf(i.organisation), outbox: [i.event] }) as OrganisationDoc);
            for (const i of await insertUnordered(c.orgs.of(docs[0]!._id), docs)) refused.add(docs[i]!._id);
          },
        );
        await pending.add(accepted.filter((i) => !refused.has(i.organisation.id)).map((i) => markOf(i.organisation, i.event)));
      } finally {
        await locks.releaseMany(acquired, owner);
      }
      // Keys claimed for organisations that were not written point at nothing: give them back.
      const orphanKeys = claimedKeys.filter((k) => refused.has(k.org));
      await mapLimit(orphanKeys, SEED_CONCURRENCY, (k) => withBusyRetry(() => c.keys.of(k._id).deleteOne({ _id: k._id })));
      return { refused: items.map((i) => i.organisation.id).filter((id) => refused.has(id)) };
    },

    findById,

    async write(id, decide) {
      let hints: Promise<unknown> = Promise.resolve();
      const change = await locks.withLock(
        orgLockKey(id),
        async (held) => {
          const current = await c.orgs.of(id).findOne({ _id: id }, { projection: { outbox: 0 } });
          const decided = decide(current ? storedOf(current) : undefined);
          if (!current) throw AppError.notFound(`organisation ${id}`);
          ({ hints } =
            'organisation' in decided ? await writeReplace(current, decided.organisation, decided.event, held) : await writeDelete(current, decided, held));
          return decided;
        },
        busy(id),
        // The document and its mark are written when `fn` returns: the answer does not wait for
        // the unlock (a crash before it leaves a lock whose lease expires and is repaired).
        { releaseAfterReturn: true },
      );
      await hints;
      return change;
    },

    async findByUpsertKey(keys: UpsertKeys) {
      // Strongest key first; a weaker key's match counts only if the stronger keys do not
      // contradict it (same website but another VAT number is another organisation).
      const load = async (field: KeyField, value: string) => {
        const id = await claims.holderOf(field, value);
        return id ? (await findById(id))?.organisation : undefined;
      };
      if (keys.vatNumber) {
        const byVat = await load('vatNumber', keys.vatNumber);
        if (byVat) return byVat;
      }
      const host = normaliseWebsiteHost(keys.website);
      const vatAgrees = (o: Organisation) => !keys.vatNumber || !o.vatNumber;
      if (host) {
        const byHost = await load('website', host);
        if (byHost) return vatAgrees(byHost) ? byHost : undefined;
      }
      const byName = await load('name', nameKey(keys.legalName, keys.province));
      return byName && vatAgrees(byName) && (!host || !byName.website) ? byName : undefined;
    },

    async keyHolders(rows: UpsertKeys[]) {
      const idsOf = (k: UpsertKeys) => {
        const host = normaliseWebsiteHost(k.website);
        return [
          ...(k.vatNumber ? [keyId('vatNumber', k.vatNumber)] : []),
          ...(host ? [keyId('website', host)] : []),
          keyId('name', nameKey(k.legalName, k.province)),
        ];
      };
      // One `{_id}` read per distinct key (small key partitions; a `$in` would decode whole tables).
      const found = await c.keys.findEach(rows.flatMap(idsOf), { concurrency: KEY_READ_CONCURRENCY });
      return rows.map((k) => [...new Set(idsOf(k).flatMap((id) => found.get(id)?.org ?? []))]);
    },

    async countLive() {
      let n = 0;
      for (const col of c.orgs.all()) n += await col.countDocuments({ deletedAt: { $exists: false } });
      return n;
    },
  };
}
export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;

/** Unordered insertMany; returns the indexes of the documents refused as duplicates. */
async function insertUnordered<T extends { _id: string }>(col: mongo.Collection<T>, docs: T[]): Promise<number[]> {
  if (!docs.length) return [];
  try {
    await withBusyRetry(() => col.insertMany(docs as never, { ordered: false }));
    return [];
  } catch (e) {
    const errors = (e as { writeErrors?: { index: number }[] | { index: number } }).writeErrors;
    if (!isDuplicateKeyError(e) && !errors) throw e;
    return errors ? ([] as { index: number }[]).concat(errors).map((w) => w.index) : [];
  }
}
