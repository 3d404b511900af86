import type { Envelope } from '@lm/contracts';
import { withBusyRetry, type DocumentLocks } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import { orgLockKey, relayLeaseKey } from './organisation.locks';
import type { OrganisationCollections } from './organisation.model';
import { createPendingMarks } from './outbox.pending';

/** How long an acknowledgement waits for writers holding organisation locks (well under the 30 s lease). */
const ACK_WAIT_MS = 15_000;
const versionOf = (e: Envelope) => (e.data as { version: number }).version;
/** A mark whose organisation does not exist this long after marking was left by a create that failed. */
const ORPHAN_MARK_MS = 60_000;
/** `{_id}` reads of one round in flight at once (per kind: outboxes and marks are read side by side). */
const READ_CONCURRENCY = 8;

/**
 * The relay's view of the organisations (the @lm/outbox store port):
 * - pending work = the pending marks (never a scan of the organisations);
 * - a relay *leases* an organisation (`relay:<id>` lock) for claim → publish → acknowledge,
 *   so one organisation's events are published by one relay at a time, in order;
 * - the acknowledgement takes the `org:<id>` lock that API writes take, re-reads the outbox
 *   and clears the mark only when nothing was appended meanwhile (else it keeps only the
 *   unpublished events) — the outbox itself is left as is otherwise: the next write of the
 *   organisation starts a fresh one, so the common acknowledgement is one delete per organisation.
 */
export function createOutboxStore(c: OrganisationCollections, locks: DocumentLocks, opts: { leaseMs?: number } = {}): OutboxStore {
  const leaseMs = opts.leaseMs ?? 30_000;
  const marks = createPendingMarks(c);
  let rotation = 0;
  /** The outboxes of `ids`: one `{_id}` read each, the one shape FerretDB serves without decoding a whole table. */
  async function readOutboxes(ids: string[]): Promise<Map<string, string[]>> {
    const docs = await c.orgs.findEach(ids, { projection: { outbox: 1 }, concurrency: READ_CONCURRENCY });
    return new Map([...docs].map(([id, d]) => [id, d.outbox ?? []]));
  }

  /** The outbox's events from the mark's version on: older ones were published before the mark was set. */
  const unpublished = (outbox: string[] | undefined, from: number) => (outbox ?? []).map((e) => JSON.parse(e) as Envelope).filter((e) => versionOf(e) >= from);

  /**
   * Caller holds the `org:<id>` locks of `mine`: re-reads each outbox; marks whose events were
   * all published are deleted together, an outbox a concurrent write appended to keeps only
   * what is left. The claim returned every outbox event from the mark's version on, so the
   * oldest event sent stands for the mark (the lease kept other relays off it): the marks are
   * not read again — each read is one more statement per event on FerretDB.
   */
  async function settle(mine: ClaimedOutbox[]): Promise<void> {
    const outboxes = await readOutboxes(mine.map((p) => p.id));
    const done: string[] = [];
    for (const p of mine) {
      const sent = new Set(p.events.map((e) => e.id));
      const from = Math.min(...p.events.map(versionOf));
      const left = unpublished(outboxes.get(p.id), from).filter((e) => !sent.has(e.id));
      if (!left.length) done.push(p.id);
      else await withBusyRetry(() => c.orgs.of(p.id).updateOne({ _id: p.id }, { $set: { outbox: left.map((e) => JSON.stringify(e)) } }));
    }
    await marks.clearMany(done);
  }

  return {
    async claim(token, limit) {
      const page = await marks.page(limit, rotation++ % c.pending.partitions);
      if (!page.length) return [];
      const leased = new Set(
        await locks.tryAcquireMany(
          page.map((m) => relayLeaseKey(m._id)),
          token,
          leaseMs,
        ),
      );
      const mine = page.filter((m) => leased.has(relayLeaseKey(m._id))).map((m) => m._id);
      // Read mark and outbox after leasing: what another relay acknowledged meanwhile (mark
      // gone, or set again from a newer version) is not published again.
      const [outboxes, current] = await Promise.all([readOutboxes(mine), marks.getMany(mine)]);
      const claimed: ClaimedOutbox[] = [];
      const skipped: string[] = [];
      const orphans: string[] = [];
      for (const id of mine) {
        const mark = current.get(id);
        const outbox = outboxes.get(id);
        const events = mark ? unpublished(outbox, mark.from) : [];
        if (events.length) claimed.push({ id, events });
        else {
          skipped.push(id);
          // No document: its create is in flight (keep the mark) or failed long ago (drop it).
          if (mark && !outbox && Date.now() - mark.at > ORPHAN_MARK_MS) orphans.push(id);
        }
      }
      await marks.clearMany(orphans);
      await locks.releaseMany(skipped.map(relayLeaseKey), token);
      return claimed;
    },

    async acknowledge(token, published) {
      // Still locked by a writer after the wait: left pending; the next round republishes
      // them (same envelope ids and versions, so consumers drop the duplicates).
      await locks.withEachLocked(published, (p) => orgLockKey(p.id), token, settle, ACK_WAIT_MS);
      await locks.releaseMany(
        published.map((p) => relayLeaseKey(p.id)),
        token,
      );
    },

    async release(token, claimed) {
      await locks.releaseMany(
        claimed.map((p) => relayLeaseKey(p.id)),
        token,
      );
    },

    backlog: () => marks.count(),
  };
}
