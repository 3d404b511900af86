import type { Envelope } from '@lm/contracts';
import { runOnce, withBusyRetry } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import type { Connection } from 'mongoose';
import { createEventsLocks, documentLockKey } from './document.locks';
import { createOutboxMarks, insertConfirmation, outboxCollections, outboxRepair, parseAggregate, type MarkDoc, type OutboxCollection } from './outbox.marks';

/** How often a relay repairs what crashed writers left (expired document locks, see outbox.marks `outboxRepair`). */
const SWEEP_EVERY_MS = 5_000;
/** The relay's lease on one marks partition. */
const leaseKey = (partition: number) => `relay:outbox_pending:${partition}`;

/**
 * Marks one partition's page reads at most: an unsorted `limit` stops reading early, and a
 * publish's marks carry 200 envelopes each — a round that uses one of them decodes no more.
 */
const PAGE = 50;

/** `whole`: the page is everything the partition held when read. */
type Lease = { partition: number; marks: MarkDoc[]; whole: boolean };

/**
 * The events service's outbox behind the @lm/outbox store port, in a few statements per round
 * whatever the number of events (the relay used to read, lock and rewrite every document —
 * ~8 statements each, as many as the request that wrote it):
 * - pending work = the marks (`outbox.marks.ts`), one per write, carrying its envelopes;
 * - a relay leases whole marks partitions (`relay:outbox_pending:<n>`, one insert and one delete
 *   per round): a document's marks all live in one partition, so its events are published by
 *   one relay at a time, in version order;
 * - acknowledging deletes exactly the published marks (one statement per partition): a write
 *   during the round inserted a mark with another `_id`, which stays. A large outbox (a
 *   published schedule's) is then emptied in its document, under the document's lock, if no
 *   write replaced it meanwhile;
 * - every few seconds, expired document locks are repaired (their writes' marks restored).
 */
