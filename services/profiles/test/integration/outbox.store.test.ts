import type { Envelope } from '@lm/contracts';
import request from 'supertest';
import { upsertedEvent } from '../../src/domain/organisation.events';
import { LOCKS_COLLECTION } from '../../src/data/organisation.locks';
import { markId, TENTATIVE_GRACE_MS } from '../../src/data/outbox.pending';
import { createOutboxStore } from '../../src/data/outbox.store';
import { bearer, companyOf, openDatabase, sampleInput, staff, type Organisation } from './harness';

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
    // The crash: the document holds version 2 and its event, the mark never got written, the lock
    // stays behind (planted once the patch's own release, which follows its answer, has landed).
    await h.locks.released();
    await h.collections.pending.of(id).deleteMany({ org: id });
    await h.lockDocs().insertOne({ _id: `org:${id}`, owner: 'crashed-writer', until: Date.now() - 1 });

    await patch(id, 2, { legalName: 'Written After The Crash' });

    expect(await pendingVersions(id)).toEqual([2, 3]);
    const [claimed] = await store.claim('relay-f:2', 50);
    expect(claimed?.events.map(typeAndVersion)).toEqual(['organisation.upserted@2', 'organisation.upserted@3']);
    await store.acknowledge('relay-f:2', [claimed!]);
  });

  /** The mark a patch writes beside its update (`after`): `org` at its next version, its update not (yet) landed. */
  const updateMark = async (org: Organisation, at = Date.now()) => {
    await h.collections.pending
      .of(org.id)
      .insertOne({ _id: markId(org.id, org.version), org: org.id, v: org.version, env: upsertedEvent(org), at, after: true });
    h.marks.touch(h.collections.pending.indexOf(org.id)); // as its writer does: the relay looks there next round
  };

  it("when an update's mark is written and its document does not show that version yet, then the relay holds it until the document does", async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    await store.acknowledge('relay-l:1', await store.claim('relay-l:1', 50));
    const v1 = (await h.repo.findById(id))!.organisation;
    const v2: Organisation = { ...v1, legalName: 'Marked Before Its Update', version: 2 };
    await updateMark(v2);

    const early = await store.claim('relay-l:2', 50);
    await store.acknowledge('relay-l:2', early);
    expect(claimedIds(early)).not.toContain(id);
    expect(await pendingVersions(id)).toEqual([2]);

    // The update lands.
    await h.collections.orgs.of(id).updateOne({ _id: id }, { $set: { version: 2, legalName: v2.legalName, outbox: [upsertedEvent(v2)] } });
    const late = (await store.claim('relay-l:3', 50)).filter((c) => c.id === id);
    expect(late.map((c) => c.events.map(typeAndVersion))).toEqual([['organisation.upserted@2']]);
    await store.acknowledge('relay-l:3', late);
    expect(await pendingVersions(id)).toEqual([]);
  });

  it("when an update's mark stays above its document's version past the grace, then the relay removes it unpublished", async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    await store.acknowledge('relay-m:1', await store.claim('relay-m:1', 50));
    const v1 = (await h.repo.findById(id))!.organisation;
    await updateMark({ ...v1, legalName: 'Never Written', version: 2 }, Date.now() - TENTATIVE_GRACE_MS - 1);

    const claimed = await store.claim('relay-m:2', 50);
    await store.acknowledge('relay-m:2', claimed);

    expect(claimedIds(claimed)).not.toContain(id);
    expect(await pendingVersions(id)).toEqual([]);
  });

  /** A create's tentative mark for `org` (its writer wrote the mark, then stopped or is still on its way). */
  const tentativeMark = async (org: Organisation, token: string, at = Date.now()) =>
    h.collections.pending.of(org.id).insertOne({ _id: markId(org.id, 1), org: org.id, v: 1, env: upsertedEvent(org), at, confirm: token });
  const unwrittenOrganisation = (id: string): Organisation => ({ ...(sampleInput() as unknown as Organisation), id, version: 1 });
  const claimedIds = (claimed: { id: string }[]) => claimed.map((c) => c.id);

  it('when a create crashed after its tentative mark and before its document, then the relay never publishes it and removes the mark after the grace', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const young = unwrittenOrganisation(`org_in_flight_${Date.now()}`);
    const crashed = unwrittenOrganisation(`org_crashed_${Date.now()}`);
    await tentativeMark(young, 'young-token');
    await tentativeMark(crashed, 'crashed-token', Date.now() - TENTATIVE_GRACE_MS - 1);

    const claimed = await store.claim('relay-h:1', 50);
    await store.acknowledge('relay-h:1', claimed);

    expect(claimedIds(claimed)).not.toContain(young.id);
    expect(claimedIds(claimed)).not.toContain(crashed.id);
    expect(await pendingVersions(crashed.id)).toEqual([]);
    // Within the grace the create may still write its document: its mark waits.
    expect(await pendingVersions(young.id)).toEqual([1]);
  });

  it('when a create wrote its tentative mark and then its document, then the relay publishes the event once the document is there', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const org = unwrittenOrganisation(`org_late_document_${Date.now()}`);
    await tentativeMark(org, 'late-token');
    const before = await store.claim('relay-i:1', 50);
    await store.acknowledge('relay-i:1', before);
    expect(claimedIds(before)).not.toContain(org.id);

    const { id: _id, ...state } = org;
    await h.collections.orgs.of(org.id).insertOne({ _id: org.id, ...state, outbox: [upsertedEvent(org)], creation: 'late-token' });

    const after = (await store.claim('relay-i:2', 50)).filter((c) => c.id === org.id);
    expect(after.map((c) => c.events.map(typeAndVersion))).toEqual([['organisation.upserted@1']]);
    await store.acknowledge('relay-i:2', after);
    expect(await pendingVersions(org.id)).toEqual([]);
  });

  it('when a second create of the same id lost (409) and left its tentative mark behind, then the relay drops that mark and publishes only the winner', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const org = `org_twice_${Date.now()}`;
    await request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(companyOf(org)))
      .send(sampleInput())
      .expect(201);
    // Its first event still pending: the second create finds the mark taken and gives up.
    const again = await request(h.app)
      .post('/organisations')
      .set('Authorization', bearer(companyOf(org)))
      .send(sampleInput());
    expect(again.status).toBe(409);
    await store.acknowledge('relay-j:1', await store.claim('relay-j:1', 50));
    // After publication a loser's mark can be written; its writer crashed before removing it.
    const winner = (await h.repo.findById(org))!.organisation;
    await tentativeMark({ ...winner, legalName: 'The Losing Create' }, 'losing-token');

    // A relay starting now (its first round looks at every partition).
    const next = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const claimed = (await next.claim('relay-j:2', 50)).filter((c) => c.id === org);
    await next.acknowledge('relay-j:2', claimed);

    expect(claimed).toEqual([]);
    expect(await pendingVersions(org)).toEqual([]);
    expect((await h.repo.findById(org))!.organisation.legalName).toBe(winner.legalName);
  });

  it('when locks and marks were left in the main database by the layout before session 10, then the start-up migration moves the marks and repairs the crashed write', async () => {
    const store = createOutboxStore(h.collections, h.locks, { marks: h.marks });
    const { id } = await create();
    const other = await create();
    await store.acknowledge('relay-k:1', await store.claim('relay-k:1', 50));
    // Old layout: `other`'s pending mark in the main database; `id`'s writer crashed after its document write, lock left there.
    await patch(other.id, 1, { legalName: 'Marked In The Old Place' });
    const [mark] = await h.collections.pending.of(other.id).find({ org: other.id }).toArray();
    await h.collections.legacyPending.of(other.id).insertOne(mark!);
    await h.collections.pending.of(other.id).deleteMany({ org: other.id });
    await patch(id, 1, { legalName: 'Written Before The Old Crash' });
    await h.collections.pending.of(id).deleteMany({ org: id });
    await h.conn
      .db!.collection<{ _id: string; owner: string; until: number }>(LOCKS_COLLECTION)
      .insertOne({ _id: `org:${id}`, owner: 'old-writer', until: Date.now() + 5_000 });

    expect(await h.migrateLayout()).toMatchObject({ locksRetired: 1, marksMoved: 1 });

    expect(await pendingVersions(other.id)).toEqual([2]);
    expect(await pendingVersions(id)).toEqual([2]);
    expect(await h.collections.legacyPending.of(other.id).countDocuments({})).toBe(0);
    expect(await h.conn.db!.collection(LOCKS_COLLECTION).countDocuments({})).toBe(0);
    await store.acknowledge('relay-k:2', await store.claim('relay-k:2', 50));
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
