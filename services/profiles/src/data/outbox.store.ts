import { withBusyRetry, type DocumentLocks } from '@lm/mongo';
import { orgLockKey, relayLeaseKey } from './organisation.locks';
import { organisationCollection, type OrganisationModel } from './organisation.model';

export interface ClaimedOutbox {
  id: string;
  /** Serialised envelopes in version order. */
  events: string[];
}

const ACK_WAIT_MS = 5_000;

/**
 * The relay's view of the organisations collection.
 * - A relay *leases* an organisation (`relay:<id>` lock, long lease) for claim → publish →
 *   acknowledge, so one organisation's events are published by one relay at a time, in order.
 * - The acknowledgement writes the document, so it takes the same short `org:<id>` lock as API
 *   writes: an event appended by a concurrent write is never lost to the relay's update.
 */
export function createOutboxStore(model: OrganisationModel, locks: DocumentLocks, opts: { leaseMs?: number } = {}) {
  const col = organisationCollection(model);
  const leaseMs = opts.leaseMs ?? 30_000;

  /** Caller holds the `org:<id>` lock of every organisation in `mine`. */
  async function removePublished(mine: ClaimedOutbox[]): Promise<void> {
    const sent = new Map(mine.map((p) => [p.id, new Set(p.events)]));
    const fresh = await col.find({ _id: { $in: [...sent.keys()] } }, { projection: { _id: 1, outbox: 1 } }).toArray();
    const cleared: string[] = [];
    const partial: { id: string; left: string[] }[] = [];
    for (const d of fresh) {
      // Envelopes carry unique ids, so removing by value is what `$pullAll` did.
      const left = (d.outbox ?? []).filter((e) => !sent.get(d._id)!.has(e));
      if (left.length) partial.push({ id: d._id, left });
      else cleared.push(d._id);
    }
    if (cleared.length) await withBusyRetry(() => col.updateMany({ _id: { $in: cleared } }, { $set: { outbox: [], outboxPending: false } }));
    for (const p of partial) await withBusyRetry(() => col.updateOne({ _id: p.id }, { $set: { outbox: p.left, outboxPending: true } }));
  }

  return {
    /** Leases up to `limit` organisations with pending events for `token`; returns their outboxes. */
    async claim(token: string, limit: number): Promise<ClaimedOutbox[]> {
      const candidates = await col.find({ outboxPending: true }, { projection: { _id: 1 } }).limit(limit).toArray();
      if (!candidates.length) return [];
      const leased = await locks.tryAcquireMany(candidates.map((c) => relayLeaseKey(c._id)), token, leaseMs);
      if (!leased.length) return [];
      const ids = leased.map((k) => k.slice('relay:'.length));
      // Read after leasing: what another relay acknowledged meanwhile is not published again.
      const docs = await col.find({ _id: { $in: ids } }, { projection: { _id: 1, outbox: 1 } }).sort({ _id: 1 }).toArray();
      const withEvents = docs.filter((d) => d.outbox?.length);
      const empty = ids.filter((id) => !withEvents.some((d) => d._id === id));
      await locks.releaseMany(empty.map(relayLeaseKey), token);
      return withEvents.map((d) => ({ id: d._id, events: d.outbox }));
    },

    /**
     * After a successful publish: removes exactly the published envelopes, clears the pending
     * flag when nothing is left, then gives the leases back. Under the `org:<id>` locks (every
     * writer of the outbox takes them) the outboxes are read fresh in one query and the new
     * state is computed here: organisations whose outbox held only published envelopes (the
     * usual case) are cleared by ONE `updateMany`; the few that a concurrent write appended to
     * get one `$set` each with what remains. Few, small statements: FerretDB (SQLite) stalls on
     * large bulk writes and pays a full document rewrite per update.
     */
    async acknowledge(token: string, published: ClaimedOutbox[]): Promise<void> {
      let todo = published;
      const deadline = Date.now() + ACK_WAIT_MS;
      while (todo.length) {
        const got = new Set(await locks.tryAcquireMany(todo.map((p) => orgLockKey(p.id)), token));
        const mine = todo.filter((p) => got.has(orgLockKey(p.id)));
        if (mine.length) {
          try {
            await removePublished(mine);
          } finally {
            await locks.releaseMany([...got], token);
          }
        }
        todo = todo.filter((p) => !got.has(orgLockKey(p.id)));
        // Still locked by a writer after the wait: left pending; the next round republishes
        // them (same envelope ids and versions, so consumers drop the duplicates).
        if (todo.length && Date.now() > deadline) break;
        if (todo.length) await new Promise((r) => setTimeout(r, 5));
      }
      await locks.releaseMany(published.map((p) => relayLeaseKey(p.id)), token);
    },

    /** After a failed publish: give the leases back at once so any relay may retry. */
    async release(token: string, claimed: ClaimedOutbox[]): Promise<void> {
      await locks.releaseMany(claimed.map((c) => relayLeaseKey(c.id)), token);
    },

    /** Organisations with unpublished events (the backlog gauge). */
    async backlog(): Promise<number> {
      return col.countDocuments({ outboxPending: true });
    },
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
