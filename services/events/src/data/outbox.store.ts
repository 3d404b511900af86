import type { Envelope } from '@lm/contracts';
import { withBusyRetry } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import type { Connection } from 'mongoose';
import { createEventsLocks, documentLockKey } from './document.locks';

type OutboxDoc = { _id: string; outbox?: Envelope[] };

const ACK_WAIT_MS = 5_000;

/** `<collection>/<id>`: the aggregate a claim is about (leases and acknowledgements are per document). */
const aggregateId = (collection: string, id: string) => `${collection}/${id}`;
function parseAggregate(aggregate: string): { collection: string; id: string } {
  const slash = aggregate.indexOf('/');
  return { collection: aggregate.slice(0, slash), id: aggregate.slice(slash + 1) };
}
const leaseKey = (aggregate: string) => `relay:${aggregate}`;

/**
 * The events service's outbox (envelopes parked in documents' `outbox` arrays, written in the
 * same update as the change) behind the @lm/outbox store port:
 * - claim: documents with a non-empty outbox, leased per document (`relay:<collection>/<id>`)
 *   so one document's events are published by one relay at a time, in order; the outbox is
 *   re-read after leasing;
 * - acknowledge: under the document lock that use-case updates take, removes exactly the
 *   published envelopes (an envelope appended meanwhile stays).
 * Pending documents are found by a filtered scan of each collection: these collections hold
 * one document per event / request / schedule, thousands at most (see NOTES.md).
 */
export function createEventsOutboxStore(conn: Connection, collections: string[], opts: { leaseMs?: number } = {}): OutboxStore {
  const locks = createEventsLocks(conn);
  const leaseMs = opts.leaseMs ?? 30_000;
  const col = (name: string) => conn.db!.collection<OutboxDoc>(name);
  const pending = { 'outbox.0': { $exists: true } };

  async function readOutbox(aggregate: string): Promise<Envelope[]> {
    const { collection, id } = parseAggregate(aggregate);
    return (await col(collection).findOne({ _id: id }, { projection: { outbox: 1 } }))?.outbox ?? [];
  }

  return {
    async claim(token, limit) {
      const candidates: string[] = [];
      for (const name of collections) {
        if (candidates.length >= limit) break;
        const docs = await col(name).find(pending, { projection: { _id: 1 } }).limit(limit - candidates.length).toArray();
        candidates.push(...docs.map((d) => aggregateId(name, d._id)));
      }
      if (!candidates.length) return [];
      const leased = new Set(await locks.tryAcquireMany(candidates.map(leaseKey), token, leaseMs));
      const claimed: ClaimedOutbox[] = [];
      const empty: string[] = [];
      for (const aggregate of candidates.filter((a) => leased.has(leaseKey(a)))) {
        // Read after leasing: what another relay acknowledged meanwhile is not published again.
        const events = await readOutbox(aggregate);
        if (events.length) claimed.push({ id: aggregate, events });
        else empty.push(aggregate);
      }
      await locks.releaseMany(empty.map(leaseKey), token);
      return claimed;
    },

    async acknowledge(token, published) {
      const lockOf = (p: ClaimedOutbox) => {
        const { collection, id } = parseAggregate(p.id);
        return documentLockKey(collection, id);
      };
      // Still locked by a writer after the wait: left pending; the next round republishes
      // them (same envelope ids, consumers dedupe).
      await locks.withEachLocked(published, lockOf, token, async (mine) => {
        for (const p of mine) {
          const { collection, id } = parseAggregate(p.id);
          const sent = new Set(p.events.map((e) => e.id));
          const left = (await readOutbox(p.id)).filter((e) => !sent.has(e.id));
          await withBusyRetry(() => col(collection).updateOne({ _id: id }, { $set: { outbox: left } }));
        }
      }, ACK_WAIT_MS);
      await locks.releaseMany(published.map((p) => leaseKey(p.id)), token);
    },

    async release(token, claimed) {
      await locks.releaseMany(claimed.map((p) => leaseKey(p.id)), token);
    },

    async backlog() {
      let n = 0;
      for (const name of collections) n += await col(name).countDocuments(pending);
      return n;
    },
  };
}
