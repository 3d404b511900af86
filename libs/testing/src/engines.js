// Gives a test run real engines, in this order of preference:
//   1. engines named by the environment (KAFKA_BROKERS, MONGODB_URI, ELASTICSEARCH_URL): used as they are;
//   2. a reachable container runtime: testcontainers with the real images;
//   3. otherwise the local engines of infra/ (started, or reused when already running).
// Plain JS because Jest loads it as globalSetup before any transform runs.
const { spawnSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');

const ENGINE_ENV = { kafka: 'KAFKA_BROKERS', mongo: 'MONGODB_URI', elasticsearch: 'ELASTICSEARCH_URL' };
const LOCAL_DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGODB_URI: 'mongodb://127.0.0.1:27017',
  ELASTICSEARCH_URL: 'http://127.0.0.1:9200',
};
// Same versions as infra/ and docker-compose.yml.
const IMAGES = {
  kafka: 'apache/kafka:3.9.1',
  mongo: 'mongo:7.0',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.21',
};

let runtimeProbe;
/** Probed once per process; any failure means "no container runtime". */
function containerRuntimeAvailable() {
  if (process.env.ENGINES_MODE === 'local') return Promise.resolve(false);
  if (!runtimeProbe) {
    runtimeProbe = (async () => {
      try {
        const { getContainerRuntimeClient } = require('testcontainers');
        const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('probe timeout')), 8000).unref());
        await Promise.race([getContainerRuntimeClient(), timeout]);
        return true;
      } catch {
        return false;
      }
    })();
  }
  return runtimeProbe;
}

async function startContainer(engine) {
  const { GenericContainer, Wait } = require('testcontainers');
  if (engine === 'mongo') {
    const c = await new GenericContainer(IMAGES.mongo)
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start();
    return { container: c, env: { MONGODB_URI: `mongodb://${c.getHost()}:${c.getMappedPort(27017)}` } };
  }
  if (engine === 'elasticsearch') {
    const c = await new GenericContainer(IMAGES.elasticsearch)
      .withExposedPorts(9200)
      .withEnvironment({ 'discovery.type': 'single-node', 'xpack.security.enabled': 'false', ES_JAVA_OPTS: '-Xms512m -Xmx1g' })
      .withWaitStrategy(Wait.forHttp('/_cluster/health?wait_for_status=yellow', 9200).forStatusCode(200))
      .withStartupTimeout(180_000)
      .start();
    return { container: c, env: { ELASTICSEARCH_URL: `http://${c.getHost()}:${c.getMappedPort(9200)}` } };
  }
  // Kafka advertises a fixed host port so that clients outside the container reach it.
  const port = 19092 + Math.floor(Math.random() * 500);
  const c = await new GenericContainer(IMAGES.kafka)
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: '3',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  return { container: c, env: { KAFKA_BROKERS: `localhost:${port}` } };
}

/**
 * Makes sure the named engines run and that process.env points at them.
 * Returns the containers it started (to stop in teardown).
 * @param {('kafka'|'mongo'|'elasticsearch')[]} engines
 */
async function ensureEngines(engines) {
  const missing = engines.filter((e) => !process.env[ENGINE_ENV[e]]);
  if (missing.length === 0) return [];
  if (await containerRuntimeAvailable()) {
    const started = await Promise.all(missing.map(startContainer));
    for (const s of started) Object.assign(process.env, s.env);
    return started.map((s) => s.container);
  }
  const r = spawnSync('bash', [path.join(ROOT, 'infra/engines.sh'), 'start', ...missing], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`infra/engines.sh start ${missing.join(' ')} failed (exit ${r.status}); see the log lines above`);
  for (const e of missing) process.env[ENGINE_ENV[e]] = LOCAL_DEFAULTS[ENGINE_ENV[e]];
  return [];
}

module.exports = { ensureEngines, containerRuntimeAvailable, IMAGES };
