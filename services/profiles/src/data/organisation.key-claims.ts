import { AppError } from '@lm/errors';
import { insertManyIgnoringDuplicates, isDuplicateKeyError, withBusyRetry } from '@lm/mongo';
import type { OrganisationCollections } from './organisation.model';

/** Which organisation field a key comes from (named in the 409 the client gets). */
export type KeyField = 'vatNumber' | 'website' | 'name';
const DOC_FIELD: Record<KeyField, 'vatKey' | 'hostKey' | 'nameKey'> = { vatNumber: 'vatKey', website: 'hostKey', name: 'nameKey' };
const PREFIX: Record<KeyField, string> = { vatNumber: 'vat:', website: 'host:', name: 'name:' };
const MESSAGE: Record<'vatNumber' | 'website', string> = {
  vatNumber: 'an organisation with this VAT number already exists',
  website: 'an organisation with this website already exists',
};

/** A key document whose holder does not (yet) carry the key counts as held this long: its write may be in flight. */
export const KEY_CLAIM_GRACE_MS = 30_000;

export function duplicateKeyError(field: 'vatNumber' | 'website', cause?: unknown): AppError {
  return new AppError('duplicate', MESSAGE[field], { cause, details: [{ field, message: 'already registered', code: 'duplicate' }] });
}

export const keyId = (field: KeyField, value: string) => `${PREFIX[field]}${value}`;

/**
 * Upsert keys (VAT number, website host, legal name + province) as `_id`-keyed documents:
 * found by `_id` (the one lookup FerretDB serves without reading a whole table) and made
 * unique by the insert of that `_id`, on FerretDB and MongoDB alike. A key document is
 * written before the organisation that carries it and removed after; one left behind by a
 * crash is recognised (its holder does not carry the key) and taken over after a grace period.
 */
export function createKeyClaims(c: OrganisationCollections, now: () => number = Date.now) {
  /** The live organisation that carries `value` as its `field` key, if any. */
  async function carrier(field: KeyField, value: string, orgId: string): Promise<boolean> {
    const doc = await c.orgs.of(orgId).findOne({ _id: orgId }, { projection: { deletedAt: 1, vatKey: 1, hostKey: 1, nameKey: 1 } });
    return !!doc && !doc.deletedAt && doc[DOC_FIELD[field]] === value;
  }

  /** The organisation the key points to, when that organisation really carries it. */
  async function holderOf(field: KeyField, value: string): Promise<string | undefined> {
    const id = keyId(field, value);
    const key = await c.keys.of(id).findOne({ _id: id });
    return key && (await carrier(field, value, key.org)) ? key.org : undefined;
  }

  /** The organisation a key document names, without checking it still carries the key. */
  async function claimant(field: KeyField, value: string): Promise<string | undefined> {
    const id = keyId(field, value);
    return (await c.keys.of(id).findOne({ _id: id }))?.org;
  }

  /**
   * Makes `orgId` the holder of an exclusive key; throws 409 naming the field when a live
   * organisation holds it. `shared` (name key): first come keeps it, no error.
   */
  async function claim(field: KeyField, value: string, orgId: string, shared = false): Promise<boolean> {
    const id = keyId(field, value);
    const col = c.keys.of(id);
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await withBusyRetry(() => col.insertOne({ _id: id, org: orgId, at: now() }));
        return true;
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        const existing = await col.findOne({ _id: id });
        if (!existing) continue; // released meanwhile: try again
        if (existing.org === orgId) return false; // already ours
        const held = (await carrier(field, value, existing.org)) || now() - existing.at < KEY_CLAIM_GRACE_MS;
        if (held) {
          if (shared) return false;
          throw duplicateKeyError(field as 'vatNumber' | 'website', e);
        }
        // Left by a crash or a write that failed: take it over.
        await withBusyRetry(() => col.deleteOne({ _id: id, org: existing.org }));
      }
    }
    throw AppError.busy(`key ${field}`);
  }

  /**
   * Gives keys back: each key document is deleted only while it still names `orgId` (`{_id, org}`:
   * atomic against a concurrent take-over, side by side). The infra FerretDB build narrows such a
   * filter to the one `_id` row (NOTES.md); an unpatched FerretDB v1 decodes the key partition.
   */
  async function release(keys: { field: KeyField; value: string }[], orgId: string): Promise<void> {
    await Promise.all(
      keys.map((k) => {
        const id = keyId(k.field, k.value);
        return withBusyRetry(() => c.keys.of(id).deleteOne({ _id: id, org: orgId }));
      }),
    );
  }

  return { holderOf, claimant, claim, release };
}
export type KeyClaims = ReturnType<typeof createKeyClaims>;

/** Key documents moved per statement by the start-up migration. */
const MOVE_PAGE = 1000;

/**
 * Moves the key documents kept in the main database before session 11 into the keys database
 * (same partitions), a page at a time: inserted there first (a copy already there is kept), then
 * deleted here, so a crash halfway leaves copies that the next run ignores. The emptied legacy
 * collections stay (no drop while the engine serves other writers). Runs on start, before the
 * service writes (instances of the earlier version stopped). A key another instance removed
 * meanwhile and this run copies back is stale at worst: a key counts only while its organisation
 * carries it (`carrier`). Returns how many it moved.
 */
export async function moveKeysFromMainDatabase(c: OrganisationCollections, onProgress?: (moved: number) => void): Promise<number> {
  let moved = 0;
  for (const [p, legacy] of c.legacyKeys.all().entries()) {
    for (;;) {
      const page = await legacy
        .find({})
        .limit(MOVE_PAGE)
        .toArray()
        .catch((e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e)));
      if (!page.length) break;
      await insertManyIgnoringDuplicates(c.keys.all()[p]!, page);
      // One statement: FerretDB decodes the partition once for an `$in` (~0.1 ms a document).
      await withBusyRetry(() => legacy.deleteMany({ _id: { $in: page.map((k) => k._id) } }));
      moved += page.length;
      onProgress?.(moved);
    }
  }
  return moved;
}
