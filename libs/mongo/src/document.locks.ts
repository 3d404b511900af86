import { AppError } from '@lm/errors';
import { randomBytes } from 'crypto';
import type { Connection } from 'mongoose';
import { withBusyRetry } from './busy.retry';
import { isDuplicateKeyError } from './connection';

type LockDoc = { _id: string; owner: string; until: number };

/** What `withLock` tells the function it runs about the lock it holds. */
export interface HeldLock {
  /** When the lease expires (ms since the epoch): after that another caller may take the lock over. */
  until: number;
  /** Do not release the lock: it stays until its lease expires and its next taker runs `onExpired`. */
  keep(): void;
}

export interface DocumentLockOptions {
  /** Collection holding the lock documents (one per service or aggregate, e.g. `organisation_locks`). */
  collection: string;
  /** How long a lock stays valid when its holder never releases it (crash). */
  leaseMs?: number;
  /** How long `withLock` waits for another holder before giving up. */
  waitMs?: number;
  /** First back-off between attempts of `withLock` (doubles up to 50 ms). */
  retryMs?: number;
  /**
   * Runs before an expired lock is removed, by whoever found it expired: finishes what its
   * crashed holder may have left half done (e.g. a pending mark written after the document).
   * The lock is removed only after it succeeded, so the next holder starts from a repaired state.
   */
  onExpired?: (key: string) => Promise<void>;
}

/**
 * Why locks at all: on FerretDB v1 (SQLite) an update is "read, change in Go, write back" —
 * a `{_id, version}` filter is NOT a compare-and-set: several concurrent writers all match and
 * the last one silently overwrites the others (verified: 6 racing updates → 3 "matched", one
 * `$push` survives). Inserts, in contrast, are atomic against unique keys. So a lock is an
 * inserted document `{_id: key}`: exactly one inserter wins. Doing every write of a document
 * under its lock turns a version check into a real compare-and-set on FerretDB and MongoDB.
 *
 * A holder that crashes leaves its lock until `until`; after that the next caller removes it
 * (matching the exact owner) and retries. Two callers stealing the same expired lock at the
 * same instant is the one remaining (crash-only) race.
 */
