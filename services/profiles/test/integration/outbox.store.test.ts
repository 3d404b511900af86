import type { Envelope } from '@lm/contracts';
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

  const create = async () =>
    (await request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(sampleInput()).expect(201)).body as { id: string };
  const patch = (id: string, version: number, body: object) =>
    request(h.app).patch(`/organisations/${id}`).set('Authorization', bearer(staff)).set('If-Match', String(version)).send(body).expect(200);
  const outboxOf = async (id: string) =>
    ((await h.collections.orgs.of(id).findOne({ _id: id }, { projection: { outbox: 1 } }))?.outbox ?? []).map((e) => typeAndVersion(JSON.parse(e) as Envelope));
  const pending = async (id: string) => !!(await h.collections.pending.of(id).findOne({ _id: id }));
  const typeAndVersion = (e: Envelope) => `${e.type}@${(e.data as { version: number }).version}`;

  it('when several organisations are published and acknowledged, then nothing is pending and their next write starts a fresh outbox', async () => {
    const store = createOutboxStore(h.collections, h.locks);
    const ids = [(await create()).id, (await create()).id, (await create()).id];
    const claimed = (await store.claim('relay-a:1', 50)).filter((c) => ids.includes(c.id));
    expect(claimed.map((c) => c.id).sort()).toEqual([...ids].sort());

    await store.acknowledge('relay-a:1', claimed);
    for (const id of ids) expect(await pending(id)).toBe(false);
    expect(await store.backlog()).toBe(0);
    expect(await store.claim('relay-a:2', 50)).toEqual([]);

    await patch(ids[0]!, 1, { legalName: 'Changed After Publishing' });
    expect(await outboxOf(ids[0]!)).toEqual(['organisation.upserted@2']);
    expect((await store.claim('relay-a:3', 50)).map((c) => c.events.map(typeAndVersion))).toEqual([['organisation.upserted@2']]);
  });

  it('when a change is written between claim and acknowledge, then only the published event is removed and the new one is claimed next', async () => {
    const store = createOutboxStore(h.collections, h.locks);
    const { id } = await create();
    const [first] = await store.claim('relay-b:1', 50);
    expect(first?.events.map(typeAndVersion)).toEqual(['organisation.upserted@1']);

    await patch(id, 1, { legalName: 'Renamed While Publishing' });
    await store.acknowledge('relay-b:1', [first!]);

    expect(await pending(id)).toBe(true);
    expect(await outboxOf(id)).toEqual(['organisation.upserted@2']);
    const [next] = await store.claim('relay-b:2', 50);
    expect(next?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2']);
    await store.acknowledge('relay-b:2', [next!]);
    expect(await pending(id)).toBe(false);
  });
});