export function createEventsOutboxStore(conn: Connection, collections: OutboxCollection[], opts: { leaseMs?: number } = {}): OutboxStore {
  const marks = createOutboxMarks(conn);
  const locks = createEventsLocks(conn, outboxRepair(conn, collections, marks));
  const docs = outboxCollections(conn, collections);
  const leaseMs = opts.leaseMs ?? 30_000;
  const leases = new Map<string, Lease[]>();
  let rotation = 0;
  let lastSweep = 0;

  async function releaseLeases(token: string): Promise<void> {
    const held = leases.get(token) ?? [];
    leases.delete(token);
    await locks.releaseMany(
      held.map((l) => leaseKey(l.partition)),
      token,
    );
  }

  /** Empties the outbox of `mark`'s document if it still holds that write's envelopes. */
  async function clearOutbox(mark: MarkDoc): Promise<void> {
    const { collection, id } = parseAggregate(mark.agg);
    const col = docs.get(collection);
    if (!col) return;
    await locks.withLock(documentLockKey(collection, id), async () => {
      const doc = await col.of(id).findOne({ _id: id }, { projection: { version: 1 } });
      if (doc?.version === mark.v) await withBusyRetry(() => col.of(id).updateOne({ _id: id }, { $set: { outbox: [] } }));
    });
  }

  /**
   * The marks of a page that may be published now: an insert's marks (`t`) once its document
   * carries their token — one read by `_id` per such document. Until then they and every later
   * mark of that document wait; an insert that failed (no document a minute later) or lost to
   * another insert of the same id (another token) has its marks deleted, never published.
   */
  const insertsWritten = insertConfirmation.judge<MarkDoc>({
    documentOf: (m) => m.agg,
    locate(agg) {
      const { collection, id } = parseAggregate(agg);
      const col = docs.get(collection);
      return col && { collection: col.of(id), id };
    },
    tokenOf: (m) => m.t,
    markedAt: (m) => m.at,
    // A page's marks all come from one partition (as do all of one document's).
    discard: (dropped) =>
      marks.remove(
        marks.collection.indexOf(dropped[0]!.agg),
        dropped.map((m) => m._id),
        false,
      ),
    readConcurrency: PAGE,
  });

  return {
    async claim(token, limit) {
      if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        await locks.sweepExpired();
      }
      const start = rotation++ % marks.partitions;
      const parts = Array.from({ length: marks.partitions }, (_, i) => (start + i) % marks.partitions);
      // One insert leases them all; a partition another relay holds is looked at next round.
      const acquired = new Set(await locks.tryAcquireMany(parts.map(leaseKey), token, leaseMs));
      const pages: Lease[] = [];
      let events = 0;
      for (const p of parts) {
        if (!acquired.has(leaseKey(p)) || events >= limit) continue;
        // Read under the lease: another relay may have just published this partition.
        const page: MarkDoc[] = [];
        const asked = Math.max(1, Math.min(PAGE, limit - events));
        const read = await marks.page(p, asked);
        for (const m of read) {
          // Legacy marks (no envelopes) are converted on start (migrateLegacyOutboxes); a claim
          // is one produce request, so it stops at `limit` envelopes (at least one mark).
          if (!m.env) continue;
          if (events && events + m.env.length > limit) break;
          page.push(m);
          events += m.env.length;
        }
        const { publish: ready } = await insertsWritten(page);
        if (ready.length) pages.push({ partition: p, marks: ready, whole: read.length < asked });
      }
      const used = new Set(pages.map((l) => leaseKey(l.partition)));
      const unused = [...acquired].filter((k) => !used.has(k));
      if (unused.length) await locks.releaseMany(unused, token);
      leases.set(token, pages);
      // Per document in version order (the marks' `_id`s sort so; pages come in insertion order).
      const byDoc = new Map<string, Envelope[]>();
      const pending = pages.flatMap((l) => l.marks).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      for (const m of pending) byDoc.set(m.agg, [...(byDoc.get(m.agg) ?? []), ...m.env!.map((e) => JSON.parse(e) as Envelope)]);
      if (!byDoc.size) await releaseLeases(token);
      return [...byDoc].map(([id, evs]): ClaimedOutbox => ({ id, events: evs }));
    },

    async acknowledge(token) {
      const pages = leases.get(token) ?? [];
      // Exactly the marks this round read and published; newer ones inserted meanwhile stay.
      for (const l of pages)
        await marks.remove(
          l.partition,
          l.marks.map((m) => m._id),
          l.whole,
        );
      await releaseLeases(token);
      // Not awaited: reading and rewriting a ~4 MB schedule takes a second, and the round's
      // events are published already. An outbox left full is harmless (the next write replaces it).
      for (const m of pages.flatMap((l) => l.marks).filter((x) => x.clear)) void clearOutbox(m).catch(() => undefined);
    },

    async release(token) {
      await releaseLeases(token);
    },

    backlog: () => marks.count(),
  };
}

/**
 * Converts what the relay left pending before session 10 into marks with envelopes: a document
 * whose outbox held unpublished envelopes had a mark without them (`<collection>/<id>`), or, in
 * databases older still, none at all. Runs on start, before the service writes: a write now
 * replaces the outbox with its own envelopes, which would drop the older unpublished ones.
 * Once per database for the unmarked documents (@lm/mongo `runOnce`: the scan decodes every
 * document); the few legacy marks on every start. Safe to repeat (marks are inserted ignoring
 * duplicates). Returns how many documents it marked.
 */
export async function migrateLegacyOutboxes(
  conn: Connection,
  collections: OutboxCollection[],
  log: (msg: string, data: object) => void = () => undefined,
): Promise<number> {
  const marks = createOutboxMarks(conn);
  const repair = outboxRepair(conn, collections, marks);
  const unmarked = await runOnce(conn.db!, 'outbox_marks', async () => {
    let marked = 0;
    for (const [name, col] of outboxCollections(conn, collections))
      for (const part of col.all())
        for (const d of await part.find({ 'outbox.0': { $exists: true } }, { projection: { _id: 1 } }).toArray()) {
          await repair(documentLockKey(name, d._id));
          marked++;
        }
    return marked;
  });
  let n = unmarked.ran ? unmarked.result : 0;
  for (const part of marks.collection.all())
    for (const legacy of await part.find({ env: { $exists: false } }).toArray()) {
      const { collection, id } = parseAggregate(legacy._id);
      await repair(documentLockKey(collection, id));
      await withBusyRetry(() => part.deleteOne({ _id: legacy._id }));
      n++;
    }
  if (n) log('outboxes of the earlier layout marked for the relay', { documents: n });
  return n;
}
