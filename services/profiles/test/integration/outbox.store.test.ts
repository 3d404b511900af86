import request from 'supertest';
import { createOutboxStore } from '../../src/data/outbox.store';
import { bearer, openDatabase, sampleInput, staff } from './harness';

/** The relay's acknowledge step against FerretDB, without Kafka: what stays pending after a publish. */
describe('outbox acknowledgement on FerretDB', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await openDatabase();
  });
  afterAll(async () => {
    await h.close();
  });

  const create = async () => (await request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(sampleInput()).expect(201)).body as { id: string };
  const patch = (id: string, version: number, body: object) => request(h.app).patch(`/organisations/${id}`).set('Authorization', bearer(staff)).set('If-Match', String(version)).send(body).expect(200);
  const stored = (id: string) => h.model.collection.findOne({ _id: id as never }, { projection: { outbox: 1, outboxPending: 1 } });
  const typeAndVersion = (e: string) => {
    const env = JSON.parse(e) as { type: string; data: { version: number } };
    return `${env.type}@${env.data.version}`;
  };

  it('when several organisations are published and acknowledged, then their outboxes are empty and nothing is pending', async () => {
    const store = createOutboxStore(h.model, h.locks);
    const ids = [(await create()).id, (await create()).id, (await create()).id];
    const claimed = (await store.claim('relay-a:1', 50)).filter((c) => ids.includes(c.id));
    expect(claimed.map((c) => c.id).sort()).toEqual([...ids].sort());

    await store.acknowledge('relay-a:1', claimed);
    for (const id of ids) expect(await stored(id)).toMatchObject({ outbox: [], outboxPending: false });
    expect(await store.backlog()).toBe(0);
  });

  it('when a change is written between claim and acknowledge, then only the published event is removed and the new one is claimed next', async () => {
    const store = createOutboxStore(h.model, h.locks);
    const { id } = await create();
    const [first] = await store.claim('relay-b:1', 50);
    expect(first?.events.map(typeAndVersion)).toEqual(['organisation.upserted@1']);

    await patch(id, 1, { legalName: 'Renamed While Publishing' });
    await store.acknowledge('relay-b:1', [first!]);

    const after = await stored(id);
    expect(after?.outboxPending).toBe(true);
    expect(after?.outbox.map(typeAndVersion)).toEqual(['organisation.upserted@2']);
    const [next] = await store.claim('relay-b:2', 50);
    expect(next?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2']);
    await store.acknowledge('relay-b:2', [next!]);
    expect(await stored(id)).toMatchObject({ outbox: [], outboxPending: false });
  });
});
