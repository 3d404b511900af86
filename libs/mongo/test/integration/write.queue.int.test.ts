import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { connectMongo, createWriteQueue, isDuplicateKeyError, queuedWrites } from '../../src';

const logger = createLogger({ service: 'mongo-test', level: 'silent' });

describe('queued writes on a real MongoDB-wire engine', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('queued').replace(/-/g, '_'), logger });
  });
  afterAll(async () => {
    await conn.close();
  });

  it('when writes go through the queue, then they are applied one at a time, reads bypass it, and errors reach the caller', async () => {
    const queue = createWriteQueue(1);
    let queued = 0;
    let inFlight = 0;
    let most = 0;
    // The queue, counting the statements it is given and how many of them run at once.
    const counting = {
      waiting: queue.waiting,
      run: <T>(op: () => Promise<T>) =>
        queue.run(async () => {
          queued++;
          most = Math.max(most, ++inFlight);
          return op().finally(() => inFlight--);
        }),
    };
    const col = queuedWrites(conn.db!.collection<{ _id: string; n: number }>(uniqueName('docs').replace(/-/g, '_')), counting);
    await Promise.all(Array.from({ length: 12 }, (_, i) => col.insertOne({ _id: `d${i}`, n: i })));
    await Promise.all([
      col.updateOne({ _id: 'd1' }, { $set: { n: 100 } }),
      col.deleteOne({ _id: 'd2' }),
      col.bulkWrite([{ deleteOne: { filter: { _id: 'd3' } } }]),
    ]);
    expect(queued).toBe(15);
    expect(most).toBe(1);
    expect(await col.findOne({ _id: 'd1' })).toEqual({ _id: 'd1', n: 100 });
    expect(await col.countDocuments({})).toBe(10);
    expect((await col.find({}).sort({ _id: 1 }).limit(2).toArray()).map((d) => d._id)).toEqual(['d0', 'd1']);
    expect(queued).toBe(15);
    const duplicate = await col.insertOne({ _id: 'd0', n: 0 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    expect(queue.waiting()).toBe(0);
  });
});
