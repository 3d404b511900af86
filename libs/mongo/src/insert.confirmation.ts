import { randomBytes } from 'crypto';
import { withBusyRetry } from './busy.retry';
import { isDuplicateKeyError } from './connection';

/** The one read the relay makes of a marked document (any driver collection keyed by a string `_id`). */
type ReadById = { findOne(filter: { _id: string }, options: { projection: Record<string, 1> }): Promise<unknown> };
/** Where a marked document is stored: its collection (partition) and `_id`. */
export type MarkedDocument = { collection: ReadById; id: string };

/** One kind of confirmed insert, the same for its writers and its relay. */
export interface InsertConfirmationSettings {
  /** The document field that stores its insert's token (part of the data layout). */
  tokenField: string;
  /**
   * How long an insert's mark whose document is not there counts as an insert in flight; after
   * that it is dropped (the writer crashed or gave up). Writers give up a third of it after
   * their mark (`deadlineMs`), so a mark is never dropped while its document may still come.
   */
  graceMs: number;
  /**
   * The document field that stores its version, for updates whose mark is written beside the
   * update instead of after it (`MarkView.updatedVersionOf`).
   */
  versionField?: string;
  now?: () => number;
}

/** How a relay sees its marks. */
export interface MarkView<M> {
  /** The document a mark is about: groups one document's marks (they are held together). */
  documentOf(mark: M): string;
  /** Where that document is stored; undefined: nowhere this relay knows (counts as not there). */
  locate(document: string): MarkedDocument | undefined;
  /** An insert's mark carries its token; an update's mark has none and is published as it comes. */
  tokenOf(mark: M): string | undefined;
  /**
   * An update's mark written beside its document update (not after it): the version the document
   * must show (or pass) before the mark is published; undefined for every other mark. Needs
   * `versionField`. Held like an insert's mark while the document is older and the mark younger
   * than the grace, dropped after it (its writer's update never landed).
   */
  updatedVersionOf?(mark: M): number | undefined;
  /** When the mark was written (ms since the epoch). */
  markedAt(mark: M): number;
  /** Deletes marks that must never be published (their insert lost, failed or crashed). */
  discard(marks: M[]): Promise<void>;
  /** Documents read side by side when a page is sorted out (default 8). */
  readConcurrency?: number;
}

/** What became of an insert: its document is written, another of that `_id` was there, or it came too late after its mark. */
export type InsertOutcome = 'written' | 'duplicate' | 'late';

/**
 * Inserts that take no lock, confirmed by the outbox relay (profiles' creates, events'
 * requests, attendance, feedback). A lock would cost two more writes per insert, and an insert
 * of an `_id` is atomic already (NOTES.md: the one statement FerretDB serves at any table size).
 * What is left to decide is which mark to publish, since the mark of an insert's events must be
 * written first (a crash after the document must lose nothing):
 * - the writer inserts a mark carrying a fresh token, then the document storing that token
 *   (`tokenField`), and withdraws the mark when its document is known not to be written
 *   (`insert`);
 * - the relay reads each marked document by `_id` (`judge`): the same token — publish once;
 *   no document yet, within `graceMs` — hold the mark and every later mark of that document
 *   (per-document order); another token or none stored (a losing insert of the same `_id`),
 *   or no document after the grace (a crash between mark and document) — drop, unpublished.
 */
