import type { Client } from '@elastic/elasticsearch';
import type { Principal } from '@lm/auth';
import { MatchEvent, MATCH_EVENT_TYPES, type Envelope, type SuggestionChange, type SuggestionsChangedData } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics, groupLag, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { createTestAuth, testEndpoints, uniqueName, waitFor } from '@lm/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { createElasticsearchClient } from '../../src/data/elasticsearch.client';
import { createMatchingDeps, type MatchingWiring } from '../../src/wiring';

/** Everything an integration test file needs, with names only this file uses. */
export async function createHarness(name: string, settings: { topN?: number; scoreThreshold?: number } = {}) {
  const logger = createLogger({ service: 'matching-test', level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent' });
  const alias = uniqueName(`it-${name}`);
  const topics = { organisations: uniqueName(`it-${name}-orgs`), suggestions: uniqueName(`it-${name}-sugg`) };
  const kafka: Kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('matching-test'), logger });
  await ensureTopics(kafka, [
    { topic: topics.organisations, partitions: 2 },
    { topic: topics.suggestions, partitions: 2 },
  ]);
  const producer: EventProducer = createEventProducer(kafka);
  await producer.connect();
  const es: Client = createElasticsearchClient(testEndpoints().elasticsearchUrl);
  const deps: MatchingWiring = await createMatchingDeps({ es, alias, producer, logger, settings: { suggestionsTopic: topics.suggestions, ...settings } });

  const auth = createTestAuth();
  const verifier = auth.verifier;
  const token = (p: Principal) => auth.bearer(p);

  /** Reads every match event of the suggestions topic (one reader per file, from the start). */
  const seen: Envelope[] = [];
  let reader: Consumer | undefined;
  async function startReader() {
    reader = kafka.consumer({ groupId: uniqueName('it-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topics.suggestions, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push(MatchEvent.parse(JSON.parse(message.value!.toString())) as Envelope) });
  }
  const eventsFor = (companyId: string, type?: string) =>
    seen.filter((e) => (e.data as { companyId: string }).companyId === companyId && (!type || e.type === type));
  const waitForEvent = (companyId: string, type: string, pred: (e: Envelope) => boolean = () => true, timeoutMs = 20_000) =>
    waitFor(() => eventsFor(companyId, type).find(pred), { description: `${type} for ${companyId}`, timeoutMs });
  /** The company's suggestion messages (one per recomputation that changed something). */
  const messagesFor = (companyId: string) => eventsFor(companyId, MATCH_EVENT_TYPES.suggestionsChanged).map((e) => e.data as SuggestionsChangedData);
  /** Every change announced for the company, in order, optionally from the n-th message on. */
  const changesFor = (companyId: string, type?: SuggestionChange['type'], fromMessage = 0) =>
    messagesFor(companyId)
      .slice(fromMessage)
      .flatMap((m) => m.changes)
      .filter((c) => !type || c.type === type);
  const waitForChange = (
    companyId: string,
    type: SuggestionChange['type'],
    pred: (c: SuggestionChange) => boolean = () => true,
    fromMessage = 0,
    timeoutMs = 20_000,
  ) => waitFor(() => changesFor(companyId, type, fromMessage).find(pred), { description: `${type} for ${companyId}`, timeoutMs });

  /** How many messages of the organisations topic `groupId` has not committed yet (from the broker). */
  async function lagOf(groupId: string) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await groupLag(admin, groupId, [topics.organisations])).reduce((sum, p) => sum + p.lag, 0);
    } finally {
      await admin.disconnect();
    }
  }

  async function publishOrgs(envelopes: Envelope[]) {
    await producer.publish(topics.organisations, envelopes);
  }

  async function close() {
    await reader?.disconnect();
    await producer.disconnect();
    const indices = [...(await deps.index.concreteIndices()), deps.topn.index, deps.feedback.index];
    await es.indices.delete({ index: indices, ignore_unavailable: true }).catch(() => undefined);
    await es.close();
  }

  return {
    logger,
    alias,
    topics,
    kafka,
    producer,
    es,
    deps,
    verifier,
    token,
    seen,
    startReader,
    eventsFor,
    waitForEvent,
    messagesFor,
    changesFor,
    waitForChange,
    publishOrgs,
    lagOf,
    close,
  };
}
export type Harness = Awaited<ReturnType<typeof createHarness>>;
