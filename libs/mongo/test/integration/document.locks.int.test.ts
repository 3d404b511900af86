import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { connectMongo, createDocumentLocks, createPartitionedCollection } from '../../src';

const logger = createLogger({ service: 'mongo-locks-test', level: 'silent' });
const N = 8;

describe('document locks on a real MongoDB-wire engine', () => {
  let conn: Connection;
  const collection = uniqueName('locks');
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('db-locks').replace(/-/g, '_'), logger });
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it(`when ${N} owners try to acquire the same key at once, then exactly one holds it and the lock names that owner`, async () => {
    const locks = createDocumentLocks(conn, { collection });
    const key = uniqueName('doc');
    const got = await Promise.all(Array.from({ length: N }, (_, i) => locks.tryAcquire(key, `owner-${i}`)));
    const winners = got.map((ok, i) => (ok ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    const held = await conn.db!.collection(collection).findOne({ _id: key as never });
    expect(held?.owner).toBe(`owner-${winners[0]}`);
  });

  it('when two owners acquire overlapping key sets at once, then each shared key goes to exactly one of them and releasing frees only its own keys', async () => {
    const locks = createDocumentLocks(conn, { collection });
    const [a, b, shared] = [uniqueName('a'), uniqueName('b'), uniqueName('shared')];
    const [one, two] = await Promise.all([locks.tryAcquireMany([a, shared], 'one'), locks.tryAcquireMany([shared, b], 'two')]);
    expect(one).toContain(a);
    expect(two).toContain(b);
    expect([...one, ...two].filter((k) => k === shared)).toHaveLength(1);

    await locks.releaseMany([a, b, shared], 'one');
    const left = await conn
      .db!.collection(collection)
      .find({ _id: { $in: [a, b, shared] } as never })
      .toArray();
    expect(left.map((d) => d.owner).sort()).toEqual(two.map(() => 'two'));
  });

  it('when a holder crashed and its lease expired, then the next caller takes the lock over; a live lease is not taken', async () => {
    const locks = createDocumentLocks(conn, { collection });
    const [expired, live] = [uniqueName('expired'), uniqueName('live')];
    expect(await locks.tryAcquire(expired, 'crashed', 1)).toBe(true);
    expect(await locks.tryAcquire(live, 'alive', 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));

    await expect(locks.withLock(expired, async () => 'ran')).resolves.toBe('ran');
    expect(await locks.tryAcquire(live, 'thief')).toBe(false);
    expect((await conn.db!.collection(collection).findOne({ _id: live as never }))?.owner).toBe('alive');
  });

  it('when expired locks are swept, then each crashed holder is repaired (onExpired) before its lock is removed, and a live lock is left alone', async () => {
    const repairedWhileLocked: [string, boolean][] = [];
    const sweepCollection = uniqueName('sweep');
    const locks = createDocumentLocks(conn, {
      collection: sweepCollection,
      onExpired: async (key) => {
        repairedWhileLocked.push([key, !!(await conn.db!.collection(sweepCollection).findOne({ _id: key as never }))]);
      },
    });
    const [crashed, live] = [uniqueName('crashed'), uniqueName('live')];
    expect(await locks.tryAcquire(crashed, 'crashed', 1)).toBe(true);
    expect(await locks.tryAcquire(live, 'alive', 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));

    expect(await locks.sweepExpired()).toBe(1);

    expect(repairedWhileLocked).toEqual([[crashed, true]]);
    const left = await conn.db!.collection(sweepCollection).find({}).toArray();
    expect(left.map((d) => d._id)).toEqual([live]);
  });

  it("when the lock stays held past the wait, then withLock gives up with the caller's error and never runs the function", async () => {
    const locks = createDocumentLocks(conn, { collection, waitMs: 50 });
    const key = uniqueName('held');
    await locks.tryAcquire(key, 'someone-else', 60_000);
    const fn = jest.fn(async () => 'ran');
    await expect(locks.withLock(key, fn, () => new Error('busy, retry'))).rejects.toThrow('busy, retry');
    expect(fn).not.toHaveBeenCalled();
    await expect(locks.withLock(key, fn)).rejects.toMatchObject({ status: 503, retriable: true });
  });

  it(`when ${N} callers read-modify-write one document under withLock at once, then no increment is lost`, async () => {
    const locks = createDocumentLocks(conn, { collection });
    const counters = conn.db!.collection<{ _id: string; n: number }>(uniqueName('counters'));
    const id = uniqueName('counter');
    await counters.insertOne({ _id: id, n: 0 });
    await Promise.all(
      Array.from({ length: N }, () =>
        locks.withLock(id, async () => {
          const doc = await counters.findOne({ _id: id });
          await counters.updateOne({ _id: id }, { $set: { n: doc!.n + 1 } });
        }),
      ),
    );
    expect((await counters.findOne({ _id: id }))?.n).toBe(N);
    expect(await conn.db!.collection(collection).countDocuments({ _id: id as never })).toBe(0);
  });

  it('when withLock finishes within its lease, then the lock is gone; when it overran and another owner took the lock over, then that lock is left alone', async () => {
    const locks = createDocumentLocks(conn, { collection, leaseMs: 1_500, retryMs: 1 });
    const quick = uniqueName('quick');
    await locks.withLock(quick, async () => undefined);
    expect(await conn.db!.collection(collection).findOne({ _id: quick as never })).toBeNull();

    const slow = uniqueName('slow');
    await locks.withLock(slow, async () => {
      await new Promise((r) => setTimeout(r, 1_700)); // the lease expires meanwhile
      expect(await locks.tryAcquire(slow, 'newcomer')).toBe(false); // removes the expired lock
      expect(await locks.tryAcquire(slow, 'newcomer')).toBe(true);
    });
    expect((await conn.db!.collection(collection).findOne({ _id: slow as never }))?.owner).toBe('newcomer');
  });

  it('when withLock releases after return, then the caller has its result while the release is still on its way, the lock is gone once released() resolves, and the next withLock on the key gets it without waiting for the lease', async () => {
    // A lease far longer than the wait: a second caller that had to wait for it would give up (busy).
    const locks = createDocumentLocks(conn, { collection, leaseMs: 60_000, waitMs: 1_000 });
    const key = uniqueName('answer-first');
    const afterReturn = { releaseAfterReturn: true };

    await expect(locks.withLock(key, async () => 'written', undefined, afterReturn)).resolves.toBe('written');
    let releaseLanded = false;
    const landing = locks.released().then(() => (releaseLanded = true));
    expect(releaseLanded).toBe(false);
    await landing;
    expect(await conn.db!.collection(collection).findOne({ _id: key as never })).toBeNull();

    const order: string[] = [];
    for (const n of [1, 2, 3]) order.push(await locks.withLock(key, async () => `write ${n}`, undefined, afterReturn));
    expect(order).toEqual(['write 1', 'write 2', 'write 3']);
    await locks.released();
    expect(await conn.db!.collection(collection).countDocuments({ _id: key as never })).toBe(0);
  });

  it('when the function under a lock released after return throws, then the error reaches the caller and the lock is still released', async () => {
    const locks = createDocumentLocks(conn, { collection, leaseMs: 60_000, waitMs: 1_000 });
    const key = uniqueName('answer-first-fails');
    await expect(
      locks.withLock(
        key,
        async () => {
          throw new Error('stale version');
        },
        undefined,
        { releaseAfterReturn: true },
      ),
    ).rejects.toThrow('stale version');
    await locks.released();
    expect(await conn.db!.collection(collection).findOne({ _id: key as never })).toBeNull();
  });

  it('when documents are read by id from a partitioned collection, then each comes from its partition and missing ids are absent', async () => {
    const parts = createPartitionedCollection<{ _id: string; n: number }>(conn, uniqueName('parts').replace(/-/g, '_'), 4);
    const ids = Array.from({ length: 12 }, (_, i) => `doc-${i}`);
    for (const [i, id] of ids.entries()) await parts.of(id).insertOne({ _id: id, n: i });
    expect(new Set(ids.map((id) => parts.indexOf(id))).size).toBeGreaterThan(1);

    const found = await parts.findEach([...ids.slice(0, 6), 'doc-3', 'missing'], { concurrency: 3 });
    expect([...found.keys()].sort()).toEqual(ids.slice(0, 6).sort());
    expect(found.get('doc-4')?.n).toBe(4);
  });
});
