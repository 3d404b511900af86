/** Engine addresses for a test, as the global setup left them in the environment. */
export function testEndpoints() {
  return {
    kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    mongoUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
    elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
  };
}
