import { authEnv, elasticsearchEnv, env, kafkaEnv, loadConfig, serviceEnv } from '@lm/config';
import { TOPICS } from '@lm/contracts';

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
      /** Indexing consumer group. */
      KAFKA_GROUP_ID: env.string('matching'),
      /** Top-N maintenance consumer group (default `<KAFKA_GROUP_ID>-topn`). */
      TOPN_GROUP_ID: env.optionalString(),
      /** Coalescing window of the top-N worker: the broker holds a fetch this long for more changes. */
      TOPN_WINDOW_MS: env.int(1_000, 0),
      /** A top-N pass over every company (after a bulk import) first waits for the topic to be quiet this long… */
      TOPN_BURST_QUIET_MS: env.int(2_000, 0),
      /** …but at most this long (a steady stream of writes is never quiet). */
      TOPN_BURST_MAX_WAIT_MS: env.int(60_000, 0),
      /** Profile changes handled (and companies coalesced) at once by the top-N worker. */
      TOPN_BATCH: env.int(5_000, 1),
      /** How long the top-N worker waits for the indexing group to write an event it already read. */
      INDEX_WAIT_MS: env.int(30_000, 0),
      ORGANISATIONS_TOPIC: env.string(TOPICS.organisations),
      SUGGESTIONS_TOPIC: env.string(TOPICS.suggestions),
      /** Size of each company's published top-N. */
      TOP_N: env.int(20, 1),
      /** Relative score change (rank unchanged) published as match.updated; 0.1 = 10 %. */
      SCORE_CHANGE_THRESHOLD: env.number(0.1),
      /** Companies recomputed at most for one changed profile. */
      MAX_RECOMPUTE_PER_EVENT: env.int(200, 1),
      STARTUP_TIMEOUT_MS: env.int(15_000, 100),
    },
    source,
  );
}
export type MatchingConfig = ReturnType<typeof loadMatchingConfig>;