export function createInsertConfirmation(settings: InsertConfirmationSettings) {
  const now = settings.now ?? Date.now;
  const deadlineMs = Math.floor(settings.graceMs / 3);
  const { tokenField, versionField, graceMs } = settings;
  const projection: Record<string, 1> = { [tokenField]: 1, ...(versionField ? { [versionField]: 1 as const } : {}) };

  /** The stored token (null: none) and version of each document (absent: no document). */
  async function storedStates<M>(view: MarkView<M>, documents: string[]): Promise<Map<string, { token: string | null; version?: number }>> {
    const found = new Map<string, { token: string | null; version?: number }>();
    let next = 0;
    const readNext = async (): Promise<void> => {
      while (next < documents.length) {
        const document = documents[next++]!;
        const where = view.locate(document);
        if (!where) continue;
        // One `{_id}` read each: the one filter FerretDB serves from its index (never `$in`).
        const doc = (await where.collection.findOne({ _id: where.id }, { projection })) as Record<string, unknown> | null;
        if (doc)
          found.set(document, {
            token: (doc[tokenField] as string | undefined) ?? null,
            version: versionField ? (doc[versionField] as number | undefined) : undefined,
          });
      }
    };
    await Promise.all(Array.from({ length: Math.min(view.readConcurrency ?? 8, documents.length) }, readNext));
    return found;
  }

  /** One mark against its document's stored state (undefined: no document), `age` ms after it was written. */
  function verdictOf(
    token: string | undefined,
    version: number | undefined,
    stored: { token: string | null; version?: number } | undefined,
    age: number,
  ): 'publish' | 'hold' | 'drop' {
    if (version !== undefined) {
      // An update's mark: its document shows that version once the update landed (a later
      // version only after it, under the same document lock). A phantom (update failed or
      // crashed) is withdrawn by its writer or the lock's repair; past the grace it is dropped here.
      if (stored?.version !== undefined && stored.version >= version) return 'publish';
      return age >= graceMs ? 'drop' : 'hold';
    }
    if (token === undefined || stored?.token === token) return 'publish';
    if (stored !== undefined || age >= graceMs) return 'drop';
    return 'hold';
  }

  return {
    /** A fresh token for one insert (its mark and its document). */
    newToken: (): string => randomBytes(8).toString('hex'),

    /** How long after its mark a writer may still start writing its document. */
    deadlineMs,

    /**
     * Writes an insert's document (`write`, retried while the engine is busy) after its mark,
     * written at `markedAt`. `undo` withdraws the mark (and whatever else the insert took) when
     * the document is known not to be written: another document of that `_id` was there, or the
     * deadline passed before the write. Any other error is thrown and the mark stays: the
     * document may be written (an answer lost on the way), and the relay decides by its token.
     */
    async insert(markedAt: number, write: () => Promise<unknown>, undo: () => Promise<unknown>): Promise<InsertOutcome> {
      if (now() - markedAt > deadlineMs) {
        await undo().catch(() => undefined);
        return 'late';
      }
      try {
        await withBusyRetry(write);
        return 'written';
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        await undo().catch(() => undefined);
        return 'duplicate';
      }
    },

    /**
     * The relay's side, over its marks (`view`): sorts a page of marks (in insertion order, so
     * per document in version order) into those to publish now and those held for a later
     * round; drops (deletes) those of inserts whose document will never carry their token, and
     * those of updates written beside their document that stayed older than the grace. One
     * `{_id}` read per document with such a mark in the page.
     */
    judge: <M>(view: MarkView<M>) =>
      async function sortOut(page: M[]): Promise<{ publish: M[]; hold: M[] }> {
        const updatedVersionOf = (m: M) => view.updatedVersionOf?.(m);
        const confirmed = [...new Set(page.filter((m) => view.tokenOf(m) !== undefined || updatedVersionOf(m) !== undefined).map((m) => view.documentOf(m)))];
        if (!confirmed.length) return { publish: page, hold: [] };
        const states = await storedStates(view, confirmed);
        const waiting = new Set<string>();
        const publish: M[] = [];
        const hold: M[] = [];
        const drop: M[] = [];
        for (const m of page) {
          const document = view.documentOf(m);
          const verdict = waiting.has(document) ? 'hold' : verdictOf(view.tokenOf(m), updatedVersionOf(m), states.get(document), now() - view.markedAt(m));
          if (verdict === 'publish') publish.push(m);
          else if (verdict === 'drop') drop.push(m);
          else {
            waiting.add(document);
            hold.push(m);
          }
        }
        if (drop.length) await view.discard(drop);
        return { publish, hold };
      },
  };
}
export type InsertConfirmation = ReturnType<typeof createInsertConfirmation>;
