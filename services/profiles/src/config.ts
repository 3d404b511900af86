import { authEnv, env, kafkaEnv, loadConfig, mongoEnv, serviceEnv } from '@lm/config';
import { TOPICS } from '@lm/contracts';

export function loadProfilesConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...serviceEnv,
      ...kafkaEnv,
      ...mongoEnv,
      ...authEnv,
      PORT: env.port(4001),
      MONGODB_DB: env.string('profiles'),
      STARTUP_TIMEOUT_MS: env.int(15_000, 100),
      /** Overridable so tests and benches publish to a topic of their own. */
      ORGANISATIONS_TOPIC: env.string(TOPICS.organisations),
      RELAY_ENABLED: env.bool(true),
      RELAY_POLL_MS: env.int(300, 10),
      RELAY_LEASE_MS: env.int(30_000, 1_000),
      RELAY_BATCH_SIZE: env.int(50, 1),
    },
    source,
  );
}
export type ProfilesConfig = ReturnType<typeof loadProfilesConfig>;
