import type { Envelope } from '@lm/contracts';
import { countFromStats, createInsertConfirmation, deleteByIds, insertManyIgnoringDuplicates, isDuplicateKeyError, withBusyRetry } from '@lm/mongo';
import type { OrganisationCollections, PendingDoc } from './organisation.model';
import { groupBy } from '../domain/batching';

/** One event waiting for the relay. */
export interface PendingEvent {
  org: string;
  version: number;
  /** The serialised envelope, exactly as stored with the change. */
  env: string;
  /** A create's tentative mark: its document's `creation` token (see PendingDoc). */
  confirm?: string;
  /** Written beside its document's update, not after it (see PendingDoc `after`). */
  after?: boolean;
}

/**
 * How long a tentative mark whose organisation does not exist yet counts as a create in flight
 * (a create gives up writing its document a third of it after its mark: @lm/mongo insert.confirmation).
 */
export const TENTATIVE_GRACE_MS = 30_000;

/** `after` marks whose update this process saw land, remembered at most (oldest forgotten first: the relay reads those). */
const LANDED_REMEMBERED = 10_000;

/** Zero-padded so that a mark's `_id` sorts by version, too. */
export const markId = (org: string, version: number) => `${org}:${String(version).padStart(10, '0')}`;
const versionOf = (env: string) => ((JSON.parse(env) as Envelope).data as { version: number }).version;

/**
 * The pending marks: one document per unpublished event (see PendingDoc), in 16 partitions by
 * organisation. Only inserts, one unsorted page read and `_id` deletes touch them — the
 * statements FerretDB serves without decoding a table (NOTES.md) — so a relay round costs the
 * same at 1,000 or 100,000 organisations, and a few statements for a whole page of events.
 */
