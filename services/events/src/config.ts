import { authEnv, env, kafkaEnv, loadConfig, mongoEnv, serviceEnv } from '@lm/config';
import { TOPICS } from '@lm/contracts';

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
      ORGANISATIONS_TOPIC: env.string(TOPICS.organisations),
      SUGGESTIONS_TOPIC: env.string(TOPICS.suggestions),
      MEETINGS_TOPIC: env.string(TOPICS.meetings),
      ORGANISATIONS_GROUP_ID: env.string('events-organisations'),
      SUGGESTIONS_GROUP_ID: env.string('events-suggestions'),
      OUTBOX_INTERVAL_MS: env.int(500, 10),
      /** After a relay round that published a few events, wait this long for more (a round costs ~12 statements whatever it carries). */
      RELAY_COALESCE_MS: env.int(200, 0),
      SCHEDULE_BUDGET_MS: env.int(5_000, 50),
      /** Wall-clock budget of the LP upper bound of a run (0: report the combinatorial bound only). */
      SCHEDULE_BOUND_BUDGET_MS: env.int(2_000, 0),
      /** Schedule runs computed at once, each in its own worker thread (one CPU core each); more wait their turn. */
      SCHEDULE_WORKERS: env.int(1, 1),
    },
    source,
  );
}
export type EventsConfig = ReturnType<typeof loadEventsConfig>;
