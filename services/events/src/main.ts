import { verifierFromConfig } from '@lm/auth';
import { rateLimitsFromConfig, runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, pingMongo } from '@lm/mongo';
import { createApp } from './app';
import { loadEventsConfig } from './config';
import { startOrganisationsConsumer } from './consumers/organisations.consumer';
import { startSuggestionsConsumer } from './consumers/suggestions.consumer';
import { createOutboxRelay } from './data/outbox.relay';
import { convertSchedulesToText, flagAgendasOfEarlierSchedules, migrateLegacyLayout } from './data/layout.migration';
import { migrateLegacyOutboxes } from './data/outbox.store';
import { OUTBOX_COLLECTIONS } from './data/repositories';
import { organisationSnapshots, suggestionStore } from './data/snapshots.repository';
import { createEventsDeps } from './wiring';
import { createWorkerScheduleRunner } from './workers/schedule.runner';

async function main() {
  const config = loadEventsConfig();
  const logger = createLogger({ service: 'events', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const mongo = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'events', logger });
  await withDeadline(
    ensureTopics(kafka, [{ topic: config.MEETINGS_TOPIC }, { topic: config.ORGANISATIONS_TOPIC }, { topic: config.SUGGESTIONS_TOPIC }]),
    config.STARTUP_TIMEOUT_MS,
    `Kafka at ${config.KAFKA_BROKERS.join(',')}`,
  );
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  // The relay registers its metrics on the app's registry, so it is made once the app exists.
  let kickRelay = () => {};
  const { repos } = await createEventsDeps(mongo, { onChange: () => kickRelay() });
  // A database of the earlier single-collection layout moves into the partitioned one, once.
  await migrateLegacyLayout(mongo, (msg, data) => logger.info(data, msg));
  // Schedules published before agendas were stored: their agendas are rebuilt on first read.
  await flagAgendasOfEarlierSchedules(mongo, (msg, data) => logger.info(data, msg));
  // Schedules whose meetings are nested documents: their parts become JSON text (every statement on them ~10× cheaper).
  await convertSchedulesToText(mongo, (msg, data) => logger.info(data, msg));
  // Envelopes the relay of the earlier layout left pending get marks with envelopes, before any write replaces an outbox.
  await migrateLegacyOutboxes(mongo, OUTBOX_COLLECTIONS, (msg, data) => logger.info(data, msg));

  const scheduler = createWorkerScheduleRunner({ concurrency: config.SCHEDULE_WORKERS, boundBudgetMs: config.SCHEDULE_BOUND_BUDGET_MS });
  const readiness: Record<string, () => Promise<unknown>> = { mongo: () => pingMongo(mongo), kafka: kafkaReady.check };
  const app = createApp({
    logger,
    verifier,
    repos,
    scheduler,
    scheduleBudgetMs: config.SCHEDULE_BUDGET_MS,
    meetingsTopic: config.MEETINGS_TOPIC,
    rateLimit: rateLimitsFromConfig(config),
    readiness,
  });
  const registry = app.locals.metrics.registry;
  const relay = createOutboxRelay({
    conn: mongo,
    collections: OUTBOX_COLLECTIONS,
    producer,
    topic: config.MEETINGS_TOPIC,
    logger,
    intervalMs: config.OUTBOX_INTERVAL_MS,
    coalesceMs: config.RELAY_COALESCE_MS,
    metrics: registry,
  });
  kickRelay = () => relay.kick();
  relay.start();
  // A consumer that stays out of its group makes the process exit non-zero, so a supervisor restarts it.
  const server: { stop?: (reason: string) => Promise<void> } = {};
  const onDown = () => void (server.stop?.('kafka consumer down') ?? Promise.resolve()).finally(() => process.exit(1));
  // Consumer lag, state and message counts and the outbox backlog appear on the app's /metrics; each consumer is a readiness check.
  const consumerOpts = { kafka, producer, logger, metrics: registry, onDown, engineCheck: () => pingMongo(mongo) };
  const organisations = await startOrganisationsConsumer({
    ...consumerOpts,
    repos,
    groupId: config.ORGANISATIONS_GROUP_ID,
    topic: config.ORGANISATIONS_TOPIC,
    apply: organisationSnapshots(mongo).apply,
  });
  const suggestions = await startSuggestionsConsumer({
    ...consumerOpts,
    groupId: config.SUGGESTIONS_GROUP_ID,
    topic: config.SUGGESTIONS_TOPIC,
    apply: suggestionStore(mongo).apply,
  });
  readiness[`consumer:${config.ORGANISATIONS_GROUP_ID}`] = organisations.check;
  readiness[`consumer:${config.SUGGESTIONS_GROUP_ID}`] = suggestions.check;
  const { port, stop } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Consumers first (no new input), then the relay (drains what is being published),
    // then the producer it uses, then the database everything reads from.
    closers: [
      { name: 'schedule-workers', close: () => scheduler.close() },
      { name: 'organisations-consumer', close: () => organisations.stop() },
      { name: 'suggestions-consumer', close: () => suggestions.stop() },
      { name: 'outbox-relay', close: () => relay.stop() },
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'mongo', close: () => mongo.close() },
    ],
  });
  server.stop = stop;
  logger.info({ port }, `events listening on http://127.0.0.1:${port}`);
}

runMain('events', main);
