import { verifierFromConfig } from '@lm/auth';
import { TOPICS } from '@lm/contracts';
import { runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, pingMongo } from '@lm/mongo';
import { createApp } from './app';
import { loadProfilesConfig } from './config';

async function main() {
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const mongo = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'profiles', logger });
  await withDeadline(ensureTopics(kafka, [{ topic: TOPICS.organisations }]), config.STARTUP_TIMEOUT_MS, `Kafka at ${config.KAFKA_BROKERS.join(',')}`);
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  const app = createApp({ logger, verifier, readiness: { mongo: () => pingMongo(mongo), kafka: kafkaReady.check } });
  const { port } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'mongo', close: () => mongo.close() },
    ],
  });
  logger.info({ port }, `profiles listening on http://127.0.0.1:${port}`);
}

runMain('profiles', main);
