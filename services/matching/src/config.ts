import { authEnv, elasticsearchEnv, env, kafkaEnv, loadConfig, serviceEnv } from '@lm/config';

export function loadMatchingConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...serviceEnv,
      ...kafkaEnv,
      ...elasticsearchEnv,
      ...authEnv,
      PORT: env.port(4002),
      /** Alias the service reads and writes through; the concrete index behind it changes on reindex. */
      ES_INDEX_ALIAS: env.string('organisations'),
      KAFKA_GROUP_ID: env.string('matching'),
      STARTUP_TIMEOUT_MS: env.int(15_000, 100),
    },
    source,
  );
}
export type MatchingConfig = ReturnType<typeof loadMatchingConfig>;
