import type { PublicOrganisation } from '@lm/contracts';
import { ensureTopics, type RunningConsumer } from '@lm/kafka';
import { uniqueName, waitFor } from '@lm/testing';
import request from 'supertest';
import { createApp } from '../../src/app';
import { syntheticOrganisation } from '../../src/bench/synthetic';
import { startIndexingConsumer } from '../../src/consumers/organisation-indexing.consumer';
import { startTopNConsumer } from '../../src/consumers/topn-maintenance.consumer';
import { pickLang } from '../../src/domain/scoring/explanation';
import { loadLabelledSet } from '../../src/eval/labelled';
import { findMatches } from '../../src/domain/find-matches.usecase';
import { createHarness, type Harness } from '../support/harness';
import { upserted } from '../support/orgs';

/**
 * The stored ranking as the running pipeline (indexing group + top-N group on a real topic)
 * leaves it, against the live query: once both groups have consumed everything, every company's
 * default request is served from the store (one get by id) with the live query's very body.
 */
describe('stored rankings kept by the pipeline, served over HTTP, equal to the live query', () => {
  let h: Harness;
  let consumers: RunningConsumer[] = [];
  let app: ReturnType<typeof createApp>;
  let topic: string;
  const groups = { indexing: uniqueName('it-stored'), topn: '' };
  const population: PublicOrganisation[] = [...loadLabelledSet().organisations, ...Array.from({ length: 400 }, (_, i) => syntheticOrganisation(i, 11))];
  const companies = population.filter((o) => o.kind === 'company');
  const staff = () => h.token({ sub: 'staff', role: 'hub_staff' });

  /** Both groups have committed everything the topic holds. */
  async function settled(): Promise<void> {
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const high = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
          for (const groupId of Object.values(groups)) {
            const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
            if (!offsets!.partitions.every((p) => Number(p.offset) === high.get(p.partition))) return false;
          }
          return true;
        },
        { description: 'both groups at the end of the topic', timeoutMs: 120_000, intervalMs: 250 },
      );
    } finally {
      await admin.disconnect();
    }
  }

  async function expectServedFromStoreAsLive(ids: string[], qs = '', lang?: 'it' | 'en') {
    for (const id of ids) {
      const res = await request(app).get(`/organisations/${id}/matches${qs}`).set('Authorization', staff());
      expect(res.status).toBe(200);
      const live = await findMatches(
        h.deps,
        id,
        { kinds: ['research_centre', 'investor'], limit: Number(new URLSearchParams(qs).get('limit') ?? 20) },
        (c) => pickLang(lang, undefined, c.languages),
        { source: 'live' },
      );
      expect({ id, source: res.headers['x-ranking-source'], ...res.body }).toEqual({ id, source: 'stored', ...JSON.parse(JSON.stringify(live.result)) });
    }
  }

  beforeAll(async () => {
    h = await createHarness('stored');
    groups.topn = `${groups.indexing}-topn`;
    app = createApp({ logger: h.logger, verifier: h.verifier, readiness: {}, matching: h.deps });
    // One partition, filled before the groups start: the top-N group takes the whole load as one
    // coalesced batch, as after a bulk import.
    topic = uniqueName('it-stored-orgs');
    await ensureTopics(h.kafka, [{ topic, partitions: 1 }]);
    await h.producer.publish(
      topic,
      population.map((o) => upserted(o)),
    );
    const common = { kafka: h.kafka, topic, producer: h.producer, logger: h.logger };
    consumers = await Promise.all([
      startIndexingConsumer(h.deps, { ...common, groupId: groups.indexing }),
      startTopNConsumer(h.deps, { ...common, groupId: groups.topn, indexingGroupId: groups.indexing, burstQuietMs: 300 }),
    ]);
    await settled();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await h.close();
  });

  it('when the pipeline has settled after a bulk load, then every company is served from its stored ranking with exactly the live body', async () => {
    expect(companies.length).toBeGreaterThan(250);
    await expectServedFromStoreAsLive(companies.map((c) => c.id));
  }, 300_000);

  it('when a request asks for fewer items or the other language, then the stored ranking still answers with the live body', async () => {
    const some = companies.slice(0, 40).map((c) => c.id);
    await expectServedFromStoreAsLive(some, '?limit=7&lang=en', 'en');
    await expectServedFromStoreAsLive(some, '?limit=3&lang=it', 'it');
  }, 120_000);

  it('when companies edit their needs, then once the pipeline has settled again their stored rankings are the new live ones', async () => {
    const edited = companies.slice(50, 55).map((c, i) => ({ ...c, needs: companies[100 + i]!.needs, version: c.version + 1 }));
    const before = await Promise.all(edited.map((c) => request(app).get(`/organisations/${c.id}/matches`).set('Authorization', staff())));
    await h.producer.publish(
      topic,
      edited.map((o) => upserted(o)),
    );
    await settled();
    await expectServedFromStoreAsLive(edited.map((c) => c.id));
    // The edit did move the rankings (the test would prove nothing otherwise).
    const after = await Promise.all(edited.map((c) => request(app).get(`/organisations/${c.id}/matches`).set('Authorization', staff())));
    expect(after.filter((a, i) => a.headers.etag !== before[i]!.headers.etag).length).toBeGreaterThan(0);
  }, 180_000);
});
