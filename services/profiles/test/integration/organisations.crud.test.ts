import { testEndpoints, uniqueName } from '@lm/testing';
import request from 'supertest';
import { createElasticsearchClient, createOrganisationSearchIndex } from '../../src/data/organisation.search-index';
import { rebuildSearchIndex } from '../../src/data/search.rebuild';
import { keyId } from '../../src/data/organisation.key-claims';
import { nameKey } from '../../src/domain/organisation.keys';
import { bearer, companyOf, eventually, openDatabase, partner, sampleInput, staff } from './harness';

describe('organisations HTTP API on FerretDB (lists from the Elasticsearch read model)', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await openDatabase({ search: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (body: unknown, who = staff) =>
    request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(who))
      .send(body as object);

  it('when staff create an organisation, then it reads back with version 1, an ETag and ISO timestamps', async () => {
    const res = await create(sampleInput({ legalName: 'Cardio Devices S.p.A.' }));
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ legalName: 'Cardio Devices S.p.A.', version: 1 });
    expect(res.body.id).toMatch(/^org_[0-9a-z]{26}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect(res.body.needs[0].id).toBe('need-1');

    const got = await request(h.app).get(`/organisations/${res.body.id}`).set('Authorization', bearer(staff));
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(res.body);
  });

  it('when a company creates its profile, then the id is its token organisation and a second create is a 409', async () => {
    const org = `org_company_${Date.now()}`;
    const first = await create(sampleInput(), companyOf(org));
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(org);
    const again = await create(sampleInput(), companyOf(org));
    expect(again.status).toBe(409);
    expect(again.body.error.details[0].field).toBe('id');
  });

  it('when the body breaks the rules, then 400 names every bad field', async () => {
    const res = await create(sampleInput({ kind: 'investor', subtype: 'startup', s3Areas: [], vatNumber: '123' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.s3Areas', 'body.vatNumber']));
    expect(res.body.error).not.toHaveProperty('stack');
  });

  it('when the same VAT number or the same website (other spelling) is used again, then 409 names the field', async () => {
    const a = await create(sampleInput({ vatNumber: '12345678901', website: 'https://www.dup-site.it/' }));
    expect(a.status).toBe(201);
    const sameVat = await create(sampleInput({ vatNumber: 'IT 12345678901'.replace(' ', '') }));
    expect(sameVat.status).toBe(409);
    expect(sameVat.body.error).toMatchObject({ code: 'duplicate', details: [{ field: 'vatNumber' }] });
    const sameSite = await create(sampleInput({ website: 'http://DUP-SITE.it/about' }));
    expect(sameSite.status).toBe(409);
    expect(sameSite.body.error.details[0].field).toBe('website');
  });

  it("when a PATCH sets another organisation's VAT number or website, then 409 names the field and nothing changes", async () => {
    const a = await create(sampleInput({ vatNumber: '11122233344', website: 'https://taken-site.it' })).expect(201);
    const b = await create(sampleInput()).expect(201);
    const patchB = (body: object) => request(h.app).patch(`/organisations/${b.body.id}`).set('Authorization', bearer(staff)).set('If-Match', '1').send(body);
    const vat = await patchB({ vatNumber: '11122233344' });
    expect(vat.status).toBe(409);
    expect(vat.body.error).toMatchObject({ code: 'duplicate', details: [{ field: 'vatNumber' }] });
    const site = await patchB({ website: 'http://www.TAKEN-site.it/contact' });
    expect(site.status).toBe(409);
    expect(site.body.error).toMatchObject({ code: 'duplicate', details: [{ field: 'website' }] });
    const after = await request(h.app).get(`/organisations/${b.body.id}`).set('Authorization', bearer(staff));
    expect(after.body).toEqual(b.body);
    // B's own keys are still its own: it can take a free VAT number, and A keeps its keys.
    expect((await patchB({ vatNumber: '55566677788' })).status).toBe(200);
    expect((await create(sampleInput({ vatNumber: '11122233344' }))).status).toBe(409);
    expect(a.body.vatNumber).toBe('11122233344');
  });

  it('when an organisation changes its VAT number, then the old one is free for another organisation', async () => {
    const a = await create(sampleInput({ vatNumber: '22233344455' })).expect(201);
    await request(h.app)
      .patch(`/organisations/${a.body.id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '1')
      .send({ vatNumber: '22233344466' })
      .expect(200);
    expect((await create(sampleInput({ vatNumber: '22233344455' }))).status).toBe(201);
    expect((await create(sampleInput({ vatNumber: '22233344466' }))).status).toBe(409);
  });

  it('when patched with the current version, then fields change, the version grows and the result is re-validated', async () => {
    const { body: org } = await create(sampleInput());
    const ok = await request(h.app)
      .patch(`/organisations/${org.id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '"1"')
      .send({ legalName: 'Renamed S.r.l.', trl: { min: 3, max: 5 } });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ legalName: 'Renamed S.r.l.', version: 2, trl: { min: 3, max: 5 }, vatNumber: org.vatNumber, createdAt: org.createdAt });

    const invalid = await request(h.app).patch(`/organisations/${org.id}`).set('Authorization', bearer(staff)).set('If-Match', '2').send({ kind: 'investor' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['body.subtype', 'body.investor']));

    const unknownField = await request(h.app).patch(`/organisations/${org.id}`).set('Authorization', bearer(staff)).set('If-Match', '2').send({ version: 9 });
    expect(unknownField.status).toBe(400);
  });

  it('when patched with a stale version, then 412; without If-Match, then 428; and nothing changes', async () => {
    const { body: org } = await create(sampleInput());
    await request(h.app)
      .patch(`/organisations/${org.id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '1')
      .send({ legalName: 'First Writer' })
      .expect(200);
    const stale = await request(h.app)
      .patch(`/organisations/${org.id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '1')
      .send({ legalName: 'Second Writer' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    const missing = await request(h.app).patch(`/organisations/${org.id}`).set('Authorization', bearer(staff)).send({ legalName: 'No Header' });
    expect(missing.status).toBe(428);
    const now = await request(h.app).get(`/organisations/${org.id}`).set('Authorization', bearer(staff));
    expect(now.body).toMatchObject({ legalName: 'First Writer', version: 2 });
  });

  it('when two writers race with the same version, then exactly one wins and the other gets 412', async () => {
    const { body: org } = await create(sampleInput());
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((w) =>
        request(h.app)
          .patch(`/organisations/${org.id}`)
          .set('Authorization', bearer(staff))
          .set('If-Match', '1')
          .send({ legalName: `Writer ${w}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    const final = await request(h.app).get(`/organisations/${org.id}`).set('Authorization', bearer(staff));
    expect(final.body.version).toBe(2);
  });

  it('when a client patches one organisation several times in a row, then each patch (answered before its unlock) finds the lock free and no lock is left afterwards', async () => {
    const { body: org } = await create(sampleInput());
    for (const version of [1, 2, 3]) {
      const res = await request(h.app)
        .patch(`/organisations/${org.id}`)
        .set('Authorization', bearer(staff))
        .set('If-Match', `"${version}"`)
        .send({ legalName: `Renamed ${version} S.r.l.` });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(version + 1);
    }
    await h.locks.released();
    expect(await h.lockDocs().findOne({ _id: `org:${org.id}` })).toBeNull();
    const final = await request(h.app).get(`/organisations/${org.id}`).set('Authorization', bearer(staff));
    expect(final.body).toMatchObject({ legalName: 'Renamed 3 S.r.l.', version: 4 });
  });

  it('when renamed, then the old name hint is gone and the new one names the organisation by the time the patch answers; a hint another organisation holds is left alone', async () => {
    const hint = async (legalName: string) =>
      (await h.collections.keys.of(keyId('name', nameKey(legalName, 'MI'))).findOne({ _id: keyId('name', nameKey(legalName, 'MI')) }))?.org;
    const shared = `Hint Condivisa ${uniqueName('n')} S.r.l.`;
    const { body: first } = await create(sampleInput({ legalName: shared }));
    const { body: second } = await create(sampleInput({ legalName: shared }));
    const renamed = `Hint Nuova ${uniqueName('n')} S.r.l.`;
    const rename = (id: string, version: number, legalName: string) =>
      request(h.app).patch(`/organisations/${id}`).set('Authorization', bearer(staff)).set('If-Match', `"${version}"`).send({ legalName }).expect(200);

    await rename(second.id, 1, renamed);
    expect(await hint(shared)).toBe(first.id);
    expect(await hint(renamed)).toBe(second.id);

    await rename(first.id, 1, `Hint Altra ${uniqueName('n')} S.r.l.`);
    expect(await hint(shared)).toBeUndefined();
  });

  it('when deleted, then it is 404 on read, gone from lists, its VAT number is free again, and a stale delete is 412', async () => {
    const { body: org } = await create(sampleInput({ vatNumber: '99988877766' }));
    const listed = async () =>
      (
        (await request(h.app).get('/organisations').query({ q: org.legalName, limit: 100 }).set('Authorization', bearer(staff))).body.items as { id: string }[]
      ).some((o) => o.id === org.id);
    await eventually(listed, 'the new organisation to be listed');
    const stale = await request(h.app).delete(`/organisations/${org.id}`).set('Authorization', bearer(staff)).set('If-Match', '7');
    expect(stale.status).toBe(412);
    const del = await request(h.app).delete(`/organisations/${org.id}`).set('Authorization', bearer(staff)).set('If-Match', '1');
    expect(del.status).toBe(204);
    expect((await request(h.app).get(`/organisations/${org.id}`).set('Authorization', bearer(staff))).status).toBe(404);
    expect((await request(h.app).delete(`/organisations/${org.id}`).set('Authorization', bearer(staff)).set('If-Match', '2')).status).toBe(404);
    await eventually(async () => !(await listed()), 'the deleted organisation to leave the list');
    expect((await create(sampleInput({ vatNumber: '99988877766' }))).status).toBe(201);
  });

  it('when read by someone else, then private fields are hidden; the owner sees them', async () => {
    const org = `org_private_${Date.now()}`;
    await create(sampleInput(), companyOf(org)).expect(201);
    const asPartner = await request(h.app).get(`/organisations/${org}`).set('Authorization', bearer(partner));
    expect(asPartner.status).toBe(200);
    expect(asPartner.body).not.toHaveProperty('contacts');
    expect(asPartner.body).not.toHaveProperty('vatNumber');
    const asOther = await request(h.app)
      .get(`/organisations/${org}`)
      .set('Authorization', bearer(companyOf('org_other')));
    expect(asOther.body).not.toHaveProperty('contacts');
    const asOwner = await request(h.app)
      .get(`/organisations/${org}`)
      .set('Authorization', bearer(companyOf(org)));
    expect(asOwner.body.contacts).toHaveLength(1);
    expect(asOwner.body.vatNumber).toMatch(/^\d{11}$/);
  });

  it('when listing with filters and a cursor, then pages cover every match exactly once', async () => {
    const tag = `Zebrafish${Date.now()}`;
    for (let i = 0; i < 7; i++) {
      await create(sampleInput({ legalName: `${tag} Lab ${i}`, location: { province: i % 2 ? 'PV' : 'BG', city: 'Pavia' }, specialties: ['genomics'] })).expect(
        201,
      );
    }
    await eventually(
      async () => (await request(h.app).get('/organisations').query({ q: tag, limit: 10 }).set('Authorization', bearer(staff))).body.items.length === 7,
      'the 7 organisations to be listed',
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/organisations')
        .query({ q: tag.toLowerCase(), limit: 3, ...(cursor ? { cursor } : {}) })
        .set('Authorization', bearer(partner));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      for (const o of res.body.items) expect(o).not.toHaveProperty('contacts');
      seen.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const pv = await request(h.app)
      .get('/organisations')
      .query({ q: tag, province: 'PV', specialty: 'genomics', kind: 'company', s3Area: 'health_life_sciences' })
      .set('Authorization', bearer(staff));
    expect(pv.body.items).toHaveLength(3);
    const byName = await request(h.app).get('/organisations').query({ q: tag, sort: 'name', limit: 100 }).set('Authorization', bearer(staff));
    expect(byName.body.items.map((o: { legalName: string }) => o.legalName)).toEqual(Array.from({ length: 7 }, (_, i) => `${tag} Lab ${i}`));
    const asStaff = await request(h.app).get('/organisations').query({ q: tag, limit: 1 }).set('Authorization', bearer(staff));
    expect(asStaff.body.items[0].contacts).toHaveLength(1);
    const regexChars = await request(h.app).get('/organisations').query({ q: '.*(' }).set('Authorization', bearer(staff));
    expect(regexChars.status).toBe(200);
    expect(regexChars.body.items).toEqual([]);
  });

  it('when the list query is invalid, then 400 names the parameter', async () => {
    for (const [query, field] of [
      [{ limit: '500' }, 'query.limit'],
      [{ kind: 'martian' }, 'query.kind'],
      [{ cursor: 'not-a-cursor' }, 'query.cursor'],
      [{ sort: 'colour' }, 'query.sort'],
      [{ colour: 'red' }, 'query'],
    ] as const) {
      const res = await request(h.app).get('/organisations').query(query).set('Authorization', bearer(staff));
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });

  it('when the read model is rebuilt from the database, then it lists every live organisation and no deleted one', async () => {
    const tag = `Rebuilt${Date.now()}`;
    const kept = await create(sampleInput({ legalName: `${tag} Kept S.r.l.` })).expect(201);
    const gone = await create(sampleInput({ legalName: `${tag} Gone S.r.l.` })).expect(201);
    await request(h.app).delete(`/organisations/${gone.body.id}`).set('Authorization', bearer(staff)).set('If-Match', '1').expect(204);
    const es = createElasticsearchClient(testEndpoints().elasticsearchUrl);
    const fresh = createOrganisationSearchIndex(es, uniqueName('profiles-rebuild-it'));
    try {
      await fresh.ensureIndex();
      expect(await rebuildSearchIndex(h.collections, fresh)).toBeGreaterThanOrEqual(2);
      const page = await fresh.list({ q: tag }, 'name', 10);
      expect(page.items.map((o) => o.id)).toEqual([kept.body.id]);
      expect(page.items[0]).toMatchObject({ legalName: `${tag} Kept S.r.l.`, version: 1 });
    } finally {
      await fresh.drop();
      await es.close();
    }
  });

  it('when the document is asked for, then /openapi.json lists every organisation route', async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/organisations', '/organisations/{id}', '/organisations:import']));
    expect(Object.keys(res.body.paths['/organisations/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});
