import { authEnv, env, kafkaEnv, loadConfig, mongoEnv, serviceEnv } from '@lm/config';

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
    },
    source,
  );
}
export type ProfilesConfig = ReturnType<typeof loadProfilesConfig>;
