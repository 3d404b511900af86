import { authEnv, elasticsearchEnv, env, kafkaEnv, loadConfig, mongoEnv, serviceEnv } from '@lm/config';
import { TOPICS } from '@lm/contracts';

export function loadProfilesConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...serviceEnv,
      ...kafkaEnv,
      ...mongoEnv,
      ...elasticsearchEnv,
      ...authEnv,
      PORT: env.port(4001),
      MONGODB_DB: env.string('profiles'),
      STARTUP_TIMEOUT_MS: env.int(15_000, 100),
      /** Overridable so tests and benches publish to a topic of their own. */
      ORGANISATIONS_TOPIC: env.string(TOPICS.organisations),
      RELAY_ENABLED: env.bool(true),
      RELAY_POLL_MS: env.int(300, 10),
      RELAY_LEASE_MS: env.int(30_000, 1_000),
      /** Events per round (the producer splits a round into requests under Kafka's 1 MiB batch limit). */
      RELAY_BATCH_SIZE: env.int(1000, 1),
      /** After a round of fewer than a batch, the next starts this long after it (writes gather: fewer statements per event). */
      RELAY_COALESCE_MS: env.int(200, 0),
      /** Organisation and key documents are spread over this many collections (data layout: fixed once data exists). */
      ORGANISATION_PARTITIONS: env.int(256, 1),
      /** The list/search read model (owned by this service; rebuilt from the topic when deleted). */
      SEARCH_INDEX: env.string('profiles-organisations'),
      SEARCH_GROUP_ID: env.optionalString(),
      SEARCH_PROJECTION_ENABLED: env.bool(true),
    },
    source,
  );
}
export type ProfilesConfig = ReturnType<typeof loadProfilesConfig>;
