import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import { Connection, Schema } from 'mongoose';
import { connectMongo, isDuplicateKeyError, pingMongo } from '../../src';

const logger = createLogger({ service: 'mongo-test', level: 'silent' });

describe('mongo connection on a real MongoDB-wire engine', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('db'), logger });
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('when a document is saved, then it reads back and a duplicate on a unique index is refused', async () => {
    const Org = conn.model('Org', new Schema({ name: String, vat: { type: String, unique: true } }));
    await Org.createIndexes();
    await Org.create({ name: 'Humanitas', vat: '01234567890' });
    const found = await Org.findOne({ vat: '01234567890' }).lean();
    expect(found?.name).toBe('Humanitas');

    const dup = await Org.create({ name: 'Other', vat: '01234567890' }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(dup)).toBe(true);
    expect(await Org.countDocuments()).toBe(1);
  });

  // The infra FerretDB build narrows such filters to the `_id` row (infra/ferretdb.sh): the other
  // conditions must still decide, as on MongoDB.
  it('when a filter has an _id and other conditions, then only a document matching all of them is read, updated or deleted', async () => {
    const col = conn.db!.collection<{ _id: string; org: string; n: number }>(uniqueName('keys'));
    await col.insertMany([
      { _id: 'vat:1', org: 'a', n: 1 },
      { _id: 'vat:2', org: 'b', n: 1 },
    ]);

    expect(await col.findOne({ _id: 'vat:1', org: 'b' })).toBeNull();
    expect(await col.findOne({ _id: 'vat:1', org: 'a', n: { $gte: 1 } })).toEqual({ _id: 'vat:1', org: 'a', n: 1 });
    expect((await col.updateOne({ _id: 'vat:2', org: 'a' }, { $set: { n: 2 } })).matchedCount).toBe(0);
    expect((await col.updateOne({ _id: 'vat:2', org: 'b' }, { $set: { n: 2 } })).modifiedCount).toBe(1);
    expect((await col.deleteOne({ _id: 'vat:1', org: 'b' })).deletedCount).toBe(0);
    expect((await col.deleteOne({ _id: 'vat:1', org: 'a' })).deletedCount).toBe(1);
    expect(await col.find({}).sort({ _id: 1 }).toArray()).toEqual([{ _id: 'vat:2', org: 'b', n: 2 }]);
  });

  it('when the engine answers, then ping resolves', async () => {
    await expect(pingMongo(conn)).resolves.toBeUndefined();
  });

  it('when the engine is unreachable, then connecting fails quickly with a message naming it', async () => {
    await expect(connectMongo({ uri: 'mongodb://127.0.0.1:1', dbName: 'x', logger, serverSelectionTimeoutMs: 500 })).rejects.toThrow(
      /cannot reach MongoDB at mongodb:\/\/127.0.0.1:1/,
    );
  });
});
