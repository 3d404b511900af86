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

/** `whole`: the page is everything the partition held when read (fewer than asked). */
type Lease = { partition: number; until: number; marks: PendingDoc[]; whole: boolean };

/**
 * The relay's view of the organisations (the @lm/outbox store port), in a few statements per
 * round whatever the number of events:
 * - pending work = the pending marks, one per event, carrying its envelope (never a read of an
 *   organisation);
 * - a relay *leases* a whole pending partition (`relay:p<NN>` lock) for claim → publish →
 *   acknowledge: an organisation's marks all live in one partition, so its events are published
 *   by one relay at a time, in version order;
 * - the acknowledgement deletes exactly the published marks by `_id`: a write during the round
 *   inserted a mark with another `_id`, which stays — no organisation lock needed.
 */
export function createOutboxStore(c: OrganisationCollections, locks: DocumentLocks, opts: { leaseMs?: number; marks?: PendingMarks } = {}): OutboxStore {
  const leaseMs = opts.leaseMs ?? 30_000;
  // Shared with the repository of the same process (wiring) for the touched partitions.
  const marks = opts.marks ?? createPendingMarks(c);
  const leases = new Map<string, Lease[]>();
  let rotation = 0;
  let lastSweep = 0;
  let lastFullLook = 0;

  /**
   * Leases `partition` and reads its page under the lease (another relay may have just
   * published it); `peek` first checks it has marks at all (a lease costs two statements).
   * 'busy': another relay holds it.
   */
  async function leasePartition(partition: number, limit: number, token: string, peek: boolean): Promise<Lease | 'busy' | undefined> {
    if (peek && !(await marks.page(partition, 1)).length) return undefined;
    const until = await locks.acquire(relayPartitionKey(partition), token, leaseMs);
    if (until === undefined) return 'busy';
    const page = await marks.page(partition, limit);
    if (page.length) return { partition, until, marks: page, whole: page.length < limit };
    await locks.releaseHeld(relayPartitionKey(partition), token, until);
    return undefined;
  }

  /** Every partition (rotating the start so none starves) now and then, else the ones this process marked. */
  function partitionsToLook(): { parts: number[]; full: boolean } {
    if (Date.now() - lastFullLook < FULL_LOOK_EVERY_MS) return { parts: marks.takeTouched(), full: false };
    lastFullLook = Date.now();
    marks.takeTouched();
    const n = c.pending.partitions;
    const start = rotation++ % n;
    return { parts: Array.from({ length: n }, (_, i) => (start + i) % n), full: true };
  }

  async function releaseLeases(token: string): Promise<void> {
    const held = leases.get(token) ?? [];
    leases.delete(token);
    for (const l of held) await locks.releaseHeld(relayPartitionKey(l.partition), token, l.until);
  }

  return {
    async claim(token, limit) {
      if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        await locks.sweepExpired();
      }
      const { parts, full } = partitionsToLook();
      const held: Lease[] = [];
      let count = 0;
      for (const p of parts) {
        if (count >= limit) {
          if (!full) marks.touch(p); // not looked at: next round
          continue;
        }
        const lease = await leasePartition(p, limit, token, full);
        if (lease === 'busy' || (lease && !lease.whole)) marks.touch(p); // more there: next round
        if (!lease || lease === 'busy') continue;
        held.push(lease);
        count += lease.marks.length;
      }
      leases.set(token, held);
      // Per organisation in version order (the `_id`s sort so); a legacy mark (no envelope)
      // is left for the start-up migration.
      const byOrg = new Map<string, Envelope[]>();
      const pending = held.flatMap((l) => l.marks).filter((m) => m.env && m.org);
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
      for (const l of leases.get(token) ?? []) {
        const ids = l.marks.filter((m) => m.env && m.org).map((m) => m._id);
        await marks.remove(l.partition, ids, l.whole);
      }
      await releaseLeases(token);
    },

    async release(token) {
      await releaseLeases(token);
    },

    backlog: () => marks.count(),
  };
}
