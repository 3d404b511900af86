import { verifierFromConfig } from '@lm/auth';
import { createMetrics, rateLimitsFromConfig, runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, pingMongo } from '@lm/mongo';
import { createApp } from './app';
import { loadProfilesConfig } from './config';
import { createOrganisationLocks } from './data/organisation.locks';
import { ensureOrganisationIndexes, organisationModel } from './data/organisation.model';
import { createOrganisationRepository } from './data/organisation.repository';
import { createOutboxRelay } from './data/outbox.relay';
import { createOutboxStore } from './data/outbox.store';

async function main() {
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const mongo = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  const model = organisationModel(mongo);
  const locks = createOrganisationLocks(mongo);
  await withDeadline(ensureOrganisationIndexes(model), config.STARTUP_TIMEOUT_MS, 'MongoDB index creation');
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'profiles', logger });
  await withDeadline(ensureTopics(kafka, [{ topic: config.ORGANISATIONS_TOPIC }]), config.STARTUP_TIMEOUT_MS, `Kafka at ${config.KAFKA_BROKERS.join(',')}`);
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  const metrics = createMetrics('profiles');
  const relay = createOutboxRelay({
    store: createOutboxStore(model, locks, { leaseMs: config.RELAY_LEASE_MS }),
    producer,
    topic: config.ORGANISATIONS_TOPIC,
    logger,
    pollMs: config.RELAY_POLL_MS,
    batchSize: config.RELAY_BATCH_SIZE,
    metrics: metrics.registry,
  });
  const app = createApp({
    logger,
    verifier,
    metrics,
    store: createOrganisationRepository(model, locks),
    onChange: () => relay.kick(),
    rateLimit: rateLimitsFromConfig(config),
    readiness: { mongo: () => pingMongo(mongo), kafka: kafkaReady.check },
  });
  if (config.RELAY_ENABLED) relay.start();
  const { port } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      // The relay finishes its round before the producer it publishes with goes away.
      { name: 'outbox-relay', close: () => relay.stop() },
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'mongo', close: () => mongo.close() },
    ],
  });
  logger.info({ port, topic: config.ORGANISATIONS_TOPIC }, `profiles listening on http://127.0.0.1:${port}`);
}

runMain('profiles', main);
