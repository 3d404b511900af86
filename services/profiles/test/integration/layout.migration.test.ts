import request from 'supertest';
import { keyId } from '../../src/data/organisation.key-claims';
import { nameKey } from '../../src/domain/organisation.keys';
import { bearer, openDatabase, sampleInput, staff } from './harness';

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
