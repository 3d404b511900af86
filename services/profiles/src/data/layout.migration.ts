import { runOnce } from '@lm/mongo';
import type { Connection } from 'mongoose';
import { moveKeysFromMainDatabase } from './organisation.key-claims';
import { LOCKS_COLLECTION, retireLegacyLocks } from './organisation.locks';
import type { OrganisationCollections } from './organisation.model';
import type { PendingMarks } from './outbox.pending';

export type LayoutMigrationCounts = { locksRetired: number; marksMoved: number; marksConverted: number; keysMoved: number };

/**
 * Before the service writes (older instances stopped): locks and marks that older layouts left
 * in the main database are repaired and moved, pre-session-9 marks converted, key documents
 * moved to the keys database. Each step once per database (@lm/mongo `runOnce`): reading the
 * legacy partitions — 256 key tables, and a filtered read of every pending partition that
 * FerretDB answers by decoding the whole table — happened on every start before. A step whose
 * legacy collections do not exist in the main database (a database this layout created: no
 * older version wrote there, and only one version runs) is recorded as done without reading
 * anything but the collection names. Returns what each step moved (0 when recorded already).
 */
export async function migrateLayout(
  conn: Connection,
  c: OrganisationCollections,
  marks: PendingMarks,
  onProgress?: (step: string, n: number) => void,
): Promise<LayoutMigrationCounts> {
  let names: Promise<Set<string>> | undefined;
  /** The main database's collections, listed once and only when a step has not been recorded. */
  const existing = () =>
    (names ??= conn
      .db!.listCollections({}, { nameOnly: true })
      .toArray()
      .then((cs) => new Set(cs.map((x) => x.name))));
  const pendingNames = c.legacyPending.all().map((col) => col.collectionName);
  const keyNames = c.legacyKeys.all().map((col) => col.collectionName);
  const step = async (name: string, legacy: string[], migrate: () => Promise<number>): Promise<number> => {
    const once = await runOnce(conn.db!, name, async () => {
      const present = await existing();
      return legacy.some((n) => present.has(n)) ? migrate() : 0;
    });
    return once.ran ? once.result : 0;
  };
  return {
    locksRetired: await step('main_database_locks', [LOCKS_COLLECTION], () => retireLegacyLocks(conn, marks)),
    marksMoved: await step('main_database_pending_marks', pendingNames, () =>
      marks.moveFromMainDatabase((n) => onProgress?.('moving pending marks to the outbox database', n)),
    ),
    // Marks of the layout before session 9 reach the outbox database only from the main database's pending partitions.
    marksConverted: await step('pending_marks_per_event', pendingNames, () =>
      marks.migrateLegacyMarks((n) => onProgress?.('converting legacy pending marks', n)),
    ),
    keysMoved: await step('main_database_keys', keyNames, () =>
      moveKeysFromMainDatabase(c, (n) => onProgress?.('moving key documents to the keys database', n)),
    ),
  };
}
