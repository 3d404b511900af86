import { makeEnvelope, ORGANISATION_EVENT_TYPES, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics, type RunningConsumer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createRandom } from '@lm/random';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import { startOrganisationsConsumer } from '../../src/consumers/organisations.consumer';
import { organisationSnapshots } from '../../src/data/snapshots.repository';
import { createEventsDeps } from '../../src/wiring';
import { organisationUpserted } from './fixtures';

const logger = createLogger({ service: 'events-test', level: 'silent' });

const deleted = (id: string, version: number) =>
  makeEnvelope({ type: ORGANISATION_EVENT_TYPES.deleted, key: id, source: 'profiles', data: { id, version, deletedAt: new Date().toISOString() } }) as Envelope;

describe('organisation snapshots from a burst on the profiles topic (real Kafka and Mongo-wire)', () => {
  it('when many organisations change several times in a burst, keys interleaved across chunks, then each snapshot holds its newest version and a late older one changes nothing', async () => {
    const topic = uniqueName('orgs-burst');
    const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'orgs-burst', logger });
    const producer = createEventProducer(kafka);
    const mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events_orgs_burst').replace(/-/g, '_'), logger });
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const { repos } = await createEventsDeps(mongo, {});
    const snapshots = organisationSnapshots(mongo);
    // 80 organisations × versions 1..4, one organisation's versions in order, organisations shuffled
    // together so every chunk of 25 holds several versions of some keys and one of others;
    // every tenth organisation is deleted at version 5.
    const random = createRandom(11);
    const ids = Array.from({ length: 80 }, (_, i) => `org-${i}`);
    const next = new Map(ids.map((id) => [id, 1]));
    const burst: Envelope[] = [];
    while (next.size) {
      const open = [...next.keys()];
      const id = open[random.below(open.length)]!;
      const v = next.get(id)!;
      const isDeleted = v === 5;
      burst.push(isDeleted ? deleted(id, v) : (organisationUpserted(id, 'company', `${id} v${v}`, v) as Envelope));
      const last = Number(id.split('-')[1]) % 10 === 0 ? 5 : 4;
      if (v === last) next.delete(id);
      else next.set(id, v + 1);
    }
    let consumer: RunningConsumer | undefined;
    try {
      await producer.publish(topic, burst);
      consumer = await startOrganisationsConsumer({
        kafka,
        producer,
        logger,
        repos,
        groupId: uniqueName('g-orgs-burst'),
        topic,
        chunkSize: 25,
        apply: snapshots.apply,
      });
      const newest = (id: string) => (Number(id.split('-')[1]) % 10 === 0 ? 5 : 4);
      await waitFor(async () => (await Promise.all(ids.map((id) => snapshots.get(id)))).every((s, i) => s?.version === newest(ids[i]!)), {
        description: 'every snapshot at its newest version',
        timeoutMs: 60_000,
      });
      // A late, older version (a re-delivery from before the burst) is ignored — a first version too,
      // which the consumer tries to insert before reading.
      await producer.publish(topic, [
        organisationUpserted('org-1', 'company', 'stale', 2) as Envelope,
        organisationUpserted('org-3', 'company', 'stale first', 1) as Envelope,
        organisationUpserted('org-2', 'company', 'newest', 5) as Envelope,
      ]);
      await waitFor(async () => (await snapshots.get('org-2'))?.version === 5, { description: 'the later message applied', timeoutMs: 30_000 });

      const org1 = await snapshots.get('org-1');
      expect(org1).toMatchObject({ version: 4, deleted: false, organisation: { legalName: 'org-1 v4' } });
      expect(await snapshots.get('org-3')).toMatchObject({ version: 4, organisation: { legalName: 'org-3 v4' } });
      expect(await snapshots.get('org-10')).toEqual({ id: 'org-10', version: 5, deleted: true });
      expect((await snapshots.get('org-79'))?.organisation).toMatchObject({ legalName: 'org-79 v4' });
    } finally {
      await consumer?.stop();
      await producer.disconnect();
      await mongo.db?.dropDatabase();
      await mongo.close();
    }
  }, 120_000);
});
