import { loadOpenApiContract, type OpenApiContract } from '@lm/testing';
import request from 'supertest';
import { MAX_IMPORT_ROWS } from '../../src/domain/import/import.usecase';
import { bearer, companyOf, eventually, openDatabase, partner, sampleInput, staff } from './harness';

/**
 * Every route of the profiles service, answered for real (FerretDB, and lists from the
 * Elasticsearch read model fed through Kafka), checked against the OpenAPI document the same app
 * serves at /openapi.json: each success and each documented error a client can cause.
 */
describe('profiles API against its served OpenAPI document', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  let contract: OpenApiContract;
  beforeAll(async () => {
    h = await openDatabase({ search: true });
    contract = await loadOpenApiContract((await request(h.app).get('/openapi.json')).body);
  });
  afterAll(async () => {
    await h.close();
  });

  /** The response, once the contract has found nothing wrong with it. */
  function checked(res: request.Response): request.Response {
    expect(contract.problems(res)).toEqual([]);
    return res;
  }
  const create = (body: unknown, who = staff) =>
    request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(who))
      .send(body as object);

  it('when an organisation is created, read (in full and public), listed, changed and deleted, then every answer matches the document', async () => {
    const org = `org_contract_${Date.now()}`;
    const created = checked(await create(sampleInput({ legalName: 'Contract Bio S.r.l.' }), companyOf(org)));
    expect(created.status).toBe(201);
    expect(
      checked(
        await request(h.app)
          .get(`/organisations/${org}`)
          .set('Authorization', bearer(companyOf(org))),
      ).body,
    ).toHaveProperty('contacts');
    expect(checked(await request(h.app).get(`/organisations/${org}`).set('Authorization', bearer(partner))).body).not.toHaveProperty('contacts');
    const page = await eventually(async () => {
      const res = checked(await request(h.app).get('/organisations').query({ q: 'Contract Bio' }).set('Authorization', bearer(staff)));
      return res.body.items.length > 0 && res;
    }, 'the new organisation in the list');
    expect(page.body.items[0].id).toBe(org);
    const patched = checked(
      await request(h.app)
        .patch(`/organisations/${org}`)
        .set('Authorization', bearer(companyOf(org)))
        .set('If-Match', '"1"')
        .send({ legalName: 'Contract Bio S.p.A.' }),
    );
    expect(patched.body.version).toBe(2);
    expect(
      checked(
        await request(h.app)
          .delete(`/organisations/${org}`)
          .set('Authorization', bearer(companyOf(org)))
          .set('If-Match', '"2"'),
      ).status,
    ).toBe(204);
  });

  it('when a write is wrong (bad body, no token, partner, duplicate, other company, unknown id, missing / unreadable / stale If-Match), then each error matches the document', async () => {
    const org = `org_contract_err_${Date.now()}`;
    expect(checked(await create({ kind: 'company' })).status).toBe(400);
    expect(checked(await request(h.app).post('/organisations').send(sampleInput())).status).toBe(401);
    expect(checked(await create(sampleInput(), partner)).status).toBe(403);
    checked(await create(sampleInput(), companyOf(org)));
    expect(checked(await create(sampleInput(), companyOf(org))).status).toBe(409);
    const patch = (id: string, who = companyOf(org)) => request(h.app).patch(`/organisations/${id}`).set('Authorization', bearer(who));
    expect(checked(await patch(org).send({ legalName: 'No version' })).status).toBe(428);
    expect(checked(await patch(org).set('If-Match', 'yesterday').send({ legalName: 'Bad version' })).status).toBe(400);
    expect(checked(await patch(org).set('If-Match', '"7"').send({ legalName: 'Stale' })).status).toBe(412);
    expect(checked(await patch(org, companyOf('org_someone_else')).set('If-Match', '"1"').send({ legalName: 'Not mine' })).status).toBe(403);
    expect(checked(await patch('org_missing_contract', staff).set('If-Match', '"1"').send({ legalName: 'Nobody' })).status).toBe(404);
    expect(checked(await request(h.app).patch(`/organisations/${org}`).send({ legalName: 'No token' })).status).toBe(401);
    const other = checked(await create(sampleInput()));
    expect(
      checked(
        await patch(other.body.id, staff)
          .set('If-Match', '"1"')
          .send({ vatNumber: (await request(h.app).get(`/organisations/${org}`).set('Authorization', bearer(staff))).body.vatNumber }),
      ).status,
    ).toBe(409);
    const remove = (id: string, who = companyOf(org)) => request(h.app).delete(`/organisations/${id}`).set('Authorization', bearer(who));
    expect(checked(await remove(org)).status).toBe(428);
    expect(checked(await remove(org).set('If-Match', 'W/"x"')).status).toBe(400);
    expect(checked(await remove(org).set('If-Match', '"9"')).status).toBe(412);
    expect(checked(await remove(org, companyOf('org_someone_else')).set('If-Match', '"1"')).status).toBe(403);
    expect(checked(await remove('org_missing_contract', staff).set('If-Match', '"1"')).status).toBe(404);
    expect(checked(await request(h.app).delete(`/organisations/${org}`).set('If-Match', '"1"')).status).toBe(401);
  });

  it('when a read is wrong (no token, unknown id, bad list query), then each error matches the document', async () => {
    expect(checked(await request(h.app).get('/organisations/org_missing_contract').set('Authorization', bearer(staff))).status).toBe(404);
    expect(checked(await request(h.app).get('/organisations/org_missing_contract')).status).toBe(401);
    expect(checked(await request(h.app).get('/organisations').query({ limit: 0 }).set('Authorization', bearer(staff))).status).toBe(400);
    expect(checked(await request(h.app).get('/organisations')).status).toBe(401);
  });

  it('when staff import JSON and CSV (good and bad rows), too many rows, another content type, a company, or too many imports at once, then every answer matches the document', async () => {
    const imported = checked(
      await request(h.app)
        .post('/organisations:import')
        .set('Authorization', bearer(staff))
        .send([sampleInput({ legalName: 'Import Contract One S.r.l.' }), { kind: 'spaceship' }]),
    );
    expect(imported.body.summary).toEqual({ total: 2, created: 1, updated: 0, failed: 1 });
    const csv = 'kind,subtype,legalName,province,s3Areas\ncompany,startup,"Import Contract CSV, S.r.l.",MI,health_life_sciences\n';
    expect(
      checked(await request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).set('Content-Type', 'text/csv').send(csv)).status,
    ).toBe(200);
    expect(checked(await request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).send({ rows: [] })).status).toBe(400);
    expect(
      checked(
        await request(h.app)
          .post('/organisations:import')
          .set('Authorization', bearer(staff))
          .send(Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ({}))),
      ).status,
    ).toBe(413);
    expect(
      checked(await request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).set('Content-Type', 'text/plain').send('kind\ncompany\n'))
        .status,
    ).toBe(415);
    expect(
      checked(
        await request(h.app)
          .post('/organisations:import')
          .set('Authorization', bearer(companyOf('org_x')))
          .send([]),
      ).status,
    ).toBe(403);
    expect(checked(await request(h.app).post('/organisations:import').send([])).status).toBe(401);
    // Imports are expensive routes: past the per-window allowance (20 by default) a client gets 429.
    let limited: request.Response | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      const res = checked(await request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).send([]));
      if (res.status === 429) limited = res;
    }
    expect(limited?.headers['retry-after']).toBeDefined();
  });

  it('when every test above has run, then every documented answer of every route has been produced', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
