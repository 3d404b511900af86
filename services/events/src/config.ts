import { authEnv, env, kafkaEnv, loadConfig, mongoEnv, serviceEnv } from '@lm/config';

export function loadEventsConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...serviceEnv,
      ...kafkaEnv,
      ...mongoEnv,
      ...authEnv,
      PORT: env.port(4003),
      MONGODB_DB: env.string('events'),
      STARTUP_TIMEOUT_MS: env.int(15_000, 100),
    },
    source,
  );
}
export type EventsConfig = ReturnType<typeof loadEventsConfig>;
