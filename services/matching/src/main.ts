import { verifierFromConfig } from '@lm/auth';
import { rateLimitsFromConfig, runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { createApp } from './app';
import { loadMatchingConfig } from './config';
import { startIndexingConsumer } from './consumers/organisation-indexing.consumer';
import { startTopNConsumer } from './consumers/topn-maintenance.consumer';
import { createElasticsearchClient, pingElasticsearch } from './data/elasticsearch.client';
import { createTopicReplay } from './data/organisation-topic.replay';
import { ReindexJobs } from './domain/reindex.usecase';
import { createMatchingDeps } from './wiring';

async function main() {
  const config = loadMatchingConfig();
  const logger = createLogger({ service: 'matching', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const es = createElasticsearchClient(config.ELASTICSEARCH_URL);
  await withDeadline(pingElasticsearch(es), config.STARTUP_TIMEOUT_MS, `Elasticsearch at ${config.ELASTICSEARCH_URL}`);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'matching', logger });
  await withDeadline(
    ensureTopics(kafka, [{ topic: config.ORGANISATIONS_TOPIC }, { topic: config.SUGGESTIONS_TOPIC }]),
    config.STARTUP_TIMEOUT_MS,
    `Kafka at ${config.KAFKA_BROKERS.join(',')}`,
  );
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  const deps = await withDeadline(
    createMatchingDeps({
      es,
      alias: config.ES_INDEX_ALIAS,
      producer,
      logger,
      settings: {
        suggestionsTopic: config.SUGGESTIONS_TOPIC,
        topN: config.TOP_N,
        scoreThreshold: config.SCORE_CHANGE_THRESHOLD,
        maxRecomputePerEvent: config.MAX_RECOMPUTE_PER_EVENT,
        indexWaitMs: config.INDEX_WAIT_MS,
      },
    }),
    config.STARTUP_TIMEOUT_MS,
    'index set-up',
  );
  const reindex = new ReindexJobs({
    topic: createTopicReplay({ kafka, topic: config.ORGANISATIONS_TOPIC, groupPrefix: config.KAFKA_GROUP_ID }),
    index: deps.index,
    logger,
  });

  const readiness: Record<string, () => Promise<unknown>> = { elasticsearch: () => pingElasticsearch(es), kafka: kafkaReady.check };
  const app = createApp({
    logger,
    verifier,
    matching: deps,
    reindex,
    suggestionsTopic: config.SUGGESTIONS_TOPIC,
    rateLimit: rateLimitsFromConfig(config),
    readiness,
  });
  // A consumer that stays out of its group makes the process exit non-zero, so a supervisor restarts it.
  const server: { stop?: (reason: string) => Promise<void> } = {};
  const onDown = () => void (server.stop?.('kafka consumer down') ?? Promise.resolve()).finally(() => process.exit(1));
  // Two groups on the profiles topic: indexing (bulk writes only, keeps up with the topic) and
  // top-N maintenance (coalesced recomputes, suggestion messages). Each has its own offsets and
  // lag on /metrics, and is a readiness check.
  const common = {
    kafka,
    topic: config.ORGANISATIONS_TOPIC,
    producer,
    logger,
    metrics: app.locals.metrics.registry,
    onDown,
    engineCheck: () => pingElasticsearch(es),
  };
  const topnGroup = config.TOPN_GROUP_ID ?? `${config.KAFKA_GROUP_ID}-topn`;
  const indexing = await startIndexingConsumer(deps, { ...common, groupId: config.KAFKA_GROUP_ID });
  const topn = await startTopNConsumer(deps, {
    ...common,
    groupId: topnGroup,
    indexingGroupId: config.KAFKA_GROUP_ID,
    chunkSize: config.TOPN_BATCH,
    maxWaitTimeInMs: config.TOPN_WINDOW_MS,
    burstQuietMs: config.TOPN_BURST_QUIET_MS,
    burstMaxWaitMs: config.TOPN_BURST_MAX_WAIT_MS,
  });
  readiness[`consumer:${config.KAFKA_GROUP_ID}`] = indexing.check;
  readiness[`consumer:${topnGroup}`] = topn.check;
  const { port, stop } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Consumers first (their in-flight chunks finish and commit), then what they write to.
    closers: [
      { name: 'indexing-consumer', close: () => indexing.stop() },
      { name: 'topn-consumer', close: () => topn.stop() },
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'elasticsearch', close: () => es.close() },
    ],
  });
  server.stop = stop;
  logger.info({ port, alias: config.ES_INDEX_ALIAS, group: config.KAFKA_GROUP_ID }, `matching listening on http://127.0.0.1:${port}`);
}

runMain('matching', main);