export function createPendingMarks(c: OrganisationCollections, now: () => number = Date.now) {
  const docOf = (e: PendingEvent): PendingDoc => ({
    _id: markId(e.org, e.version),
    org: e.org,
    v: e.version,
    env: e.env,
    at: now(),
    ...(e.confirm ? { confirm: e.confirm } : {}),
    ...(e.after ? { after: true as const } : {}),
  });
  /** Partitions this process marked since the relay last looked (see `takeTouched`). */
  const touched = new Set<number>();
  /**
   * Ids of `after` marks whose update this process's writer saw acknowledged: the document shows
   * their version, so a relay in the same process publishes them without reading it (the read
   * stays for other instances' marks, crashed writers and after a restart).
   */
  const landed = new Set<string>();
  /** Creates take no lock: the document stores its tentative mark's token as `creation`. */
  // Updates mark beside their document write: the relay also reads the document's `version`.
  const creations = createInsertConfirmation({ tokenField: 'creation', versionField: 'version', graceMs: TENTATIVE_GRACE_MS, now });

  /** Marks events as pending (one insert per pending partition); already marked ones are kept as they are. */
  async function add(events: PendingEvent[]): Promise<void> {
    for (const group of groupBy(events, (e) => c.pending.indexOf(e.org))) {
      await insertManyIgnoringDuplicates(c.pending.of(group[0]!.org), group.map(docOf));
      touched.add(c.pending.indexOf(group[0]!.org));
    }
  }

  /**
   * Repairs what a writer of `org` that crashed under its `org:<id>` lock (or could not finish)
   * left, before the next writer takes the lock: marks again what the organisation's outbox
   * holds (the events of its last write; one published already goes out a second time — same
   * id and version, consumers drop it — never lost), and withdraws the mark of the version
   * after the document's (written beside an update that never landed: else the next writer's
   * mark of that version would be ignored as a duplicate and the phantom's envelope published).
   */
  async function repair(org: string): Promise<void> {
    const doc = await c.orgs.of(org).findOne({ _id: org }, { projection: { outbox: 1, version: 1 } });
    if (!doc) return;
    await Promise.all([add((doc.outbox ?? []).map((env) => ({ org, version: versionOf(env), env }))), withdraw(org, doc.version + 1)]);
  }

  /**
   * A create's tentative mark, written before its document (no lock: see organisation.repository
   * `insert`). Resolves to its time, or to undefined when a mark of that version exists already
   * (another create of the same id is in flight, or its first event is still pending).
   */
  async function addTentative(e: PendingEvent & { confirm: string }): Promise<number | undefined> {
    const doc = docOf(e);
    try {
      await withBusyRetry(() => c.pending.of(e.org).insertOne(doc));
    } catch (err) {
      if (isDuplicateKeyError(err)) return undefined;
      throw err;
    }
    touched.add(c.pending.indexOf(e.org));
    return doc.at;
  }

  /**
   * Sorts a page of marks out by reading the organisations of its tentative and `after` ones
   * (one `{_id}` read each, side by side): publish — a mark written after its document, a
   * tentative one whose document carries its token, an `after` one whose document shows its
   * version; hold — a create or update in flight, with every later mark of its organisation;
   * the others (another create won, or nothing landed within the grace) are removed now.
   */
  const judge = creations.judge<PendingDoc>({
    documentOf: (m) => m.org ?? m._id,
    locate: (org) => ({ collection: c.orgs.of(org), id: org }),
    // A legacy mark (no envelope) is never a create's: the start-up migration converts it.
    tokenOf: (m) => (m.org && m.env ? m.confirm : undefined),
    updatedVersionOf: (m) => (m.org && m.env && m.after && !landed.has(m._id) ? m.v : undefined),
    markedAt: (m) => m.at,
    async discard(dropped) {
      for (const group of groupBy(dropped, (m) => c.pending.indexOf(m.org!)))
        await deleteByIds(
          c.pending.of(group[0]!.org!),
          group.map((m) => m._id),
          false,
        );
    },
  });

  /** Removes the mark of `org` at `version` (a create that gave up removes its tentative mark). */
  async function withdraw(org: string, version: number): Promise<void> {
    const id = markId(org, version);
    await withBusyRetry(() => c.pending.of(org).deleteOne({ _id: id }));
  }

  /** The update written beside the `after` mark of `org` at `version` was acknowledged (see `landed`). */
  function updateLanded(org: string, version: number): void {
    landed.add(markId(org, version));
    if (landed.size > LANDED_REMEMBERED) landed.delete(landed.values().next().value!);
  }

  return {
    add,
    addTentative,
    updateLanded,
    withdraw,
    judge,
    /** A create's token and its document write after the tentative mark (see organisation.repository `insert`). */
    creations,
    repair,

    /**
     * Up to `limit` marks of one pending partition, unsorted: the engine's natural order, which
     * is insertion order (SQLite rowid; WiredTiger for an insert-only collection), so one
     * organisation's marks come in version order (each is inserted under the organisation's
     * lock, after the previous one). An unsorted `limit` stops reading early on FerretDB.
     */
    page: (partition: number, limit: number): Promise<PendingDoc[]> => c.pending.all()[partition]!.find({}).limit(limit).toArray(),

    /**
     * The partitions this process's writes marked since the last call: where a relay in the
     * same process looks first (a write kicks it), instead of reading every partition per round.
     */
    takeTouched(): number[] {
      const out = [...touched];
      touched.clear();
      return out;
    },
    touch: (partition: number) => touched.add(partition),

    /**
     * Deletes exactly these marks of one partition; a mark inserted meanwhile has another `_id`
     * and stays. `small`: the partition held at most a few times these when they were read — one
     * `deleteMany({_id: {$in}})`, which FerretDB runs by decoding the partition in Go once
     * (100 marks of 100–300: 10–35 ms); else one round trip of `deleteOne({_id})`s, each served
     * by the `_id` index (~1 ms a mark whatever the partition's size; `$in` over 1,800: 230 ms).
     */
    async remove(partition: number, ids: string[], small: boolean): Promise<void> {
      await deleteByIds(c.pending.all()[partition]!, ids, small);
      for (const id of ids) landed.delete(id);
    },

    /**
     * Marks in all partitions from the engine's collection statistics (`$collStats` count:
     * SQLite's page statistics on FerretDB, metadata on MongoDB). `countDocuments` would decode
     * every mark in Go on FerretDB — 100,000 documents on each /metrics scrape after a seed.
     */
    async count(): Promise<number> {
      let n = 0;
      for (const col of c.pending.all()) n += await countFromStats(col);
      return n;
    },

    /**
     * Moves the marks kept in the main database before session 10 into the outbox database
     * (same partition numbers), a page at a time: inserted there first, then deleted here, so a
     * crash halfway leaves a copy that inserts ignore. Runs on start, before the relay.
     */
    async moveFromMainDatabase(onProgress?: (moved: number) => void): Promise<number> {
      let moved = 0;
      for (const [p, legacy] of c.legacyPending.all().entries()) {
        for (;;) {
          const page = await legacy
            .find({})
            .limit(200)
            .toArray()
            .catch((e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e)));
          if (!page.length) break;
          await insertManyIgnoringDuplicates(c.pending.all()[p]!, page);
          await withBusyRetry(() => legacy.deleteMany({ _id: { $in: page.map((m) => m._id) } }));
          moved += page.length;
          onProgress?.(moved);
        }
      }
      return moved;
    },

    /**
     * Converts the marks of the layout before session 9 (`_id` = organisation id, `from` = first
     * unpublished version, events only in the organisation's outbox) into one mark per event.
     * Runs on start, before the service writes: a write now keeps only its own event in the
     * outbox, which would drop the older unpublished ones of a legacy mark. Returns how many it
     * converted; safe to repeat (a crash halfway leaves duplicates that inserts ignore).
     */
    async migrateLegacyMarks(onProgress?: (converted: number) => void): Promise<number> {
      let converted = 0;
      for (const col of c.pending.all()) {
        for (;;) {
          const legacy = await col
            .find({ env: { $exists: false } })
            .limit(200)
            .toArray()
            .catch((e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e)));
          if (!legacy.length) break;
          for (const mark of legacy) {
            const doc = await c.orgs.of(mark._id).findOne({ _id: mark._id }, { projection: { outbox: 1 } });
            const events = (doc?.outbox ?? []).map((env) => ({ org: mark._id, version: versionOf(env), env })).filter((e) => e.version >= (mark.from ?? 1));
            await add(events);
            await withBusyRetry(() => col.deleteOne({ _id: mark._id }));
          }
          converted += legacy.length;
          onProgress?.(converted);
        }
      }
      return converted;
    },
  };
}
export type PendingMarks = ReturnType<typeof createPendingMarks>;
