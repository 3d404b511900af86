import type { mongo } from 'mongoose';
import { withBusyRetry } from './busy.retry';
import { isDuplicateKeyError } from './connection';

/** Where a database remembers the layout migrations it has been through (one document per migration). */
export const MIGRATIONS_COLLECTION = 'layout_migrations';

/** `result`: what the migration returned (counts); `ms`: how long it ran. Older records carry `moved` instead. */
export type MigrationRecord = { _id: string; at: string; result?: unknown; ms?: number };

export type MigrationOutcome<R> = { ran: true; result: R } | { ran: false };

/**
 * Runs `migrate` once per database: a start-up migration that has to read everything an older
 * layout might have left (FerretDB decodes a whole table for any filter but `{_id}`) costs that
 * read on the first start only. The record (`{_id: name, at, result, ms}` in
 * `layout_migrations`, read by `_id`) is written only after `migrate` resolved: a process that
 * crashed or failed halfway leaves none, and the next start runs the whole migration again — so
 * every migration must be safe to repeat (skip or ignore what it moved already).
 *
 * Two processes starting at once may both find no record and both run it (no lock: a
 * repeatable migration run twice does the same work twice, nothing worse); the first record
 * insert wins and the other's duplicate key is ignored. A migration is recorded only where no
 * older version writes any more (the services run one version at a time): what it moved stays moved.
 */
export async function runOnce<R>(db: mongo.Db, name: string, migrate: () => Promise<R>): Promise<MigrationOutcome<R>> {
  const records = db.collection<MigrationRecord>(MIGRATIONS_COLLECTION);
  if (await records.findOne({ _id: name }, { projection: { _id: 1 } })) return { ran: false };
  const t0 = performance.now();
  const result = await migrate();
  const record: MigrationRecord = { _id: name, at: new Date().toISOString(), result, ms: Math.round(performance.now() - t0) };
  try {
    await withBusyRetry(() => records.insertOne(record));
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
  return { ran: true, result };
}
