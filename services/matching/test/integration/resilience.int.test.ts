import type { Client } from '@elastic/elasticsearch';
import { dlqTopic, type Envelope, type SuggestionsChangedData } from '@lm/contracts';
import { createEventProducer, type EventProducer, type RunningConsumer } from '@lm/kafka';
import { startTcpProxy, testEndpoints, uniqueName, waitFor, type TcpProxy } from '@lm/testing';
import { startIndexingConsumer } from '../../src/consumers/organisation-indexing.consumer';
import { startTopNConsumer } from '../../src/consumers/topn-maintenance.consumer';
import { createElasticsearchClient, pingElasticsearch } from '../../src/data/elasticsearch.client';
import { rankCompanies } from '../../src/domain/find-matches.usecase';
import { createTopicReplay } from '../../src/data/organisation-topic.replay';
import { ReindexJobs } from '../../src/domain/reindex.usecase';
import { createMatchingDeps, type MatchingWiring } from '../../src/wiring';
import { createHarness, type Harness } from '../support/harness';
import { cardiacIrccs, deleted, medtechCompany, seedInvestor, upserted } from '../support/orgs';

/** A burst: companies and candidates interleaved, some updated, some deleted. */
function burst(prefix: string, companies: number, candidates: number) {
  const events: Envelope[] = [];
  for (let i = 0; i < Math.max(companies, candidates); i++) {
    if (i < companies) events.push(upserted(medtechCompany(`${prefix}-co${i}`, { location: { province: i % 2 ? 'BG' : 'MI', city: 'x' } })));
    if (i < candidates) events.push(upserted(i % 3 ? cardiacIrccs(`${prefix}-rc${i}`, { legalName: `Centre ${i}` }) : seedInvestor(`${prefix}-inv${i}`)));
  }
  return events;
}

function idOf(e: Envelope): string {
  const d = e.data as { organisation?: { id: string }; id?: string };
  return d.organisation?.id ?? d.id!;
}

