import request from 'supertest';
import { bearer, companyOf, openDatabase, sampleInput, staff } from './harness';

describe('kind and subtype of an organisation (probe finding 8)', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await openDatabase();
  });
  afterAll(async () => {
    await h.close();
  });

  it('when a company turns itself into a research centre, then 403 and it stays a company; hub staff may reclassify it', async () => {
    const id = `org_kind_${Date.now()}`;
    await request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(companyOf(id)))
      .send(sampleInput({ kind: 'company', subtype: 'startup' }))
      .expect(201);
    const own = await request(h.app)
      .patch(`/organisations/${id}`)
      .set('Authorization', bearer(companyOf(id)))
      .set('If-Match', '1')
      .send({ kind: 'research_centre', subtype: 'university' });
    expect(own.status).toBe(403);
    expect(own.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.kind', 'body.subtype']);
    expect((await request(h.app).get(`/organisations/${id}`).set('Authorization', bearer(staff))).body).toMatchObject({ kind: 'company', version: 1 });
    // Resending the same classification with another change is fine.
    await request(h.app)
      .patch(`/organisations/${id}`)
      .set('Authorization', bearer(companyOf(id)))
      .set('If-Match', '1')
      .send({ kind: 'company', legalName: 'Renamed S.r.l.' })
      .expect(200);
    const byStaff = await request(h.app)
      .patch(`/organisations/${id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '2')
      .send({ kind: 'research_centre', subtype: 'university' });
    expect(byStaff.status).toBe(200);
    expect(byStaff.body).toMatchObject({ kind: 'research_centre', subtype: 'university' });
  });
});
