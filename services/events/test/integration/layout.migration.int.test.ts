import { makeEnvelope } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { convertSchedulesToText, migrateLegacyLayout } from '../../src/data/layout.migration';
import { createEventsOutboxStore } from '../../src/data/outbox.store';
import { createRepos, OUTBOX_COLLECTIONS } from '../../src/data/repositories';
import type { Meeting, ScheduleDoc } from '../../src/domain/schedule.schemas';
import { storedParticipant } from './fixtures';

const logger = createLogger({ service: 'events-migration-test', level: 'silent' });
let mongo: Connection;

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-migration').replace(/-/g, '_'), logger });
});
afterAll(async () => {
  await mongo?.close();
});

describe('moving a database of the single-collection layout into the partitioned one', () => {
  it('when participants, requests and snapshots sit in the old collections, then after the migration they are read, looked up by organisation, listed per participant and relayed as before — and a second run moves nothing', async () => {
    const db = mongo.db!;
    const now = new Date().toISOString();
    const participant = (id: string, org: string) =>
      storedParticipant({ id, eventId: 'ev-1', organisationId: org, type: 'company', name: org, registeredAt: now });
    await db.collection('participants').insertMany([participant('p-a', 'org-a'), participant('p-b', 'org-b')] as never[]);
    const pending = makeEnvelope({ type: 'meeting.requested', key: 'ev-1', data: { n: 1 }, source: 'events-test' });
    await db.collection('requests').insertOne({
      _id: 'r-1',
      eventId: 'ev-1',
      from: 'p-a',
      to: 'p-b',
      fromOrganisationId: 'org-a',
      toOrganisationId: 'org-b',
      priority: 'must_meet',
      status: 'pending',
      createdAt: now,
      version: 1,
      outbox: [pending],
    } as never);
    await db.collection('organisation_snapshots').insertOne({ _id: 'org-a', version: 3, deleted: false, organisation: { id: 'org-a' } } as never);

    expect(await migrateLegacyLayout(mongo)).toEqual({ organisation_snapshots: 1, participants: 2, requests: 1 });

    const repos = createRepos(mongo);
    expect((await repos.participants.get('p-b'))?.organisationId).toBe('org-b');
    expect((await repos.participants.find({ eventId: 'ev-1', organisationId: 'org-a' })).map((p) => p.id)).toEqual(['p-a']);
    expect((await repos.requests.page({ where: { eventId: 'ev-1' }, anyOf: [{ from: 'p-b' }, { to: 'p-b' }] }, { limit: 10 })).map((r) => r.id)).toEqual([
      'r-1',
    ]);
    expect((await repos.organisations.get('org-a'))?.version).toBe(3);
    const relayStore = createEventsOutboxStore(mongo, OUTBOX_COLLECTIONS);
    const claimed = await relayStore.claim('migration-test', 10);
    expect(claimed.map((c) => c.events.map((e) => e.id))).toEqual([[pending.id]]);
    await relayStore.release('migration-test', claimed);
    await expect(
      repos.requests.insert({
        id: 'r-2',
        eventId: 'ev-1',
        from: 'p-a',
        to: 'p-b',
        fromOrganisationId: 'org-a',
        toOrganisationId: 'org-b',
        priority: 'would_like',
        status: 'pending',
        createdAt: now,
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'duplicate' });

    expect(await migrateLegacyLayout(mongo)).toEqual({});
  });
});

describe('converting schedules whose meetings are nested documents into parts stored as JSON text', () => {
  const meeting = (n: number): Meeting => ({
    id: `m-${n}`,
    sessionId: 'am',
    slot: n,
    table: 1 + (n % 3),
    a: `p-${n}`,
    b: `p-${n + 1}`,
    source: 'request',
    requestIds: [`r-${n}`],
    value: 40,
  });

  it('when a schedule of the nested layout is stored, then the conversion rewrites its draft, published and cancelled meetings as text with the same content and version, it reads and changes as before — and a second run converts nothing', async () => {
    const db = mongo.db!;
    const schedules = db.collection<Record<string, unknown> & { _id: string }>('schedules');
    const at = new Date().toISOString();
    const report = { objective: 80, upperBound: 90, meetings: 2, unscheduled: [] };
    const old = {
      eventId: 'ev-old',
      version: 7,
      draft: { meetings: [meeting(1), meeting(2)], report, generatedAt: at, basedOnPublished: 3 },
      published: { meetings: [meeting(1)], publishedAt: at, number: 3 },
      cancelled: { meetings: [meeting(0)], cancelledAt: at },
      replanOffer: null,
    };
    const outbox = [JSON.stringify(makeEnvelope({ type: 'meeting.cancelled', key: 'ev-old', data: { n: 1 }, source: 'events-test' }))];
    await schedules.insertOne({ _id: 'ev-old', ...old, outbox });
    await schedules.insertOne({ _id: 'ev-empty', eventId: 'ev-empty', version: 1, draft: null, published: null, outbox: [] });

    expect(await convertSchedulesToText(mongo)).toBe(1);

    const stored = await schedules.findOne({ _id: 'ev-old' });
    expect([typeof stored?.draft, typeof stored?.published, typeof stored?.cancelled]).toEqual(['string', 'string', 'string']);
    expect(stored?.version).toBe(7);
    expect(stored?.outbox).toEqual(outbox);
    const repos = createRepos(mongo);
    expect(await repos.schedules.get('ev-old')).toEqual({ id: 'ev-old', ...old });
    expect(await repos.schedules.get('ev-empty')).toEqual({ id: 'ev-empty', eventId: 'ev-empty', version: 1, draft: null, published: null });
    // The report of an earlier version lacks fields added since: it is shown, never relied on.
    const changed = await repos.schedules.update('ev-old', 7, { draft: { ...old.draft, meetings: [meeting(2)] } } as unknown as Partial<ScheduleDoc>);
    expect(changed?.draft?.meetings).toEqual([meeting(2)]);
    expect(changed?.published).toEqual(old.published);
    expect((await repos.schedules.get('ev-old'))?.draft?.meetings).toEqual([meeting(2)]);

    await schedules.insertOne({ _id: 'ev-later', eventId: 'ev-later', version: 1, draft: old.draft, published: null });
    expect(await convertSchedulesToText(mongo)).toBe(0);
    expect(typeof (await schedules.findOne({ _id: 'ev-later' }))?.draft).toBe('object');
    // Written by a process of the earlier version after the conversion: still read.
    expect((await repos.schedules.get('ev-later'))?.draft).toEqual(old.draft);
  });

  it('when a stored schedule part is not valid JSON or lacks what a meeting needs, then reading it fails as an internal error naming the schedule and the part', async () => {
    const schedules = mongo.db!.collection<Record<string, unknown> & { _id: string }>('schedules');
    const at = new Date().toISOString();
    const { value: _v, ...withoutValue } = meeting(1);
    await schedules.insertOne({ _id: 'ev-broken-json', eventId: 'ev-broken-json', version: 1, draft: '{"meetings": [', published: null });
    await schedules.insertOne({
      _id: 'ev-broken-meeting',
      eventId: 'ev-broken-meeting',
      version: 1,
      draft: null,
      published: JSON.stringify({ meetings: [withoutValue], publishedAt: at, number: 1 }),
    });
    const repos = createRepos(mongo);

    await expect(repos.schedules.get('ev-broken-json')).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/ev-broken-json.*draft/) });
    await expect(repos.schedules.get('ev-broken-meeting')).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/ev-broken-meeting.*published/),
    });
  });
});
