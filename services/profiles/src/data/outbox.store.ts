import type { Envelope } from '@lm/contracts';
import type { DocumentLocks } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import { relayPartitionKey } from './organisation.locks';
import type { OrganisationCollections, PendingDoc } from './organisation.model';
import { createPendingMarks, type PendingMarks } from './outbox.pending';

/** How often a relay repairs what crashed writers left (expired `org:<id>` locks, see organisation.locks). */
const SWEEP_EVERY_MS = 5_000;
/**
 * How often a round looks at every pending partition; in between it reads only those this
 * process's writes marked (`takeTouched`). Other instances' writes and repaired marks are
 * found by the full look — at most this long after their write.
 */
const FULL_LOOK_EVERY_MS = 500;

/**
 * A partition is read up to this many times its share of the round: when that is all it holds
 * (the usual case: partitions are drained every round), its published marks are removed with
 * one `deleteMany({_id: {$in}})` — FerretDB decodes the partition once, ~0.1 ms a mark, in one
 * transaction — instead of a `deleteOne` per mark (~1–2 ms each: a transaction and a WAL sync
 * apiece). Measured on a 1,000-event round: acknowledgement 0.6–1.9 s with per-mark deletes.
 */
const LOOK_AHEAD = 4;

/** `marks`: those the round publishes; `small`: the read held all the partition's marks (see LOOK_AHEAD). */
type Lease = { partition: number; marks: PendingDoc[]; small: boolean };

/**
 * The relay's view of the organisations (the @lm/outbox store port), in a few statements per
 * round whatever the number of events:
 * - pending work = the pending marks, one per event, carrying its envelope (never a read of an
 *   organisation);
 * - a relay *leases* whole pending partitions (`relay:p<NN>` locks, one insert and one delete
 *   per round for all of them) for claim → publish → acknowledge: an organisation's marks all
 *   live in one partition, so its events are published by one relay at a time, in version order;
 * - the acknowledgement deletes exactly the published marks (one statement per partition): a
 *   write during the round inserted a mark with another `_id`, which stays — no organisation
 *   lock needed.
 */
export function createOutboxStore(c: OrganisationCollections, locks: DocumentLocks, opts: { leaseMs?: number; marks?: PendingMarks } = {}): OutboxStore {
  const leaseMs = opts.leaseMs ?? 30_000;
  // Shared with the repository of the same process (wiring) for the touched partitions.
  const marks = opts.marks ?? createPendingMarks(c);
  const leases = new Map<string, { keys: string[]; pages: Lease[] }>();
  let rotation = 0;
  let lastSweep = 0;
  let lastFullLook = 0;

  /** Every partition that has marks (rotating the start so none starves) now and then, else the ones this process marked. */
  async function partitionsToLook(): Promise<{ parts: number[]; full: boolean }> {
    if (Date.now() - lastFullLook < FULL_LOOK_EVERY_MS) return { parts: marks.takeTouched(), full: false };
    lastFullLook = Date.now();
    marks.takeTouched();
    const n = c.pending.partitions;
    const start = rotation++ % n;
    const all = Array.from({ length: n }, (_, i) => (start + i) % n);
    const nonEmpty = await Promise.all(all.map(async (p) => (await marks.page(p, 1)).length > 0));
    return { parts: all.filter((_, i) => nonEmpty[i]), full: true };
  }

  async function releaseLeases(token: string): Promise<void> {
    const held = leases.get(token);
    leases.delete(token);
    if (held) await locks.releaseMany(held.keys, token);
  }

  return {
    async claim(token, limit) {
      if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        await locks.sweepExpired();
      }
      const { parts } = await partitionsToLook();
      // One insert leases them all; a partition another relay holds is looked at again next round.
      const acquired = new Set(await locks.tryAcquireMany(parts.map(relayPartitionKey), token, leaseMs));
      const leased = parts.filter((p) => acquired.has(relayPartitionKey(p)));
      for (const p of parts) if (!acquired.has(relayPartitionKey(p))) marks.touch(p);
      // Read under the lease (another relay may have just published a partition), all leased
      // partitions side by side — reads do not queue for SQLite's writer — each its share of the batch.
      const share = Math.max(1, Math.ceil(limit / Math.max(1, leased.length)));
      const read = await Promise.all(leased.map((p) => marks.page(p, share * LOOK_AHEAD)));
      const pagesRead = read.map((r) => r.slice(0, share));
      // Tentative marks (single creates, written before their document) are judged by reading
      // their organisations (outbox.pending `judge`): those of a create in flight are held, with
      // every later mark of their organisation; those that will never be confirmed are removed.
      const judged = await marks.judge(pagesRead.flat());
      const held = new Set(judged.hold.map((m) => m._id));
      const ready = new Set(judged.publish.map((m) => m._id));
      const pages: Lease[] = [];
      leased.forEach((p, i) => {
        const page = pagesRead[i]!;
        // More there, or a create in flight: next round.
        if (read[i]!.length > share || page.some((m) => held.has(m._id))) marks.touch(p);
        // A legacy mark (no envelope) is left for the start-up migration.
        const publish = page.filter((m) => m.env && m.org && ready.has(m._id));
        if (publish.length) pages.push({ partition: p, marks: publish, small: read[i]!.length < share * LOOK_AHEAD });
      });
      // Leases of partitions this round does not publish from are given back now.
      const used = new Set(pages.map((l) => relayPartitionKey(l.partition)));
      const unused = [...acquired].filter((k) => !used.has(k));
      if (unused.length) await locks.releaseMany(unused, token);
      leases.set(token, { keys: [...used], pages });
      // Per organisation in version order (the `_id`s sort so).
      const byOrg = new Map<string, Envelope[]>();
      const pending = pages.flatMap((l) => l.marks);
      pending.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      for (const m of pending) {
        const list = byOrg.get(m.org!) ?? [];
        list.push(JSON.parse(m.env!) as Envelope);
        byOrg.set(m.org!, list);
      }
      if (!byOrg.size) await releaseLeases(token);
      return [...byOrg].map(([id, events]): ClaimedOutbox => ({ id, events }));
    },

    async acknowledge(token) {
      // Exactly the marks this round read and published; newer ones inserted meanwhile stay.
      // One statement per partition, one after another: they all write the outbox database's
      // file, whose one SQLite writer makes concurrent writers poll (sleeping) for it.
      for (const l of leases.get(token)?.pages ?? []) {
        await marks.remove(
          l.partition,
          l.marks.map((m) => m._id),
          l.small,
        );
      }
      await releaseLeases(token);
    },

    async release(token) {
      await releaseLeases(token);
    },

    backlog: () => marks.count(),
  };
}
