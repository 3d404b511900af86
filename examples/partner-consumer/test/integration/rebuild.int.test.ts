import { makeEnvelope, MATCH_EVENT_TYPES } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import type { Kafka } from 'kafkajs';
import { startPartnerConsumer } from '../../src/partner.consumer';
import { loadState } from '../../src/state.file';
import { currentSuggestions } from '../../src/suggestions.state';

const logger = createLogger({ service: 'partner-test', level: 'silent' });
const explanation = {
  parts: { s3: 1, need_fit: 2, specialty: 0, trl: 0, investor_fit: 0, reciprocity: 0, proximity: 0, feedback: 0 },
  matchedS3Areas: [],
  matchedSpecialties: [],
  matchedTerms: [],
  summary: 'why',
  lang: 'en' as const,
};

/** A company's message: its whole top-N as `[candidateId, score]` best first (the change list is not what a partner stores). */
function topN(companyId: string, items: [string, number][], withdrawn: string[] = []) {
  const ref = (candidateId: string) => ({
    matchId: `${companyId}~${candidateId}`,
    candidateId,
    candidateKind: 'research_centre' as const,
    candidateName: candidateId,
  });
  const changes = [
    ...items.map(([id, score], n) => ({ type: 'suggested' as const, ...ref(id), rank: n + 1, score })),
    ...withdrawn.map((id) => ({ type: 'withdrawn' as const, ...ref(id), reason: 'left_top_n' as const })),
  ];
  return makeEnvelope({
    type: MATCH_EVENT_TYPES.suggestionsChanged,
    key: companyId,
    source: 'matching',
    data: { companyId, weightsVersion: 'w', changes, topN: items.map(([id, score], n) => ({ ...ref(id), rank: n + 1, score, explanation })) },
  });
}

describe('example partner consumer on a real broker', () => {
  let kafka: Kafka;
  let producer: EventProducer;
  let topic: string;
  let dir: string;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('partner-test'), logger });
    topic = uniqueName('it-partner-sugg');
    await ensureTopics(kafka, [{ topic, partitions: 2, withDlq: false }]);
    producer = createEventProducer(kafka);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'partner-'));
  });
  afterAll(async () => {
    await producer.disconnect();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("when it replays the topic from the start, then it rebuilds every company's suggestions, and after a restart it resumes from its committed offsets", async () => {
    const stateFile = path.join(dir, 'state.json');
    const groupId = uniqueName('partner');
    await producer.publish(topic, [
      topN('co-a', [['rc-1', 5]]),
      topN('co-a', [
        ['rc-1', 5],
        ['rc-2', 4],
      ]),
      topN('co-b', [['rc-1', 3]]),
      topN('co-a', [
        ['rc-2', 6],
        ['rc-1', 5],
      ]),
      topN('co-a', [['rc-2', 6]], ['rc-1']),
    ]);
    const first = await startPartnerConsumer({ kafka, groupId, topic, stateFile, logger });
    await waitFor(() => currentSuggestions(first.state, 'co-a').length === 1 && currentSuggestions(first.state, 'co-b').length === 1, {
      description: 'rebuilt state',
    });
    expect(currentSuggestions(first.state, 'co-a').map((s) => [s.candidateId, s.rank])).toEqual([['rc-2', 1]]);
    expect(first.applied).toBe(5);
    await first.stop();

    // While it is down, more changes happen.
    await producer.publish(topic, [topN('co-b', [], ['rc-1']), topN('co-c', [['rc-9', 2]])]);
    const second = await startPartnerConsumer({ kafka, groupId, topic, stateFile, logger });
    try {
      await waitFor(() => currentSuggestions(second.state, 'co-c').length === 1 && currentSuggestions(second.state, 'co-b').length === 0, {
        description: 'resumed state',
      });
      expect(currentSuggestions(second.state, 'co-a').map((s) => s.candidateId)).toEqual(['rc-2']);
      // Resumed, not replayed: only the two messages published while it was down were applied.
      expect(second.applied).toBe(2);
    } finally {
      await second.stop();
    }
    const onDisk = await loadState(stateFile);
    expect(Object.keys(onDisk.companies).sort()).toEqual(['co-a', 'co-c']);
    // The file records every partition's last applied offset: seven messages across the partitions.
    const appliedOffsets = Object.values(onDisk.applied).reduce((sum, o) => sum + Number(o) + 1, 0);
    expect(appliedOffsets).toBe(7);
  });
});
