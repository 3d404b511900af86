import type { Principal } from '@lm/auth';
import request from 'supertest';
import { admin, bearer, companyOf, eventually, openDatabase, partner, sampleInput, staff } from './harness';

/**
 * Each role × each endpoint. "owner" is a company user whose token names the organisation,
 * "other company" one whose token names a different one.
 */
type Who = 'anonymous' | 'owner' | 'other company' | 'partner' | 'hub_staff' | 'admin';
const WHO: Who[] = ['anonymous', 'owner', 'other company', 'partner', 'hub_staff', 'admin'];

describe('authorisation matrix of the profiles API', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  let n = 0;
  beforeAll(async () => {
    h = await openDatabase({ search: true });
  });
  afterAll(async () => {
    await h.close();
  });

  function principal(who: Who, orgId: string): Principal | undefined {
    switch (who) {
      case 'anonymous':
        return undefined;
      case 'owner':
        return companyOf(orgId);
      case 'other company':
        return companyOf(`${orgId}-other`);
      case 'partner':
        return partner;
      case 'hub_staff':
        return staff;
      case 'admin':
        return admin;
    }
  }

  /** A fresh organisation owned by a company user, for each cell of the matrix. */
  async function fresh(): Promise<string> {
    const id = `org_matrix_${Date.now()}_${++n}`;
    await request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(companyOf(id)))
      .send(sampleInput())
      .expect(201);
    return id;
  }

  const auth = (req: request.Test, p: Principal | undefined) => (p ? req.set('Authorization', bearer(p)) : req);

  const endpoints: Record<string, { expected: Record<Who, number>; call: (id: string, p: Principal | undefined) => request.Test }> = {
    'POST /organisations': {
      // The owner here is a company whose organisation has no profile yet (its first create).
      expected: { anonymous: 401, owner: 201, 'other company': 201, partner: 403, hub_staff: 201, admin: 201 },
      call: (_id, p) => auth(request(h.app).post('/organisations'), p?.role === 'company' ? { ...p, org: `${p.org}-new` } : p).send(sampleInput()),
    },
    'GET /organisations/:id': {
      expected: { anonymous: 401, owner: 200, 'other company': 200, partner: 200, hub_staff: 200, admin: 200 },
      call: (id, p) => auth(request(h.app).get(`/organisations/${id}`), p),
    },
    'PATCH /organisations/:id': {
      expected: { anonymous: 401, owner: 200, 'other company': 403, partner: 403, hub_staff: 200, admin: 200 },
      call: (id, p) =>
        auth(request(h.app).patch(`/organisations/${id}`), p)
          .set('If-Match', '1')
          .send({ legalName: 'Patched Name' }),
    },
    'DELETE /organisations/:id': {
      expected: { anonymous: 401, owner: 204, 'other company': 403, partner: 403, hub_staff: 204, admin: 204 },
      call: (id, p) => auth(request(h.app).delete(`/organisations/${id}`), p).set('If-Match', '1'),
    },
    'GET /organisations': {
      expected: { anonymous: 401, owner: 200, 'other company': 200, partner: 200, hub_staff: 200, admin: 200 },
      call: (_id, p) => auth(request(h.app).get('/organisations?limit=5'), p),
    },
    'POST /organisations:import': {
      expected: { anonymous: 401, owner: 403, 'other company': 403, partner: 403, hub_staff: 200, admin: 200 },
      call: (_id, p) => auth(request(h.app).post('/organisations:import'), p).send([sampleInput()]),
    },
  };

  for (const [endpoint, { expected, call }] of Object.entries(endpoints)) {
    it(`when each role calls ${endpoint}, then only the allowed ones succeed`, async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const id = await fresh();
        got[who] = (await call(id, principal(who, id))).status;
      }
      expect(got).toEqual(expected);
    });
  }

  it('when a token is forged or expired-looking garbage, then 401 with a bearer challenge', async () => {
    const res = await request(h.app).get('/organisations').set('Authorization', 'Bearer not.a.jwt');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('when a company lists, then private fields show only on its own organisation', async () => {
    const id = await fresh();
    const other = await fresh();
    const list = () =>
      request(h.app)
        .get('/organisations?limit=100')
        .set('Authorization', bearer(companyOf(id)));
    await eventually(
      async () => ((await list()).body.items as { id: string }[]).filter((o) => [id, other].includes(o.id)).length === 2,
      'both organisations listed',
    );
    const res = await list();
    const own = res.body.items.find((o: { id: string }) => o.id === id);
    const others = res.body.items.filter((o: { id: string }) => o.id !== id);
    expect(own.contacts).toHaveLength(1);
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(o).not.toHaveProperty('contacts');
  });
});
