import type { RunningConsumer } from '@lm/kafka';
import { uniqueName, waitFor } from '@lm/testing';
import { Registry } from 'prom-client';
import { startIndexingConsumer } from '../../src/consumers/organisation-indexing.consumer';
import { startTopNConsumer } from '../../src/consumers/topn-maintenance.consumer';
import { rankCompanies } from '../../src/domain/find-matches.usecase';
import { createHarness, type Harness } from '../support/harness';
import { cardiacIrccs, deleted, medtechCompany, seedInvestor, upserted } from '../support/orgs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BURST_QUIET_MS = 1_500;

/** A harness with both matching workers; the top-N worker takes small chunks, as a real import reaches it in several. */
async function burstSystem(name: string) {
  const h = await createHarness(name, { topN: 3 });
  await h.startReader();
  const metrics = new Registry();
  const groups = { indexing: uniqueName(`it-${name}`), topn: uniqueName(`it-${name}-topn`) };
  const common = { kafka: h.kafka, topic: h.topics.organisations, producer: h.producer, logger: h.logger };
  const consumers: RunningConsumer[] = await Promise.all([
    startIndexingConsumer(h.deps, { ...common, groupId: groups.indexing }),
    startTopNConsumer(h.deps, {
      ...common,
      metrics,
      groupId: groups.topn,
      indexingGroupId: groups.indexing,
      chunkSize: 5,
      maxWaitTimeInMs: 100,
      burstQuietMs: BURST_QUIET_MS,
    }),
  ]);
  return {
    h,
    counter: async (metric: string) => (await metrics.getSingleMetric(metric)?.get())?.values[0]?.value ?? 0,
    settled: () =>
      waitFor(async () => (await h.lagOf(groups.indexing)) === 0 && (await h.lagOf(groups.topn)) === 0, {
        description: 'both groups at lag 0',
        timeoutMs: 60_000,
      }),
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await h.close();
    },
  };
}

