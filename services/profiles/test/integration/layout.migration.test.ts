import { MIGRATIONS_COLLECTION } from '@lm/mongo';
import { testEndpoints } from '@lm/testing';
import mongoose, { type Connection } from 'mongoose';
import request from 'supertest';
import { keyId } from '../../src/data/organisation.key-claims';
import { nameKey } from '../../src/domain/organisation.keys';
import { createProfilesDeps } from '../../src/wiring';
import { bearer, openDatabase, sampleInput, staff, TEST_LAYOUT } from './harness';

describe('data layout migration on FerretDB: key documents into their own database', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await openDatabase();
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (body: object) => request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(body);

  /** The layout before session 11: `org`'s key documents in the main database (same partitions), none in the keys database. */
  async function keepKeysInMainDatabase(org: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [p, col] of h.collections.keys.all().entries()) {
      const docs = await col.find({ org }).toArray();
      if (!docs.length) continue;
      await h.collections.legacyKeys.all()[p]!.insertMany(docs);
      await col.deleteMany({ org });
      ids.push(...docs.map((d) => d._id));
    }
    return ids.sort();
  }

  it('when key documents were left in the main database by the layout before session 11, then the start-up migration moves them and they still make VAT and website unique and find the organisation by name', async () => {
    const input = sampleInput({ vatNumber: '20304050607', website: 'https://moved-keys.example.it', legalName: 'Chiavi Spostate S.r.l.' });
    const a = await create(input).expect(201);
    expect(await keepKeysInMainDatabase(a.body.id)).toEqual(
      [keyId('website', 'moved-keys.example.it'), keyId('name', nameKey('Chiavi Spostate S.r.l.', 'MI')), keyId('vatNumber', '20304050607')].sort(),
    );

    expect(await h.migrateLayout()).toMatchObject({ keysMoved: 3 });

    for (const col of h.collections.legacyKeys.all()) expect(await col.countDocuments({})).toBe(0);
    const sameVat = await create(sampleInput({ vatNumber: '20304050607' }));
    expect(sameVat.status).toBe(409);
    expect(sameVat.body.error.details[0].field).toBe('vatNumber');
    expect((await create(sampleInput({ website: 'http://www.moved-keys.example.it/' }))).body.error.details[0].field).toBe('website');
    expect((await h.repo.findByUpsertKey({ legalName: 'Chiavi Spostate S.r.l.', province: 'MI' }))?.id).toBe(a.body.id);
    expect(await h.migrateLayout()).toMatchObject({ keysMoved: 0 });
  });
});

describe('layout migration on FerretDB: each step once per database', () => {
  /** Another start of the service on `dbName`: its own connection, every statement it sends noted as `<command> <collection>`. */
  async function startAgain(dbName: string) {
    const conn = mongoose.createConnection(testEndpoints().mongoUri, { dbName, monitorCommands: true });
    await conn.asPromise();
    const statements: string[] = [];
    conn.getClient().on('commandStarted', (e) => statements.push(`${e.commandName} ${String(e.command[e.commandName])}`));
    const migrated = await createProfilesDeps(conn, { layout: TEST_LAYOUT }).migrateLayout();
    const sent = [...statements]; // not the driver's `endSessions` on close
    await conn.close();
    return { migrated, statements: sent };
  }
  const recorded = (h: { conn: Connection }) =>
    h.conn
      .db!.collection(MIGRATIONS_COLLECTION)
      .find({})
      .toArray()
      .then((docs) => docs.map((d) => d._id).sort());
  const STEPS = ['main_database_keys', 'main_database_locks', 'main_database_pending_marks', 'pending_marks_per_event'];
  const NOTHING_MOVED = { locksRetired: 0, marksMoved: 0, marksConverted: 0, keysMoved: 0 };

  it('when a database of an older layout was migrated on one start, then the next start reads no legacy partition and moves nothing', async () => {
    const h = await openDatabase();
    try {
      const { body } = await request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(sampleInput()).expect(201);
      // The layout before session 11 (left by a crash halfway through the move): a copy of a key document in the main database.
      const keys = await Promise.all(h.collections.keys.all().map((col) => col.find({ org: body.id }).toArray()));
      const key = keys.flat()[0]!;
      await h.collections.legacyKeys.of(key._id).insertOne(key);
      expect(await h.migrateLayout()).toMatchObject({ keysMoved: 1 });

      const second = await startAgain(h.conn.name);

      expect(second.migrated).toEqual(NOTHING_MOVED);
      expect(second.statements).toEqual(STEPS.map(() => `find ${MIGRATIONS_COLLECTION}`));
      expect(await recorded(h)).toEqual(STEPS);
    } finally {
      await h.close();
    }
  });

  it('when a database was created by this version, then its first start records every step as done without reading a partition, and the next start only reads the records', async () => {
    const h = await openDatabase();
    try {
      await request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(sampleInput()).expect(201);

      const first = await startAgain(h.conn.name);
      const second = await startAgain(h.conn.name);

      expect(first.migrated).toEqual(NOTHING_MOVED);
      expect([...new Set(first.statements)].sort()).toEqual([`find ${MIGRATIONS_COLLECTION}`, `insert ${MIGRATIONS_COLLECTION}`, 'listCollections 1']);
      expect(first.statements.filter((s) => s === 'listCollections 1')).toHaveLength(1);
      expect(await recorded(h)).toEqual(STEPS);
      expect(second.statements).toEqual(STEPS.map(() => `find ${MIGRATIONS_COLLECTION}`));
    } finally {
      await h.close();
    }
  });
});
