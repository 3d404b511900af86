import { dlqTopic } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { uniqueName, waitFor } from '@lm/testing';
import request from 'supertest';
import { createApp } from '../../src/app';
import { startIndexingConsumer } from '../../src/consumers/organisation-indexing.consumer';
import { startTopNConsumer } from '../../src/consumers/topn-maintenance.consumer';
import { createTopicReplay } from '../../src/data/organisation-topic.replay';
import { ReindexJobs } from '../../src/domain/reindex.usecase';
import { createHarness, type Harness } from '../support/harness';
import { cardiacIrccs, deleted, medtechCompany, org, seedInvestor, upserted } from '../support/orgs';

type Item = { candidate: { id: string }; score: number; rank: number };

describe('Kafka → index → top-N events, end to end on real Kafka and Elasticsearch', () => {
  let h: Harness;
  let consumers: RunningConsumer[] = [];
  let app: ReturnType<typeof createApp>;
  let reindex: ReindexJobs;
  let group: string;
  const staff = () => h.token({ sub: 'staff', role: 'hub_staff' });
  const matches = async (companyId: string, qs = '') => {
    const res = await request(app).get(`/organisations/${companyId}/matches${qs}`).set('Authorization', staff());
    return res.status === 200 ? (res.body.items as Item[]) : [];
  };
  const ids = (items: Item[]) => items.map((i) => i.candidate.id);

  beforeAll(async () => {
    h = await createHarness('pipeline', { topN: 3 });
    reindex = new ReindexJobs({
      topic: createTopicReplay({ kafka: h.kafka, topic: h.topics.organisations, groupPrefix: uniqueName('it-matching') }),
      index: h.deps.index,
      logger: h.logger,
    });
    app = createApp({ logger: h.logger, verifier: h.verifier, readiness: {}, matching: h.deps, reindex });
    const common = { kafka: h.kafka, topic: h.topics.organisations, producer: h.producer, logger: h.logger };
    group = uniqueName('it-matching');
    await h.startReader();
    consumers = await Promise.all([
      startIndexingConsumer(h.deps, { ...common, groupId: group }),
      startTopNConsumer(h.deps, { ...common, groupId: `${group}-topn`, indexingGroupId: group, maxWaitTimeInMs: 200, burstQuietMs: 300 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await h.close();
  });

  it('when a company and its counterparts are published, then they become its suggestions within seconds', async () => {
    await h.publishOrgs([upserted(cardiacIrccs('p-rc1')), upserted(seedInvestor('p-inv1'))]);
    await h.publishOrgs([upserted(medtechCompany('p-co1')), upserted(medtechCompany('p-co2', { location: { province: 'BG', city: 'Bergamo' } }))]);
    const suggested = await waitFor(
      () => {
        const got = h.changesFor('p-co1', 'suggested').map((c) => c.candidateId);
        return got.includes('p-rc1') && got.includes('p-inv1') && got;
      },
      { description: 'suggestions for p-co1' },
    );
    expect(suggested).toEqual(expect.arrayContaining(['p-rc1', 'p-inv1']));
    // One message carries the changes and the whole current top-N, keyed by the company.
    const message = h.messagesFor('p-co1').at(-1)!;
    expect(message.weightsVersion).toBe('2026-11-v1');
    expect(message.topN.map((i) => i.candidateId)).toEqual(expect.arrayContaining(['p-rc1', 'p-inv1']));
    expect(message.topN.map((i) => i.rank)).toEqual(message.topN.map((_, n) => n + 1));
    expect(message.topN[0]!.explanation.summary.length).toBeGreaterThan(10);
    expect(h.eventsFor('p-co1', 'match.suggestions.changed').every((e) => e.key === 'p-co1')).toBe(true);
    expect(ids(await matches('p-co1'))).toEqual(expect.arrayContaining(['p-rc1', 'p-inv1']));
  });

  it('when a counterpart appears after the companies, then the reverse query finds both companies and suggests it to each', async () => {
    await h.publishOrgs([upserted(cardiacIrccs('p-rc-late', { legalName: 'Late IRCCS' }))]);
    for (const companyId of ['p-co1', 'p-co2']) {
      await h.waitForChange(companyId, 'suggested', (c) => c.candidateId === 'p-rc-late');
    }
  });

  it('when a company is deleted, then its whole top-N is withdrawn with reason company_deleted', async () => {
    const listed: string[] = await waitFor(
      async () => {
        // The suggestion event is published before the top-N document is stored: wait for the
        // stored state to include the previous test's late candidate, so it is the whole top-N.
        const ids = (await h.deps.topn.get('p-co2'))?.candidateIds ?? [];
        return ids.includes('p-rc-late') && ids;
      },
      { description: 'p-co2 top-N including p-rc-late' },
    );
    const before = h.messagesFor('p-co2').length;
    await h.publishOrgs([deleted('p-co2', 2)]);
    const last = await waitFor(() => h.messagesFor('p-co2').length > before && h.messagesFor('p-co2').at(-1)!, { description: 'p-co2 withdrawn' });
    // One message: every suggestion withdrawn, and an empty top-N (a compacted topic forgets the company's suggestions).
    expect(h.messagesFor('p-co2').length).toBe(before + 1);
    expect(last.topN).toEqual([]);
    expect(last.changes.map((c) => c.candidateId).sort()).toEqual([...listed].sort());
    expect(last.changes.every((c) => c.type === 'withdrawn' && c.reason === 'company_deleted')).toBe(true);
    // Published, then stored: the stored top-N follows the message.
    await waitFor(async () => (await h.deps.topn.get('p-co2'))?.items.length === 0, { description: 'p-co2 stored top-N empty' });
  });

  it('when a candidate is updated to fit better, then the ranking reorders and the new top-N is published', async () => {
    const weak = org({
      id: 'p-rc-weak',
      legalName: 'Weak centre',
      specialties: ['genomics'],
      offers: [{ type: 'rd_collaboration', title: 'genomics platform' }],
    });
    await h.publishOrgs([upserted(weak, 1)]);
    await waitFor(async () => ids(await matches('p-co1', '?kinds=research_centre')).includes('p-rc-weak'), { description: 'weak centre indexed' });
    const before = ids(await matches('p-co1', '?kinds=research_centre'));
    expect(before[before.length - 1]).toBe('p-rc-weak');
    // Version 2 becomes the best fit: cardiac trials, same specialties, same city, and it needs what the company offers.
    const strong = cardiacIrccs('p-rc-weak', { legalName: 'Now strong', needs: [{ type: 'pilot_site', title: 'wearable ECG sensor data' }] });
    const seenBefore = h.messagesFor('p-co1').length;
    await h.publishOrgs([upserted(strong, 2)]);
    await waitFor(async () => ids(await matches('p-co1', '?kinds=research_centre'))[0] === 'p-rc-weak', { description: 'reordered' });
    // Published to partners: the candidate now first (suggested or updated), after the change.
    const change = await h
      .waitForChange('p-co1', 'suggested', (c) => c.candidateId === 'p-rc-weak', seenBefore)
      .catch(() => h.waitForChange('p-co1', 'updated', (c) => c.candidateId === 'p-rc-weak', seenBefore));
    expect(change.type === 'withdrawn' ? 0 : change.rank).toBe(1);
    expect(h.messagesFor('p-co1').at(-1)!.topN[0]!.candidateId).toBe('p-rc-weak');
  });

  it('when a candidate is deleted, then it leaves the results and its withdrawal says candidate_deleted', async () => {
    const listed = (await h.deps.topn.get('p-co1'))!.candidateIds;
    const victim = listed.find((id) => id !== 'p-rc-weak')!;
    const seenBefore = h.messagesFor('p-co1').length;
    await h.publishOrgs([deleted(victim, 3)]);
    const withdrawn = await h.waitForChange('p-co1', 'withdrawn', (c) => c.candidateId === victim, seenBefore);
    expect(withdrawn.type === 'withdrawn' && withdrawn.reason).toBe('candidate_deleted');
    expect(
      h
        .messagesFor('p-co1')
        .at(-1)!
        .topN.map((i) => i.candidateId),
    ).not.toContain(victim);
    expect(ids(await matches('p-co1'))).not.toContain(victim);
  });

  it('when events arrive out of order and duplicated, then the index keeps the newest version and a delete is never undone by an older upsert', async () => {
    const v = (n: number) => cardiacIrccs('p-ooo', { legalName: `Order v${n}` });
    await h.publishOrgs([upserted(v(3), 3), upserted(v(2), 2), upserted(v(3), 3), upserted(v(1), 1)]);
    await waitFor(async () => (await h.deps.index.getMany(['p-ooo']))[0]?.name === 'Order v3', { description: 'v3 indexed' });
    await h.publishOrgs([upserted(v(4), 4), deleted('p-ooo', 5), upserted(v(5), 5), upserted(v(4), 4)]);
    const marker = org({ id: 'p-marker' });
    await h.publishOrgs([upserted(marker)]);
    // Same partition (same key) is ordered; the marker on any partition plus a wait on p-ooo's tombstone proves processing.
    await waitFor(
      async () => {
        const res = await h.es.get({ index: h.alias, id: 'p-ooo' });
        return (res._source as { deleted: boolean }).deleted === true && res;
      },
      { description: 'p-ooo tombstoned' },
    );
    expect((await h.deps.index.getMany(['p-ooo']))[0]).toBeUndefined();
    // A later, genuinely newer profile version does come back.
    await h.publishOrgs([upserted(v(6), 6)]);
    await waitFor(async () => (await h.deps.index.getMany(['p-ooo']))[0]?.name === 'Order v6', { description: 'v6 indexed' });
  });

  it('when poison messages arrive, then each goes to the DLQ once (not once per group) and the consumers keep going', async () => {
    await h.producer.sendRaw(h.topics.organisations, [
      { key: 'bad-json', value: '{not json' },
      { key: 'bad-schema', value: JSON.stringify({ id: 'x', type: 'organisation.upserted', version: 1, data: { nope: true } }) },
    ]);
    await h.publishOrgs([upserted(seedInvestor('p-after-poison'))]);
    await waitFor(async () => (await h.deps.index.getMany(['p-after-poison']))[0], { description: 'event after poison indexed' });
    const dlq: string[] = [];
    const dlqMessages = async () => {
      const admin = h.kafka.admin();
      await admin.connect();
      try {
        return (await admin.fetchTopicOffsets(dlqTopic(h.topics.organisations))).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      } finally {
        await admin.disconnect();
      }
    };
    const reader = h.kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(h.topics.organisations), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dlq.push(String(message.headers?.['dlq-reason'])) });
    try {
      // Both groups read the poison and commit only after its effect (a dead letter, if theirs to
      // write): once both committed past it, every dead letter is in the DLQ topic — read it to its
      // end. (A sleep for the consumers' 5 s lag refresh left this to the machine's speed.)
      await waitFor(async () => (await h.lagOf(group)) === 0 && (await h.lagOf(`${group}-topn`)) === 0, { description: 'both groups past the poison' });
      const written = await dlqMessages();
      await waitFor(() => dlq.length >= written, { description: `the ${written} dead letters read` });
    } finally {
      await reader.disconnect();
    }
    expect(dlq.sort()).toEqual(['invalid_json', 'invalid_schema']);
  });

  it('when the company declines a match, then match.declined (keyed by match) and a withdrawal (declined) are published and it is excluded', async () => {
    const top = ids(await matches('p-co1'));
    const declinedId = top[0]!;
    const seenBefore = h.eventsFor('p-co1').length;
    const messagesBefore = h.messagesFor('p-co1').length;
    const res = await request(app)
      .post(`/matches/p-co1~${declinedId}/feedback`)
      .set('Authorization', h.token({ sub: 'user-co1', role: 'company', org: 'p-co1' }))
      .send({ decision: 'declined', reason: 'already working with them' });
    expect(res.status).toBe(201);
    const after = (type: string) => () =>
      h
        .eventsFor('p-co1')
        .slice(seenBefore)
        .find((e) => e.type === type && (e.data as { candidateId: string }).candidateId === declinedId);
    const decision = await waitFor(after('match.declined'), { description: 'match.declined' });
    expect(decision.key).toBe(`p-co1~${declinedId}`);
    const w = await h.waitForChange('p-co1', 'withdrawn', (c) => c.candidateId === declinedId, messagesBefore);
    expect(w.type === 'withdrawn' && w.reason).toBe('declined');
    expect(ids(await matches('p-co1', '?limit=100'))).not.toContain(declinedId);
  });

  it("when feedback is given on someone else's match or badly, then 403 / 400 / 404", async () => {
    const other = h.token({ sub: 'u', role: 'company', org: 'someone-else' });
    expect((await request(app).post('/matches/p-co1~p-inv1/feedback').set('Authorization', other).send({ decision: 'accepted' })).status).toBe(403);
    expect((await request(app).post('/matches/p-co1~p-inv1/feedback').set('Authorization', staff()).send({ decision: 'maybe' })).status).toBe(400);
    expect((await request(app).post('/matches/no-tilde/feedback').set('Authorization', staff()).send({ decision: 'accepted' })).status).toBe(400);
    expect((await request(app).post('/matches/p-co1~ghost/feedback').set('Authorization', staff()).send({ decision: 'accepted' })).status).toBe(404);
  });

  it('when staff reindexes, then a new index replaces the old behind the alias and results are unchanged', async () => {
    const before = await matches('p-co1', '?limit=50');
    const oldIndices = await h.deps.index.concreteIndices();
    expect(
      (
        await request(app)
          .post('/admin/reindex')
          .set('Authorization', h.token({ sub: 'c', role: 'company', org: 'p-co1' }))
      ).status,
    ).toBe(403);
    const started = await request(app).post('/admin/reindex').set('Authorization', staff());
    expect(started.status).toBe(202);
    const job = await reindex.waitFor(started.body.jobId);
    expect(job.state).toBe('succeeded');
    const status = await request(app).get(`/admin/reindex/${started.body.jobId}`).set('Authorization', staff());
    expect(status.body).toMatchObject({ state: 'succeeded', progress: 100 });
    expect(status.body.processedMessages).toBeGreaterThan(0);
    const newIndices = await h.deps.index.concreteIndices();
    expect(newIndices).toEqual([job.newIndex]);
    expect(oldIndices).not.toContain(job.newIndex);
    expect(await h.es.indices.exists({ index: oldIndices })).toBe(false);
    const after = await matches('p-co1', '?limit=50');
    expect(after.map((i) => [i.candidate.id, i.score])).toEqual(before.map((i) => [i.candidate.id, i.score]));
  });
});
