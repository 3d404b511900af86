import { verifierFromConfig } from '@lm/auth';
import { createMetrics, rateLimitsFromConfig, runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, pingMongo } from '@lm/mongo';
import { createOutboxRelay } from '@lm/outbox';
import { createApp } from './app';
import { loadProfilesConfig } from './config';
import { runSearchProjection } from './consumers/search.projection';
import { createElasticsearchClient, createOrganisationSearchIndex, pingElasticsearch } from './data/organisation.search-index';
import { createProfilesDeps } from './wiring';

async function main() {
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const mongo = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  const deps = createProfilesDeps(mongo, { layout: { partitions: config.ORGANISATION_PARTITIONS }, relayLeaseMs: config.RELAY_LEASE_MS });
  const { store, outbox } = deps;
  // Before anything writes: what older layouts left (main-database locks and marks, one mark per organisation) is brought to this one.
  const migrated = await deps.migrateLayout((step, n) => logger.info({ n }, step));
  if (Object.values(migrated).some((n) => n > 0)) logger.info(migrated, 'data layout migrated');
  const es = createElasticsearchClient(config.ELASTICSEARCH_URL);
  const search = createOrganisationSearchIndex(es, config.SEARCH_INDEX);
  await withDeadline(search.ensureIndex(), config.STARTUP_TIMEOUT_MS, `Elasticsearch at ${config.ELASTICSEARCH_URL}`);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'profiles', logger });
  await withDeadline(ensureTopics(kafka, [{ topic: config.ORGANISATIONS_TOPIC }]), config.STARTUP_TIMEOUT_MS, `Kafka at ${config.KAFKA_BROKERS.join(',')}`);
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  const metrics = createMetrics('profiles');
  const relay = createOutboxRelay({
    store: outbox,
    producer,
    topic: config.ORGANISATIONS_TOPIC,
    logger,
    pollMs: config.RELAY_POLL_MS,
    batchSize: config.RELAY_BATCH_SIZE,
    coalesceMs: config.RELAY_COALESCE_MS,
    metricsPrefix: 'profiles',
    metrics: metrics.registry,
  });
  const app = createApp({
    logger,
    verifier,
    metrics,
    organisationsTopic: config.ORGANISATIONS_TOPIC,
    store,
    search,
    onChange: () => relay.kick(),
    rateLimit: rateLimitsFromConfig(config),
    readiness: { mongo: () => pingMongo(mongo), kafka: kafkaReady.check, elasticsearch: () => pingElasticsearch(es) },
  });
  if (config.RELAY_ENABLED) relay.start();
  const projection = config.SEARCH_PROJECTION_ENABLED
    ? await runSearchProjection({
        kafka,
        producer,
        topic: config.ORGANISATIONS_TOPIC,
        groupId: config.SEARCH_GROUP_ID ?? `profiles-search-${config.SEARCH_INDEX}`,
        store,
        index: search,
        logger,
        metrics: metrics.registry,
      })
    : undefined;
  const { port } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      // The relay finishes its round before the producer it publishes with goes away.
      { name: 'outbox-relay', close: () => relay.stop() },
      { name: 'search-projection', close: () => projection?.stop() ?? Promise.resolve() },
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'elasticsearch', close: () => es.close() },
      // Patches answer before their lock is released: let those releases land first.
      { name: 'lock-releases', close: () => deps.locks.released() },
      { name: 'mongo', close: () => mongo.close() },
    ],
  });
  logger.info({ port, topic: config.ORGANISATIONS_TOPIC, searchIndex: config.SEARCH_INDEX }, `profiles listening on http://127.0.0.1:${port}`);
}

runMain('profiles', main);
