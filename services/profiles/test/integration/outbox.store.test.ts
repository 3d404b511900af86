import type { Envelope } from '@lm/contracts';
import request from 'supertest';
import { upsertedEvent } from '../../src/domain/organisation.events';
import { createOutboxStore } from '../../src/data/outbox.store';
import { bearer, openDatabase, sampleInput, staff, type Organisation } from './harness';

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
  /** The versions of `id` still marked pending. */
  const pendingVersions = async (id: string) =>
    (await h.collections.pending.of(id).find({ org: id }).toArray()).map((m) => m.v).sort((a, b) => (a ?? 0) - (b ?? 0));
  const pending = async (id: string) => (await pendingVersions(id)).length > 0;
  const typeAndVersion = (e: Envelope) => `${e.type}@${(e.data as { version: number }).version}`;

  it('when several organisations are published and acknowledged, then nothing is pending and their next write starts a fresh outbox', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const ids = [(await create()).id, (await create()).id, (await create()).id];
    const claimed = (await store.claim('relay-a:1', 50)).filter((c) => ids.includes(c.id));
    expect(claimed.map((c) => c.id).sort()).toEqual([...ids].sort());

    await store.acknowledge('relay-a:1', claimed);
    for (const id of ids) expect(await pending(id)).toBe(false);
    expect(await store.backlog()).toBe(0);
    expect(await store.claim('relay-a:2', 50)).toEqual([]);

    await patch(ids[0]!, 1, { legalName: 'Changed After Publishing' });
    expect(await outboxOf(ids[0]!)).toEqual(['organisation.upserted@2']);
    const next = await store.claim('relay-a:3', 50);
    expect(next.map((c) => c.events.map(typeAndVersion))).toEqual([['organisation.upserted@2']]);
    await store.acknowledge('relay-a:3', next);
  });

  it('when a change is written between claim and acknowledge, then only the published event is removed and the new one is claimed next', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
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

  it('when a change is written while a published page is being acknowledged, then the new event stays pending and is claimed next', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    const [first] = (await store.claim('relay-c:1', 50)).filter((c) => c.id === id);
    expect(first?.events.map(typeAndVersion)).toEqual(['organisation.upserted@1']);

    await Promise.all([store.acknowledge('relay-c:1', [first!]), patch(id, 1, { legalName: 'Renamed During Acknowledgement' })]);

    expect(await pendingVersions(id)).toEqual([2]);
    const [next] = await store.claim('relay-c:2', 50);
    expect(next?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2']);
    await store.acknowledge('relay-c:2', [next!]);
  });

  it('when a relay holds a pending partition, then a second relay claims none of its events until the first acknowledges', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const other = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    const mine = (await store.claim('relay-d:1', 50)).map((c) => c.id);
    expect(mine).toContain(id);
    expect((await other.claim('relay-e:1', 50)).map((c) => c.id)).not.toContain(id);
    await store.acknowledge('relay-d:1', []);
    expect(await other.claim('relay-e:2', 50)).toEqual([]);
  });

  it('when a writer crashed between the document write and its mark, then whoever takes the expired lock over marks the event again', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    await store.acknowledge('relay-f:1', await store.claim('relay-f:1', 50));
    await patch(id, 1, { legalName: 'Written Before The Crash' });
    // The crash: the document holds version 2 and its event, the mark never got written, the lock stays behind.
    await h.collections.pending.of(id).deleteMany({ org: id });
    await h.conn.db!.collection('organisation_locks').insertOne({ _id: `org:${id}` as never, owner: 'crashed-writer', until: Date.now() - 1 });

    await patch(id, 2, { legalName: 'Written After The Crash' });

    expect(await pendingVersions(id)).toEqual([2, 3]);
    const [claimed] = await store.claim('relay-f:2', 50);
    expect(claimed?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2', 'organisation.upserted@3']);
    await store.acknowledge('relay-f:2', [claimed!]);
  });

  it('when pending marks of the layout before session 9 exist, then the start-up migration turns them into one mark per unpublished event', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    await store.acknowledge('relay-g:1', await store.claim('relay-g:1', 50));
    // The old layout: the outbox keeps every event since the last publication, one mark per organisation names the first unpublished version.
    const v1 = (await h.repo.findById(id))!.organisation;
    const v2: Organisation = { ...v1, legalName: 'Old Layout Version 2', version: 2 };
    const v3: Organisation = { ...v1, legalName: 'Old Layout Version 3', version: 3 };
    await h.collections.orgs
      .of(id)
      .updateOne({ _id: id }, { $set: { version: 3, legalName: v3.legalName, outbox: [upsertedEvent(v1), upsertedEvent(v2), upsertedEvent(v3)] } });
    await h.collections.pending.of(id).insertOne({ _id: id, at: Date.now(), from: 2 });

    expect(await h.marks.migrateLegacyMarks()).toBe(1);

    expect(await h.collections.pending.of(id).findOne({ _id: id })).toBeNull();
    expect(await pendingVersions(id)).toEqual([2, 3]);
    const [claimed] = await store.claim('relay-g:2', 50);
    expect(claimed?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2', 'organisation.upserted@3']);
    await store.acknowledge('relay-g:2', [claimed!]);
    expect(await h.marks.migrateLegacyMarks()).toBe(0);
  });
});
