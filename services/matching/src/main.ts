import { verifierFromConfig } from '@lm/auth';
import { TOPICS } from '@lm/contracts';
import { runMain, startServer, withDeadline } from '@lm/http';
import { createEventProducer, createKafka, ensureTopics, kafkaReadiness } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { createApp } from './app';
import { loadMatchingConfig } from './config';
import { createElasticsearchClient, pingElasticsearch } from './data/elasticsearch.client';

async function main() {
  const config = loadMatchingConfig();
  const logger = createLogger({ service: 'matching', level: config.LOG_LEVEL });
  const verifier = verifierFromConfig(config);

  const es = createElasticsearchClient(config.ELASTICSEARCH_URL);
  await withDeadline(pingElasticsearch(es), config.STARTUP_TIMEOUT_MS, `Elasticsearch at ${config.ELASTICSEARCH_URL}`);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'matching', logger });
  await withDeadline(
    ensureTopics(kafka, [{ topic: TOPICS.organisations }, { topic: TOPICS.suggestions }]),
    config.STARTUP_TIMEOUT_MS,
    `Kafka at ${config.KAFKA_BROKERS.join(',')}`,
  );
  const producer = createEventProducer(kafka);
  const kafkaReady = kafkaReadiness(kafka);

  const app = createApp({ logger, verifier, readiness: { elasticsearch: () => pingElasticsearch(es), kafka: kafkaReady.check } });
  const { port } = await startServer(app, {
    port: config.PORT,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'kafka-producer', close: () => producer.disconnect() },
      { name: 'kafka-admin', close: () => kafkaReady.close() },
      { name: 'elasticsearch', close: () => es.close() },
    ],
  });
  logger.info({ port }, `matching listening on http://127.0.0.1:${port}`);
}

runMain('matching', main);
