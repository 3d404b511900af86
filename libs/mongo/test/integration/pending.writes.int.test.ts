import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { connectMongo, countFromStats, deleteByIds, insertManyIgnoringDuplicates } from '../../src';

const logger = createLogger({ service: 'mongo-test', level: 'silent' });

describe('pending-work writes on a real MongoDB-wire engine', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('pending').replace(/-/g, '_'), logger });
  });
  afterAll(async () => {
    await conn.close();
  });

  it('when some of the documents are there already, then the others are inserted, the stored ones stay as they were and the count says how many there are', async () => {
    const col = conn.db!.collection<{ _id: string; n: number }>(uniqueName('marks').replace(/-/g, '_'));
    expect(await countFromStats(col)).toBe(0);
    await insertManyIgnoringDuplicates(col, [
      { _id: 'a', n: 1 },
      { _id: 'b', n: 1 },
    ]);
    await insertManyIgnoringDuplicates(col, [
      { _id: 'b', n: 2 },
      { _id: 'c', n: 2 },
      { _id: 'a', n: 2 },
    ]);
    expect(await col.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 1 },
      { _id: 'c', n: 2 },
    ]);
    expect(await countFromStats(col)).toBe(3);
  });

  it('when a page of documents is deleted by id, one statement or one per document, then exactly those go and the others stay', async () => {
    const col = conn.db!.collection<{ _id: string }>(uniqueName('marks').replace(/-/g, '_'));
    await col.insertMany(['a', 'b', 'c', 'd', 'e'].map((_id) => ({ _id })));
    await deleteByIds(col, ['a', 'b'], true);
    await deleteByIds(col, ['c', 'x'], false);
    await deleteByIds(col, [], false);
    expect((await col.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['d', 'e']);
  });
});
