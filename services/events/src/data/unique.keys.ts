import { AppError } from '@lm/errors';
import { isDuplicateKeyError, withBusyRetry, type PartitionedCollection } from '@lm/mongo';

export type KeyDoc = { _id: string; target: string; at: number } & Record<string, unknown>;

/** A key whose document never appeared this long after the key was taken was left by a failed insert. */
const ABANDONED_KEY_MS = 60_000;

/**
 * Takes the unique key `key` for the document `target` (a key document keyed by `_id`: an
 * insert is the one write FerretDB makes atomic against a unique key, and `_id` is what it
 * looks up fastest). Held by an existing document → 409 `duplicate` (`message`). Held by a
 * document that never appeared (its insert failed) for a minute → taken over.
 * `partitionKey` chooses the partition (default: the key itself).
 */
export async function claimUniqueKey(
  keys: PartitionedCollection<KeyDoc>,
  key: string,
  target: string,
  opts: { exists: (target: string) => Promise<boolean>; message: string; fields?: Record<string, unknown>; partitionKey?: string },
): Promise<void> {
  const col = keys.of(opts.partitionKey ?? key);
  try {
    await withBusyRetry(() => col.insertOne({ _id: key, target, at: Date.now(), ...opts.fields }));
    return;
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw AppError.unavailable('mongo', e);
  }
  const held = await col.findOne({ _id: key });
  if (held && (Date.now() - held.at < ABANDONED_KEY_MS || (await opts.exists(held.target)))) throw new AppError('duplicate', opts.message);
  await withBusyRetry(() => col.updateOne({ _id: key }, { $set: { target, at: Date.now(), ...opts.fields } }, { upsert: true }));
}
