import type { Envelope } from '@lm/contracts';
import type { DocumentLocks } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import { relayPartitionKey } from './organisation.locks';
import type { OrganisationCollections, PendingDoc } from './organisation.model';
import { createPendingMarks } from './outbox.pending';

/** How often a relay repairs what crashed writers left (expired `org:<id>` locks, see organisation.locks). */
const SWEEP_EVERY_MS = 5_000;

type Lease = { partition: number; until: number; marks: PendingDoc[] };

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
export function createOutboxStore(c: OrganisationCollections, locks: DocumentLocks, opts: { leaseMs?: number } = {}): OutboxStore {
  const leaseMs = opts.leaseMs ?? 30_000;
  const marks = createPendingMarks(c);
  const leases = new Map<string, Lease[]>();
  let rotation = 0;
  let lastSweep = 0;

  /** Leases `partition` when it has marks; its page read under the lease (another relay may have just published it). */
  async function leasePartition(partition: number, limit: number, token: string): Promise<Lease | undefined> {
    if (!(await marks.page(partition, 1)).length) return undefined;
    const until = await locks.acquire(relayPartitionKey(partition), token, leaseMs);
    if (until === undefined) return undefined;
    const page = await marks.page(partition, limit);
    if (page.length) return { partition, until, marks: page };
    await locks.releaseHeld(relayPartitionKey(partition), token, until);
    return undefined;
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
      const parts = c.pending.partitions;
      const start = rotation++ % parts;
      const held: Lease[] = [];
      let count = 0;
      for (let i = 0; i < parts && count < limit; i++) {
        const lease = await leasePartition((start + i) % parts, limit - count, token);
        if (!lease) continue;
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
      const published = (leases.get(token) ?? []).flatMap((l) => l.marks).filter((m) => m.env && m.org);
      await marks.remove(published.map((m) => ({ org: m.org!, _id: m._id })));
      await releaseLeases(token);
    },

    async release(token) {
      await releaseLeases(token);
    },

    backlog: () => marks.count(),
  };
}
