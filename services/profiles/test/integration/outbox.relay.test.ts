import { OrganisationEvent } from '@lm/contracts';
import { createEventProducer, createKafka, type EventProducer } from '@lm/kafka';
import { waitFor } from '@lm/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createOutboxRelay, type OutboxRelay } from '@lm/outbox';
import { createPendingMarks, markId } from '../../src/data/outbox.pending';
import { createOutboxStore } from '../../src/data/outbox.store';
import { upsertedEvent } from '../../src/domain/organisation.events';
import { bearer, logger, openDatabase, openKafka, sampleInput, staff, type Organisation } from './harness';

interface Seen {
  key: string;
  event: OrganisationEvent;
}

describe('outbox relay on FerretDB and Kafka', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  let kafka: Kafka;
  let topic: string;
  let producer: EventProducer;
  let reader: Consumer;
  const seen: Seen[] = [];
  const relays: OutboxRelay[] = [];
  const broken: EventProducer[] = [];
  let kickAll = () => undefined as void;

  beforeAll(async () => {
    h = await openDatabase({ onChange: () => kickAll() });
    ({ kafka, topic, producer } = await openKafka());
    reader = kafka.consumer({ groupId: `${topic}-reader` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key!.toString(), event: OrganisationEvent.parse(JSON.parse(message.value!.toString())) });
      },
    });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(broken.splice(0).map((p) => p.disconnect().catch(() => undefined)));
  });
  afterAll(async () => {
    await reader.disconnect();
    await producer.disconnect();
    await h.close();
  });

  /** `marks`: the writers' own (default: a relay in the app's process) or another instance's (`createPendingMarks`). */
  function startRelay(p: EventProducer, registry?: Registry, marks = h.marks): OutboxRelay {
    const relay = createOutboxRelay({
      store: createOutboxStore(h.collections, h.locks, { leaseMs: 30_000, marks }),
      producer: p,
      topic,
      logger,
      metricsPrefix: 'profiles',
      pollMs: 50,
      maxBackoffMs: 200,
      batchSize: 20,
      coalesceMs: 100,
      ...(registry ? { metrics: registry } : {}),
    });
    relays.push(relay);
    relay.start();
    kickAll = () => relays.forEach((r) => r.kick());
    return relay;
  }

  const api = () => ({
    create: async (overrides = {}) =>
      (await request(h.app).post('/organisations').set('Authorization', bearer(staff)).send(sampleInput(overrides)).expect(201)).body as { id: string },
    patch: (id: string, version: number, body: object) =>
      request(h.app).patch(`/organisations/${id}`).set('Authorization', bearer(staff)).set('If-Match', String(version)).send(body).expect(200),
    remove: (id: string, version: number) =>
      request(h.app).delete(`/organisations/${id}`).set('Authorization', bearer(staff)).set('If-Match', String(version)).expect(204),
  });

  /** Writes versions 1..n (last one a delete when `withDelete`) to `count` organisations, interleaved. */
  async function writeHistories(count: number, n: number, withDelete: boolean): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await api().create()).id);
    for (let v = 1; v < n; v++) {
      await Promise.all(ids.map((id) => (withDelete && v === n - 1 ? api().remove(id, v) : api().patch(id, v, { legalName: `Renamed ${id} v${v + 1}` }))));
    }
    return ids;
  }

  function versionsOf(id: string): number[] {
    return seen.filter((s) => s.key === id).map((s) => s.event.data.version);
  }

  async function expectDelivered(ids: string[], n: number) {
    await waitFor(() => ids.every((id) => versionsOf(id).length >= n), {
      description: `${n} events for each of ${ids.length} organisations`,
      timeoutMs: 30_000,
    });
    const expected = Array.from({ length: n }, (_, i) => i + 1);
    for (const id of ids) expect(versionsOf(id)).toEqual(expected);
  }

  it('when organisations are created, changed and deleted, then every event arrives keyed by id, in version order, with the snapshot of its version', async () => {
    startRelay(producer);
    const ids = await writeHistories(3, 4, true);
    await expectDelivered(ids, 4);
    const events = seen.filter((s) => s.key === ids[0]).map((s) => s.event);
    expect(events.map((e) => e.type)).toEqual(['organisation.upserted', 'organisation.upserted', 'organisation.upserted', 'organisation.deleted']);
    const second = events[1]!;
    expect(second.type === 'organisation.upserted' && second.data.organisation).toMatchObject({ id: ids[0], version: 2, legalName: `Renamed ${ids[0]} v2` });
    expect(second.type === 'organisation.upserted' && second.data.organisation).not.toHaveProperty('contacts');
    // Nothing is pending any more.
    await waitFor(async () => (await createOutboxStore(h.collections, h.locks).backlog()) === 0, { description: 'empty backlog' });
  });

  it('when the broker is unreachable during writes, then the writes succeed, events wait as pending marks, and all arrive in order once a working relay runs', async () => {
    const deadKafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'dead', logger, retries: 1, connectionTimeoutMs: 300 });
    const dead = createEventProducer(deadKafka);
    broken.push(dead);
    const registry = new Registry();
    const failing = startRelay(dead, registry);

    const ids = await writeHistories(4, 3, false);
    const marks = await Promise.all(ids.map((id) => h.collections.pending.of(id).countDocuments({ org: id })));
    expect(marks).toEqual([3, 3, 3, 3]);
    const metrics = await registry.getMetricsAsJSON();
    const backlog = metrics.find((m) => m.name === 'profiles_outbox_backlog');
    expect(backlog?.values[0]?.value).toBeGreaterThanOrEqual(4);
    expect(ids.flatMap(versionsOf)).toEqual([]);

    await failing.stop();
    relays.splice(relays.indexOf(failing), 1);
    startRelay(producer);
    await expectDelivered(ids, 3);
  });

  it('when two relays run while organisations are being written, then each organisation still receives exactly its versions, in order', async () => {
    startRelay(producer);
    startRelay(producer);
    const ids = await writeHistories(8, 6, false);
    await expectDelivered(ids, 6);
  });

  it('when a writer crashed between the document write and its mark and nobody writes that organisation again, then the relay sweep still publishes the event, once', async () => {
    const { id } = await api().create();
    await api().patch(id, 1, { legalName: `Renamed ${id} before the crash` });
    // The crash: version 2 and its event are in the document, its mark was never written, the lock
    // stays behind (expired; planted once the patch's own release, which follows its answer, has landed).
    await h.locks.released();
    await h.collections.pending.of(id).deleteOne({ org: id, v: 2 });
    await h.lockDocs().insertOne({ _id: `org:${id}`, owner: 'crashed-writer', until: Date.now() - 1 });

    startRelay(producer);
    await expectDelivered([id], 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(versionsOf(id)).toEqual([1, 2]);
  });

  /**
   * A writer of version 2 that crashed after the mark it writes beside its update and before the
   * update landed: the phantom's mark (another name) and its expired lock are left behind.
   */
  async function plantPhantom(id: string): Promise<void> {
    await h.locks.released();
    const v1 = (await h.repo.findById(id))!.organisation;
    const phantom: Organisation = { ...v1, legalName: `Phantom ${id}`, version: 2 };
    await h.collections.pending.of(id).insertOne({ _id: markId(id, 2), org: id, v: 2, env: upsertedEvent(phantom), at: Date.now(), after: true });
    await h.lockDocs().insertOne({ _id: `org:${id}`, owner: 'crashed-writer', until: Date.now() - 1 });
  }
  const nameAt = (id: string, version: number) =>
    seen
      .filter((s) => s.key === id && s.event.data.version === version)
      .map((s) => (s.event.data as { organisation?: { legalName: string } }).organisation?.legalName);

  it('when a writer crashed between its mark and its document update, then the next writer takes the lock over, and only its own event of that version goes out', async () => {
    startRelay(producer);
    const { id } = await api().create();
    await expectDelivered([id], 1);
    await relays.splice(0).reduce((p, r) => p.then(() => r.stop()), Promise.resolve());
    await plantPhantom(id);

    await api().patch(id, 1, { legalName: `Real ${id}` });

    startRelay(producer);
    await waitFor(() => nameAt(id, 2).length > 0, { description: 'version 2 published', timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    // The repair marks the document's outbox event (version 1) again: it may go out twice (consumers drop it by version).
    expect(versionsOf(id).filter((v) => v !== 1)).toEqual([2]);
    expect(nameAt(id, 2)).toEqual([`Real ${id}`]);
  });

  it('when a writer crashed between its mark and its document update and nobody writes that organisation again, then the relay never publishes the phantom', async () => {
    const { id } = await api().create();
    startRelay(producer);
    await expectDelivered([id], 1);
    await plantPhantom(id);

    // The relay's sweep repairs the expired lock (the phantom's mark withdrawn); the relay holds the mark until then.
    await waitFor(async () => (await h.lockDocs().findOne({ _id: `org:${id}` })) === null, { description: 'the expired lock repaired', timeoutMs: 15_000 });
    expect(await h.collections.pending.of(id).countDocuments({ org: id })).toBe(0);
    await api().patch(id, 1, { legalName: `Real ${id}` });
    await waitFor(() => nameAt(id, 2).length > 0, { description: 'version 2 published', timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(versionsOf(id).filter((v) => v !== 1)).toEqual([2]);
    expect(nameAt(id, 2)).toEqual([`Real ${id}`]);
  });

  it('when clients patch one organisation concurrently, then every accepted version is published once, in order, with the state that was accepted', async () => {
    // A relay of another instance: it knows of no update landing, it reads the organisation.
    startRelay(producer, undefined, createPendingMarks(h.collections));
    const { id } = await api().create();
    const accepted = new Map<number, string>();
    /** Reads the current version and patches it; on 412 (another client was first) reads again. */
    const client = async (c: number) => {
      for (let n = 0; n < 3; n++) {
        const name = `Client ${c} change ${n} ${id}`;
        for (;;) {
          const version = (await h.repo.findById(id))!.organisation.version;
          const res = await request(h.app)
            .patch(`/organisations/${id}`)
            .set('Authorization', bearer(staff))
            .set('If-Match', String(version))
            .send({ legalName: name });
          if (res.status === 412) continue;
          expect(res.status).toBe(200);
          accepted.set((res.body as { version: number }).version, name);
          break;
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));

    expect([...accepted.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    await expectDelivered([id], 13);
    for (const [version, name] of accepted) expect(nameAt(id, version)).toEqual([name]);
  });
});