export function createDocumentLocks(conn: Connection, opts: DocumentLockOptions) {
  const col = conn.db!.collection<LockDoc>(opts.collection);
  const leaseMs = opts.leaseMs ?? 10_000;
  const waitMs = opts.waitMs ?? 5_000;
  const retryMs = opts.retryMs ?? 3;

  async function removeIfExpired(key: string): Promise<void> {
    const held = await col.findOne({ _id: key });
    if (!held || held.until >= Date.now()) return;
    await opts.onExpired?.(key);
    await col.deleteOne({ _id: key, owner: held.owner, until: held.until });
  }

  /**
   * Removes up to `limit` expired locks (running `onExpired` for each): what crashed holders
   * left behind is repaired even when nobody asks for those locks again. A filtered read of
   * the lock collection, which only holds the locks currently taken (small).
   */
  async function sweepExpired(limit = 50): Promise<number> {
    const expired = await col
      .find({ until: { $lt: Date.now() } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    for (const l of expired) await removeIfExpired(l._id);
    return expired.length;
  }

  /** One attempt; the lock's expiry when `owner` now holds `key`, else undefined. */
  async function acquireOnce(key: string, owner: string, lease = leaseMs): Promise<number | undefined> {
    const until = Date.now() + lease;
    try {
      await withBusyRetry(() => col.insertOne({ _id: key, owner, until }));
      return until;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      await removeIfExpired(key);
      return undefined;
    }
  }

  /** One attempt; true when `owner` now holds `key`. */
  async function tryAcquire(key: string, owner: string, lease = leaseMs): Promise<boolean> {
    return (await acquireOnce(key, owner, lease)) !== undefined;
  }

  /**
   * Releases a lock taken at `until`. While it has not expired nobody else can hold it (a lock
   * is only taken over after `until`), so it is deleted by `_id` alone — the one filter FerretDB
   * v1 pushes down to SQLite; `{_id, owner}` decodes every lock document in Go (7–25 ms per
   * write with a few hundred leases around, vs ~2 ms). Late (1 s margin for clock skew between
   * instances): only if still ours.
   */
  async function releaseHeld(key: string, owner: string, until: number): Promise<void> {
    if (Date.now() < until - 1_000) await withBusyRetry(() => col.deleteOne({ _id: key }));
    else await releaseMany([key], owner);
  }

  /** Several keys at once (one round trip); returns the keys acquired. */
  async function tryAcquireMany(keys: string[], owner: string, lease = leaseMs): Promise<string[]> {
    if (!keys.length) return [];
    const until = Date.now() + lease;
    try {
      await withBusyRetry(() =>
        col.insertMany(
          keys.map((k) => ({ _id: k, owner, until })),
          { ordered: false },
        ),
      );
      return keys;
    } catch (e) {
      const failed = new Set(writeErrorIndexes(e));
      if (!isDuplicateKeyError(e) && !failed.size) throw e;
      const lost = keys.filter((_, i) => failed.has(i));
      await Promise.all(lost.map(removeIfExpired));
      return keys.filter((_, i) => !failed.has(i));
    }
  }

  async function releaseMany(keys: string[], owner: string): Promise<void> {
    if (keys.length) await withBusyRetry(() => col.deleteMany({ _id: { $in: keys }, owner }));
  }

  /** Releases started by `withLock(…, { releaseAfterReturn: true })` and not yet done, by key. */
  const releasing = new Map<string, Promise<void>>();

  /**
   * Starts the release of a held lock without waiting for it. A failed release leaves the lock
   * until its lease expires, and whoever then takes it over repairs first (`onExpired`): the
   * same path as a holder that crashed before releasing.
   */
  function releaseLater(key: string, owner: string, until: number): void {
    const done = releaseHeld(key, owner, until)
      .catch(() => undefined)
      .finally(() => {
        if (releasing.get(key) === done) releasing.delete(key);
      });
    releasing.set(key, done);
  }

  /** Resolves once every release started by this instance has reached the engine (shutdown, tests). */
  async function released(): Promise<void> {
    while (releasing.size) await Promise.all(releasing.values());
  }

  /**
   * Runs `fn` holding `key`, waiting up to `waitMs` for another holder to finish. With
   * `releaseAfterReturn`, resolves as soon as `fn` did and releases the lock right after, off the
   * caller's path: for writes whose every durable effect is inside `fn` (a lock left behind by a
   * crash is repaired like any other). A later `withLock` on the same key in this process waits
   * for that release instead of colliding with it and backing off. `fn` may call `held.keep()`
   * to leave the lock in place until its lease expires, when it left something half done that
   * only the repair (`onExpired`, run by whoever takes the lock over) may finish.
   */
  async function withLock<T>(
    key: string,
    fn: (held: HeldLock) => Promise<T>,
    onTimeout: () => Error = () => AppError.busy(key),
    opts: { releaseAfterReturn?: boolean } = {},
  ): Promise<T> {
    const owner = randomBytes(8).toString('hex');
    const deadline = Date.now() + waitMs;
    let delay = retryMs;
    let until: number | undefined;
    await releasing.get(key);
    while ((until = await acquireOnce(key, owner)) === undefined) {
      if (Date.now() > deadline) throw onTimeout();
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
    let kept = false;
    try {
      return await fn({ until, keep: () => (kept = true) });
    } finally {
      // A kept lock is left to expire: its next holder repairs first.
      if (!kept) {
        if (opts.releaseAfterReturn) releaseLater(key, owner, until);
        else await releaseHeld(key, owner, until);
      }
    }
  }

  /**
   * Runs `fn` on batches of `items` whose locks `owner` could take (one insert per attempt for
   * the whole batch), releasing them after each batch; items locked by others are retried
   * every few ms until `maxWaitMs` has passed. Returns the items that never got their lock.
   */
  async function withEachLocked<T>(items: T[], keyOf: (t: T) => string, owner: string, fn: (locked: T[]) => Promise<void>, maxWaitMs = waitMs): Promise<T[]> {
    let todo = items;
    const deadline = Date.now() + maxWaitMs;
    while (todo.length) {
      const got = new Set(await tryAcquireMany(todo.map(keyOf), owner));
      const mine = todo.filter((t) => got.has(keyOf(t)));
      try {
        if (mine.length) await fn(mine);
      } finally {
        await releaseMany([...got], owner);
      }
      todo = todo.filter((t) => !got.has(keyOf(t)));
      if (todo.length && Date.now() > deadline) break;
      if (todo.length) await new Promise((r) => setTimeout(r, 5));
    }
    return todo;
  }

  return { tryAcquire, tryAcquireMany, releaseMany, sweepExpired, withLock, withEachLocked, released, leaseMs };
}
export type DocumentLocks = ReturnType<typeof createDocumentLocks>;

/** Indexes of the failed inserts of an unordered insertMany (one error or a list, depending on the driver path). */
function writeErrorIndexes(e: unknown): number[] {
  const errors = (e as { writeErrors?: { index: number }[] | { index: number } }).writeErrors;
  return errors ? ([] as { index: number }[]).concat(errors).map((w) => w.index) : [];
}
