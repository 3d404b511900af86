import { makeEnvelope } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { migrateLegacyLayout } from '../../src/data/layout.migration';
import { createEventsOutboxStore } from '../../src/data/outbox.store';
import { createRepos, OUTBOX_COLLECTIONS } from '../../src/data/repositories';
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