describe('top-N worker in a burst of profile changes (real Kafka and Elasticsearch)', () => {
  let system: Awaited<ReturnType<typeof burstSystem>>;
  let h: Harness;
  const counter = (metric: string) => system.counter(metric);
  const settled = () => system.settled();

  beforeAll(async () => {
    system = await burstSystem('burst');
    h = system.h;
  });
  afterAll(async () => {
    await system.stop();
  });

  it('when candidates arrive in a burst of several chunks, then one full pass covers them all and each top-N is the live ranking', async () => {
    const companyIds = ['b-co1', 'b-co2', 'b-co3'];
    await h.publishOrgs(companyIds.map((id, i) => upserted(medtechCompany(id, { location: { province: i % 2 ? 'BG' : 'MI', city: 'x' } }))));
    await settled();
    const passesBefore = await counter('matching_topn_full_passes_total');

    // 30 candidates in 6 batches 200 ms apart. On a loaded machine a publish can take long enough
    // that the topic really was quiet for BURST_QUIET_MS between two batches, and a second full
    // pass is then right: count the gaps that may have been that long (time from the start of one
    // publish to the end of the next bounds the time between their writes) instead of assuming none.
    const candidateIds: string[] = [];
    let possiblyQuiet = 0;
    let previousStart: number | undefined;
    for (let batch = 0; batch < 6; batch++) {
      const envelopes = Array.from({ length: 5 }, (_, k) => {
        const n = batch * 5 + k;
        const id = n % 3 ? `b-rc${n}` : `b-inv${n}`;
        candidateIds.push(id);
        return upserted(n % 3 ? cardiacIrccs(id, { legalName: `Burst centre ${n}` }) : seedInvestor(id));
      });
      const start = Date.now();
      await h.publishOrgs(envelopes);
      if (previousStart !== undefined && Date.now() - previousStart >= BURST_QUIET_MS) possiblyQuiet++;
      previousStart = start;
      await sleep(200);
    }
    await settled();

    // One pass per chunk (6) is what the gate exists to prevent; one per quiet gap is legitimate.
    const passes = (await counter('matching_topn_full_passes_total')) - passesBefore;
    expect(passes).toBeGreaterThanOrEqual(1);
    expect(passes).toBeLessThanOrEqual(1 + possiblyQuiet);
    // A pass that waited out the burst saw later chunks before the worker read them.
    if (possiblyQuiet === 0) expect(await counter('matching_topn_covered_skipped_total')).toBeGreaterThan(0);
    const companies = (await h.deps.index.getMany(companyIds)).filter((d) => d !== undefined);
    const live = await rankCompanies(h.deps, companies, new Map(), { kinds: h.deps.settings.topNKinds, limit: 3 }, () => 'en');
    for (const companyId of companyIds) {
      const want = (live.get(companyId) ?? []).map((m) => m.candidate.id);
      expect(want.every((id) => candidateIds.includes(id))).toBe(true);
      expect((await h.deps.topn.get(companyId))?.candidateIds.sort()).toEqual([...want].sort());
      expect(
        h
          .messagesFor(companyId)
          .at(-1)
          ?.topN.map((i) => i.candidateId)
          .sort(),
      ).toEqual([...want].sort());
    }
  });

  it('when a company is deleted inside a burst a full pass covers, then its deletion is still applied and its top-N withdrawn', async () => {
    await h.publishOrgs([upserted(medtechCompany('b-co4')), upserted(cardiacIrccs('b-rc-x1')), upserted(cardiacIrccs('b-rc-x2'))]);
    await settled();
    expect((await h.deps.topn.get('b-co4'))?.candidateIds.length).toBeGreaterThan(0);

    // 20 candidates, then the deletion: behind several chunks of its partition, so the full
    // pass started by the first chunk covers its offset before the worker reads it.
    await h.publishOrgs(Array.from({ length: 20 }, (_, n) => upserted(cardiacIrccs(`b-rc-y${n}`, { legalName: `Second burst ${n}` }))));
    await h.publishOrgs([deleted('b-co4', 2)]);
    await h.waitForChange('b-co4', 'withdrawn', (c) => c.type === 'withdrawn' && c.reason === 'company_deleted', 0, 60_000);
    await settled();
    expect((await h.deps.topn.get('b-co4'))?.candidateIds ?? []).toEqual([]);
  });
});

describe('top-N worker: a deletion inside a burst (its own index, so the candidate is in the top-N)', () => {
  let system: Awaited<ReturnType<typeof burstSystem>>;
  let h: Harness;
  const settled = () => system.settled();

  beforeAll(async () => {
    system = await burstSystem('burst-deleted');
    h = system.h;
  });
  afterAll(async () => {
    await system.stop();
  });

  it('when a listed candidate is deleted inside a burst a full pass covers, then its withdrawal says candidate_deleted', async () => {
    await h.publishOrgs([upserted(medtechCompany('b-co5')), upserted(cardiacIrccs('b-rc-z1', { legalName: 'Listed centre' }))]);
    await waitFor(async () => (await h.deps.topn.get('b-co5'))?.candidateIds.includes('b-rc-z1'), { description: 'b-co5 lists b-rc-z1' });
    await settled();

    // 20 candidates start a full pass (it waits for the burst to end); the deletion comes after
    // them, so the pass already finds b-rc-z1 gone from the index.
    await h.publishOrgs(Array.from({ length: 20 }, (_, n) => upserted(seedInvestor(`b-inv-z${n}`))));
    await h.publishOrgs([deleted('b-rc-z1', 2)]);
    const withdrawn = await h.waitForChange('b-co5', 'withdrawn', (c) => c.candidateId === 'b-rc-z1', 0, 60_000);
    expect(withdrawn).toMatchObject({ type: 'withdrawn', reason: 'candidate_deleted' });
    await settled();
  });
});
