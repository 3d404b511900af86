import type { Envelope } from '@lm/contracts';
import { createPartitionedCollection, withBusyRetry, type PartitionedCollection } from '@lm/mongo';
import type { ClaimedOutbox, OutboxStore } from '@lm/outbox';
import type { Connection } from 'mongoose';
import { createEventsLocks, documentLockKey } from './document.locks';
import { createOutboxMarks, parseAggregate } from './outbox.marks';

type OutboxDoc = { _id: string; outbox?: Envelope[] };

/** A collection whose documents carry an outbox; `partitions` as its repository lays it out. */
export type OutboxCollection = string | { name: string; partitions: number };

const ACK_WAIT_MS = 5_000;
/** A mark whose document does not exist this long after marking was left by an insert that failed. */
const ORPHAN_MARK_MS = 60_000;
const leaseKey = (aggregate: string) => `relay:${aggregate}`;
/**
 * Envelopes one claim hands to the producer at most: a claim is one Kafka produce request, and a
 * published schedule's document holds one envelope per meeting (2,000 at 1,000 participants,
 * ~2 MB) — more than the broker's 1 MB message limit, which failed every round for good. The rest
 * of a document's outbox stays for the next rounds, in order (acknowledge removes by id).
 */
const MAX_EVENTS_PER_CLAIM = 200;

/**
 * The events service's outbox (envelopes parked in documents' `outbox` arrays, written in the
 * same update as the change) behind the @lm/outbox store port:
 * - pending work = the marks (`outbox.marks.ts`), never a scan of the documents; outboxes
 *   written before marks existed are marked once, on the first claim or backlog count;
 * - claim: marked documents, leased per document (`relay:<collection>/<id>`) so one document's
 *   events are published by one relay at a time, in order; the outbox is re-read after leasing;
 * - acknowledge: under the document lock that use-case updates take, removes exactly the
 *   published envelopes (an envelope appended meanwhile stays) and clears the mark when none is left.
 */
export function createEventsOutboxStore(conn: Connection, collections: OutboxCollection[], opts: { leaseMs?: number } = {}): OutboxStore {
  const locks = createEventsLocks(conn);
  const marks = createOutboxMarks(conn);
  const leaseMs = opts.leaseMs ?? 30_000;
  const byName = new Map<string, PartitionedCollection<OutboxDoc>>(
    collections.map((c) =>
      typeof c === 'string'
        ? [c, createPartitionedCollection<OutboxDoc>(conn, c, 1)]
        : [c.name, createPartitionedCollection<OutboxDoc>(conn, c.name, c.partitions)],
    ),
  );
  let rotation = 0;
  let recovered: Promise<void> | undefined;

  /** Documents with envelopes but no mark (stored before marks existed): one scan per process. */
  const recoverUnmarked = () =>
    (recovered ??= (async () => {
      for (const [name, col] of byName) {
        for (const part of col.all()) {
          for (const d of await part.find({ 'outbox.0': { $exists: true } }, { projection: { _id: 1 } }).toArray()) await marks.mark(name, d._id);
        }
      }
    })().catch((e: unknown) => {
      recovered = undefined;
      throw e;
    }));

  async function readOutbox(aggregate: string): Promise<Envelope[] | undefined> {
    const { collection, id } = parseAggregate(aggregate);
    const col = byName.get(collection);
    if (!col) return [];
    const doc = await col.of(id).findOne({ _id: id }, { projection: { outbox: 1 } });
    return doc ? (doc.outbox ?? []) : undefined;
  }
  const lockOf = (aggregate: string) => {
    const { collection, id } = parseAggregate(aggregate);
    return documentLockKey(collection, id);
  };

  /** Under the documents' locks: clears the marks of those whose outbox is (still) empty. */
  async function clearIfEmpty(aggregates: string[], token: string): Promise<void> {
    await locks.withEachLocked(
      aggregates,
      lockOf,
      token,
      async (mine) => {
        const empty: string[] = [];
        for (const a of mine) if (!(await readOutbox(a))?.length) empty.push(a);
        await marks.clear(empty);
      },
      500,
    );
  }

  return {
    async claim(token, limit) {
      await recoverUnmarked();
      const page = await marks.page(limit, rotation++ % marks.partitions);
      if (!page.length) return [];
      const leased = new Set(
        await locks.tryAcquireMany(
          page.map((m) => leaseKey(m._id)),
          token,
          leaseMs,
        ),
      );
      const claimed: ClaimedOutbox[] = [];
      const empty: string[] = [];
      const orphans: string[] = [];
      const mine = page.filter((x) => leased.has(leaseKey(x._id)));
      // Read after leasing: what another relay acknowledged meanwhile is not published again.
      const outboxes = await Promise.all(mine.map((m) => readOutbox(m._id)));
      let room = MAX_EVENTS_PER_CLAIM;
      for (const [i, m] of mine.entries()) {
        const events = outboxes[i];
        if (events?.length && room > 0) {
          claimed.push({ id: m._id, events: events.slice(0, room) });
          room -= Math.min(room, events.length);
        } else if (events?.length) continue;
        // No document yet: its insert is in flight (keep the mark) or failed long ago (drop it).
        else if (events) empty.push(m._id);
        else if (Date.now() - m.at > ORPHAN_MARK_MS) orphans.push(m._id);
      }
      await clearIfEmpty(empty, token);
      await marks.clear(orphans);
      await locks.releaseMany(
        page.filter((m) => leased.has(leaseKey(m._id)) && !claimed.some((c) => c.id === m._id)).map((m) => leaseKey(m._id)),
        token,
      );
      return claimed;
    },

    async acknowledge(token, published) {
      // Still locked by a writer after the wait: left pending; the next round republishes
      // them (same envelope ids, consumers dedupe).
      await locks.withEachLocked(
        published,
        (p) => lockOf(p.id),
        token,
        async (mine) => {
          // Each document on its own (its lock is held): the round trips of the batch overlap.
          const done = await Promise.all(
            mine.map(async (p) => {
              const { collection, id } = parseAggregate(p.id);
              const sent = new Set(p.events.map((e) => e.id));
              const left = ((await readOutbox(p.id)) ?? []).filter((e) => !sent.has(e.id));
              await withBusyRetry(() =>
                byName
                  .get(collection)!
                  .of(id)
                  .updateOne({ _id: id }, { $set: { outbox: left } }),
              );
              return left.length ? [] : [p.id];
            }),
          );
          await marks.clear(done.flat());
        },
        ACK_WAIT_MS,
      );
      await locks.releaseMany(
        published.map((p) => leaseKey(p.id)),
        token,
      );
    },

    async release(token, claimed) {
      await locks.releaseMany(
        claimed.map((p) => leaseKey(p.id)),
        token,
      );
    },

    async backlog() {
      await recoverUnmarked();
      return marks.count();
    },
  };
}
