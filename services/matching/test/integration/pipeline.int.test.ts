import { dlqTopic } from '@lm/contracts';
import type { RunningConsumer } from '@lm/kafka';
import { uniqueName, waitFor } from '@lm/testing';
import request from 'supertest';
import { createApp } from '../../src/app';
import { startOrganisationConsumer } from '../../src/consumers/organisation-changed.consumer';
import { ReindexJobs } from '../../src/usecases/reindex.usecase';
import { createHarness, type Harness } from '../support/harness';
import { cardiacIrccs, deleted, medtechCompany, org, seedInvestor, upserted } from '../support/orgs';

type Item = { candidate: { id: string }; score: number; rank: number };

describe('Kafka → index → top-N events, end to end on real Kafka and Elasticsearch', () => {
  let h: Harness;
  let consumer: RunningConsumer;
  let app: ReturnType<typeof createApp>;
  let reindex: ReindexJobs;
  const staff = () => h.token({ sub: 'staff', role: 'hub_staff' });
  const matches = async (companyId: string, qs = '') => {
    const res = await request(app).get(`/organisations/${companyId}/matches${qs}`).set('Authorization', staff());
    return res.status === 200 ? (res.body.items as Item[]) : [];
  };
  const ids = (items: Item[]) => items.map((i) => i.candidate.id);

  beforeAll(async () => {
    h = await createHarness('pipeline', { topN: 3 });
    reindex = new ReindexJobs({ kafka: h.kafka, topic: h.topics.organisations, groupPrefix: uniqueName('it-matching'), index: h.deps.index, logger: h.logger });
    app = createApp({ logger: h.logger, verifier: h.verifier, readiness: {}, matching: h.deps, reindex });
    await Promise.all([
      h.startReader(),
      startOrganisationConsumer(h.deps, { kafka: h.kafka, groupId: uniqueName('it-matching'), topic: h.topics.organisations, producer: h.producer, logger: h.logger }).then((c) => (consumer = c)),
    ]);
  });
  afterAll(async () => {
    await consumer?.stop();
    await h.close();
  });

  it('when a company and its counterparts are published, then they become its suggestions within seconds', async () => {
    await h.publishOrgs([upserted(cardiacIrccs('p-rc1')), upserted(seedInvestor('p-inv1'))]);
    await h.publishOrgs([upserted(medtechCompany('p-co1')), upserted(medtechCompany('p-co2', { location: { province: 'BG', city: 'Bergamo' } }))]);
    const suggested = await waitFor(() => {
      const got = h.eventsFor('p-co1', 'match.suggested').map((e) => (e.data as { candidateId: string }).candidateId);
      return got.includes('p-rc1') && got.includes('p-inv1') && got;
    }, { description: 'suggestions for p-co1' });
    expect(suggested).toEqual(expect.arrayContaining(['p-rc1', 'p-inv1']));
    const event = h.eventsFor('p-co1', 'match.suggested')[0]!.data as { weightsVersion: string; explanation: { summary: string; parts: object } };
    expect(event.weightsVersion).toBe('2026-11-v1');
    expect(event.explanation.summary.length).toBeGreaterThan(10);
    expect(ids(await matches('p-co1'))).toEqual(expect.arrayContaining(['p-rc1', 'p-inv1']));
  });

  it('when a counterpart appears after the companies, then the reverse query finds both companies and suggests it to each', async () => {
    await h.publishOrgs([upserted(cardiacIrccs('p-rc-late', { legalName: 'Late IRCCS' }))]);
    for (const companyId of ['p-co1', 'p-co2']) {
      await h.waitForEvent(companyId, 'match.suggested', (e) => (e.data as { candidateId: string }).candidateId === 'p-rc-late');
    }
  });

  it('when a company is deleted, then its whole top-N is withdrawn with reason company_deleted', async () => {
    const listed: string[] = await waitFor(async () => {
      // The suggestion event is published before the top-N document is stored: wait for the
      // stored state to include the previous test's late candidate, so it is the whole top-N.
      const ids = (await h.deps.topn.get('p-co2'))?.candidateIds ?? [];
      return ids.includes('p-rc-late') && ids;
    }, { description: 'p-co2 top-N including p-rc-late' });
    const before = h.eventsFor('p-co2', 'match.withdrawn').length;
    await h.publishOrgs([deleted('p-co2', 2)]);
    const withdrawn = await waitFor(() => {
      const after = h.eventsFor('p-co2', 'match.withdrawn').slice(before);
      return after.length >= listed.length && after;
    }, { description: 'p-co2 withdrawn' });
    expect(withdrawn.map((e) => (e.data as { candidateId: string }).candidateId).sort()).toEqual([...listed].sort());
    expect(withdrawn.every((e) => (e.data as { reason: string }).reason === 'company_deleted')).toBe(true);
    expect((await h.deps.topn.get('p-co2'))?.items).toEqual([]);
  });

  it('when a candidate is updated to fit better, then the ranking reorders and match.updated is published', async () => {
    const weak = org({ id: 'p-rc-weak', legalName: 'Weak centre', specialties: ['genomics'], offers: [{ type: 'rd_collaboration', title: 'genomics platform' }] });
    await h.publishOrgs([upserted(weak, 1)]);
    await waitFor(async () => ids(await matches('p-co1', '?kinds=research_centre')).includes('p-rc-weak'), { description: 'weak centre indexed' });
    const before = ids(await matches('p-co1', '?kinds=research_centre'));
    expect(before[before.length - 1]).toBe('p-rc-weak');
    // Version 2 becomes the best fit: cardiac trials, same specialties, same city, and it needs what the company offers.
    const strong = cardiacIrccs('p-rc-weak', { legalName: 'Now strong', needs: [{ type: 'pilot_site', title: 'wearable ECG sensor data' }] });
    const seenBefore = h.eventsFor('p-co1').length;
    await h.publishOrgs([upserted(strong, 2)]);
    await waitFor(async () => ids(await matches('p-co1', '?kinds=research_centre'))[0] === 'p-rc-weak', { description: 'reordered' });
    // Published to partners: the candidate now at rank 1 (suggested or updated), after the change.
    const event = await waitFor(
      () =>
        h
          .eventsFor('p-co1')
          .slice(seenBefore)
          .find((e) => ['match.suggested', 'match.updated'].includes(e.type) && (e.data as { candidateId: string }).candidateId === 'p-rc-weak'),
      { description: 'p-rc-weak promoted' },
    );
    expect((event.data as { rank: number }).rank).toBe(1);
  });

  it('when a candidate is deleted, then it leaves the results and match.withdrawn says candidate_deleted', async () => {
    const listed = (await h.deps.topn.get('p-co1'))!.candidateIds;
    const victim = listed.find((id) => id !== 'p-rc-weak')!;
    const seenBefore = h.eventsFor('p-co1').length;
    await h.publishOrgs([deleted(victim, 3)]);
    const withdrawn = await waitFor(
      () =>
        h
          .eventsFor('p-co1')
          .slice(seenBefore)
          .find((e) => e.type === 'match.withdrawn' && (e.data as { candidateId: string }).candidateId === victim),
      { description: `withdrawal of ${victim}` },
    );
    expect((withdrawn.data as { reason: string }).reason).toBe('candidate_deleted');
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
    await waitFor(async () => {
      const res = await h.es.get({ index: h.alias, id: 'p-ooo' });
      return (res._source as { deleted: boolean }).deleted === true && res;
    }, { description: 'p-ooo tombstoned' });
    expect((await h.deps.index.getMany(['p-ooo']))[0]).toBeUndefined();
    // A later, genuinely newer profile version does come back.
    await h.publishOrgs([upserted(v(6), 6)]);
    await waitFor(async () => (await h.deps.index.getMany(['p-ooo']))[0]?.name === 'Order v6', { description: 'v6 indexed' });
  });

  it('when poison messages arrive, then they go to the DLQ and the consumer keeps going', async () => {
    await h.producer.sendRaw(h.topics.organisations, [
      { key: 'bad-json', value: '{not json' },
      { key: 'bad-schema', value: JSON.stringify({ id: 'x', type: 'organisation.upserted', version: 1, data: { nope: true } }) },
    ]);
    await h.publishOrgs([upserted(seedInvestor('p-after-poison'))]);
    await waitFor(async () => (await h.deps.index.getMany(['p-after-poison']))[0], { description: 'event after poison indexed' });
    const dlq: string[] = [];
    const reader = h.kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(h.topics.organisations), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void dlq.push(String(message.headers?.['dlq-reason'])) });
    try {
      await waitFor(() => dlq.length >= 2, { description: 'two dead letters' });
    } finally {
      await reader.disconnect();
    }
    expect(dlq.sort()).toEqual(['invalid_json', 'invalid_schema']);
  });

  it('when the company declines a match, then match.declined and match.withdrawn(declined) are published and it is excluded', async () => {
    const top = ids(await matches('p-co1'));
    const declinedId = top[0]!;
    const seenBefore = h.eventsFor('p-co1').length;
    const res = await request(app)
      .post(`/matches/p-co1~${declinedId}/feedback`)
      .set('Authorization', h.token({ sub: 'user-co1', role: 'company', org: 'p-co1' }))
      .send({ decision: 'declined', reason: 'already working with them' });
    expect(res.status).toBe(201);
    const after = (type: string) => () => h.eventsFor('p-co1').slice(seenBefore).find((e) => e.type === type && (e.data as { candidateId: string }).candidateId === declinedId);
    await waitFor(after('match.declined'), { description: 'match.declined' });
    const w = await waitFor(after('match.withdrawn'), { description: 'match.withdrawn (declined)' });
    expect((w.data as { reason: string }).reason).toBe('declined');
    expect(ids(await matches('p-co1', '?limit=100'))).not.toContain(declinedId);
  });

  it('when feedback is given on someone else\'s match or badly, then 403 / 400 / 404', async () => {
    const other = h.token({ sub: 'u', role: 'company', org: 'someone-else' });
    expect((await request(app).post('/matches/p-co1~p-inv1/feedback').set('Authorization', other).send({ decision: 'accepted' })).status).toBe(403);
    expect((await request(app).post('/matches/p-co1~p-inv1/feedback').set('Authorization', staff()).send({ decision: 'maybe' })).status).toBe(400);
    expect((await request(app).post('/matches/no-tilde/feedback').set('Authorization', staff()).send({ decision: 'accepted' })).status).toBe(400);
    expect((await request(app).post('/matches/p-co1~ghost/feedback').set('Authorization', staff()).send({ decision: 'accepted' })).status).toBe(404);
  });

  it('when staff reindexes, then a new index replaces the old behind the alias and results are unchanged', async () => {
    const before = await matches('p-co1', '?limit=50');
    const oldIndices = await h.deps.index.concreteIndices();
    expect((await request(app).post('/admin/reindex').set('Authorization', h.token({ sub: 'c', role: 'company', org: 'p-co1' }))).status).toBe(403);
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