describe('matching under failures and with two instances (real Kafka and Elasticsearch)', () => {
  let h: Harness;
  const running: RunningConsumer[] = [];
  const clients: Client[] = [];
  const producers: EventProducer[] = [];
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    h = await createHarness('resilience', { topN: 3 });
    await h.startReader();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(producers.splice(0).map((p) => p.disconnect()));
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(async () => {
    await h.close();
  });

  /** One matching instance: its own ES client and producer, the shared alias, topics and groups. */
  async function instance(esUrl: string, groups: { indexing: string; topn: string }): Promise<MatchingWiring> {
    const es = createElasticsearchClient(esUrl);
    clients.push(es);
    const producer = createEventProducer(h.kafka);
    producers.push(producer);
    const deps = await createMatchingDeps({ es, alias: h.alias, producer, logger: h.logger, settings: { suggestionsTopic: h.topics.suggestions, topN: 3 } });
    const common = { kafka: h.kafka, topic: h.topics.organisations, producer, logger: h.logger, lagIntervalMs: 500, engineCheck: () => pingElasticsearch(es) };
    running.push(await startIndexingConsumer(deps, { ...common, groupId: groups.indexing }));
    running.push(await startTopNConsumer(deps, { ...common, groupId: groups.topn, indexingGroupId: groups.indexing, maxWaitTimeInMs: 200, burstQuietMs: 300 }));
    return deps;
  }

  async function indexedIds(ids: string[]) {
    const docs = await h.deps.index.getMany(ids);
    return ids.filter((_, i) => docs[i]);
  }

  async function dlqSize() {
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(dlqTopic(h.topics.organisations))).reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('when Elasticsearch is unreachable for 30 s mid-stream, then every organisation is indexed afterwards, the DLQ stays empty and both groups catch up', async () => {
    const es = new URL(testEndpoints().elasticsearchUrl);
    proxy = await startTcpProxy({ host: es.hostname, port: Number(es.port) });
    const groups = { indexing: uniqueName('it-es-cut'), topn: uniqueName('it-es-cut-topn') };
    await instance(`http://127.0.0.1:${proxy.port}`, groups);

    const before = burst('cut-a', 4, 8);
    await h.publishOrgs(before);
    await waitFor(async () => (await indexedIds(before.map(idOf))).length === before.length, { description: 'first burst indexed', timeoutMs: 30_000 });

    proxy.cut();
    const cutAt = Date.now();
    const during = burst('cut-b', 6, 14);
    for (let i = 0; i < during.length; i += 5) {
      await h.publishOrgs(during.slice(i, i + 5));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await h.publishOrgs([deleted('cut-a-rc1', 2)]);
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - cutAt))));
    // Nothing got through meanwhile: the outage was real for the service.
    expect(await indexedIds(during.map(idOf))).toEqual([]);
    proxy.restore();

    const all = [...before, ...during].map(idOf).filter((id) => id !== 'cut-a-rc1');
    await waitFor(async () => (await indexedIds(all)).length === all.length, { description: 'every organisation indexed after the outage', timeoutMs: 90_000 });
    expect(await indexedIds(['cut-a-rc1'])).toEqual([]);
    await waitFor(async () => (await h.lagOf(groups.indexing)) === 0 && (await h.lagOf(groups.topn)) === 0, {
      description: 'both groups at lag 0',
      timeoutMs: 60_000,
    });
    expect(await dlqSize()).toBe(0);
    // The top-N worker caught up too: every new company has its suggestions.
    for (let i = 0; i < 6; i++) expect((await h.deps.topn.get(`cut-b-co${i}`))?.items.length).toBeGreaterThan(0);
    for (const c of running) await expect(c.check()).resolves.toBeUndefined();
  }, 240_000);

  it('when two instances share the groups, then they split the partitions and reach the same index and the same suggestions as one instance would', async () => {
    const groups = { indexing: uniqueName('it-two'), topn: uniqueName('it-two-topn') };
    const url = testEndpoints().elasticsearchUrl;
    await instance(url, groups);
    await instance(url, groups);
    const events = burst('two', 8, 24);
    const updates = [
      upserted(cardiacIrccs('two-rc1', { legalName: 'Centre 1 v2', specialties: ['cardiology'] }), 2),
      deleted('two-rc2', 2),
      upserted(seedInvestor('two-inv0', { legalName: 'Inv v2' }), 2),
    ];
    await h.publishOrgs(events.slice(0, 16));
    await h.publishOrgs(events.slice(16));
    await h.publishOrgs(updates);

    const live = events.map(idOf).filter((id) => id !== 'two-rc2');
    await waitFor(async () => (await indexedIds(live)).length === live.length && (await h.deps.index.getMany(['two-rc1']))[0]?.name === 'Centre 1 v2', {
      description: 'all indexed',
      timeoutMs: 60_000,
    });
    await waitFor(async () => (await h.lagOf(groups.indexing)) === 0 && (await h.lagOf(groups.topn)) === 0, {
      description: 'both groups at lag 0',
      timeoutMs: 60_000,
    });
    // Each group has both instances as members, each owning one of the two partitions.
    const admin = h.kafka.admin();
    await admin.connect();
    const described = await admin.describeGroups([groups.indexing, groups.topn]).finally(() => admin.disconnect());
    expect(described.groups.map((g) => g.members.length)).toEqual([2, 2]);
    expect(running.every((c) => c.status().state === 'running')).toBe(true);

    const companyIds = Array.from({ length: 8 }, (_, i) => `two-co${i}`);
    const companies = (await h.deps.index.getMany(companyIds)).filter((d) => d !== undefined);
    const fresh = await rankCompanies(h.deps, companies, new Map(), { kinds: h.deps.settings.topNKinds, limit: 3 }, () => 'en');
    for (const companyId of companyIds) {
      const stored = (await h.deps.topn.get(companyId))!;
      // One instance computing from scratch finds the same candidates the two instances stored.
      expect(stored.candidateIds.sort()).toEqual((fresh.get(companyId) ?? []).map((m) => m.candidate.id).sort());
      expect(stored.candidateIds).not.toContain('two-rc2');
      // The last message published for the company is exactly the stored state: no conflicting last word.
      const want = JSON.stringify(stored.items.map((i) => [i.candidateId, i.rank, i.score]));
      const lastOf = () => h.messagesFor(companyId).at(-1) as SuggestionsChangedData | undefined;
      await waitFor(() => JSON.stringify(lastOf()?.topN.map((i) => [i.candidateId, i.rank, i.score])) === want, {
        description: `the last message for ${companyId} = its stored top-N`,
      }).catch(() => undefined);
      expect(lastOf()?.topN.map((i) => [i.candidateId, i.rank, i.score])).toEqual(stored.items.map((i) => [i.candidateId, i.rank, i.score]));
    }
  }, 180_000);

  it('when one instance reindexes while the other keeps indexing live writes, then the new index holds every organisation', async () => {
    const groups = { indexing: uniqueName('it-rx'), topn: uniqueName('it-rx-topn') };
    const url = testEndpoints().elasticsearchUrl;
    const a = await instance(url, groups);
    await instance(url, groups);
    const first = burst('rx', 4, 12);
    await h.publishOrgs(first);
    await waitFor(async () => (await indexedIds(first.map(idOf))).length === first.length, { description: 'first burst indexed', timeoutMs: 30_000 });

    const jobs = new ReindexJobs({
      topic: createTopicReplay({ kafka: h.kafka, topic: h.topics.organisations, groupPrefix: uniqueName('it-rx-job') }),
      index: a.index,
      logger: h.logger,
    });
    const job = jobs.start();
    // Live writes keep arriving during the rebuild, on both instances' partitions; only instance
    // a mirrors its writes into the new index, the catch-up after the swap covers instance b's.
    const during = burst('rx-live', 4, 12);
    for (let i = 0; i < during.length; i += 4) {
      await h.publishOrgs(during.slice(i, i + 4));
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = await jobs.waitFor(job.jobId, 120_000);
    expect(done.state).toBe('succeeded');
    expect(await h.deps.index.concreteIndices()).toEqual([done.newIndex]);
    const all = [...first, ...during].map(idOf);
    await waitFor(async () => (await indexedIds(all)).length === all.length, { description: 'every organisation in the new index', timeoutMs: 30_000 });
  }, 180_000);
});
