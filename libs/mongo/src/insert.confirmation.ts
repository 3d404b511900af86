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
  const { tokenField, graceMs } = settings;

  /** The stored token of each document (null: a document without one; absent: no document). */
  async function storedTokens<M>(view: MarkView<M>, documents: string[]): Promise<Map<string, string | null>> {
    const found = new Map<string, string | null>();
    let next = 0;
    const readNext = async (): Promise<void> => {
      while (next < documents.length) {
        const document = documents[next++]!;
        const where = view.locate(document);
        if (!where) continue;
        // One `{_id}` read each: the one filter FerretDB serves from its index (never `$in`).
        const doc = await where.collection.findOne({ _id: where.id }, { projection: { [tokenField]: 1 } });
        if (doc) found.set(document, ((doc as Record<string, unknown>)[tokenField] as string | undefined) ?? null);
      }
    };
    await Promise.all(Array.from({ length: Math.min(view.readConcurrency ?? 8, documents.length) }, readNext));
    return found;
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
     * round; drops (deletes) those of inserts whose document will never carry their token. One
     * `{_id}` read per document with an insert's mark in the page.
     */
    judge: <M>(view: MarkView<M>) =>
      async function sortOut(page: M[]): Promise<{ publish: M[]; hold: M[] }> {
        const inserted = [...new Set(page.filter((m) => view.tokenOf(m) !== undefined).map((m) => view.documentOf(m)))];
        if (!inserted.length) return { publish: page, hold: [] };
        const tokens = await storedTokens(view, inserted);
        const waiting = new Set<string>();
        const publish: M[] = [];
        const hold: M[] = [];
        const drop: M[] = [];
        for (const m of page) {
          const document = view.documentOf(m);
          const token = view.tokenOf(m);
          const stored = tokens.get(document);
          if (waiting.has(document)) hold.push(m);
          else if (token === undefined || stored === token) publish.push(m);
          else if (stored !== undefined || now() - view.markedAt(m) >= graceMs) drop.push(m);
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
