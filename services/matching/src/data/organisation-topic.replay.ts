import { OrganisationEvent } from '@lm/contracts';
import type { Kafka } from 'kafkajs';
import type { ReplayRun, TopicReplayPort, Watermarks } from '../domain/reindex.usecase';

/**
 * Reads the organisations topic for a reindex: watermarks from the admin client, replays with a
 * fresh consumer group per pass (`<prefix>-reindex-<runId>`, deleted when the run closes).
 */
export function createTopicReplay(opts: { kafka: Kafka; topic: string; groupPrefix: string }): TopicReplayPort {
  const { kafka, topic } = opts;
  return {
    async open(runId: string): Promise<ReplayRun> {
      const admin = kafka.admin();
      await admin.connect();
      const groups: string[] = [];
      const watermarks = async (): Promise<Watermarks> => {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
      };
      return {
        watermarks,
        async replay(from, to, onBatch) {
          const groupId = `${opts.groupPrefix}-reindex-${runId}${groups.length ? `-${groups.length}` : ''}`;
          groups.push(groupId);
          const pending = new Set([...to].filter(([p, high]) => high > (from.get(p) ?? 0n)).map(([p]) => p));
          if (!pending.size) return;
          await admin.setOffsets({ groupId, topic, partitions: [...to.keys()].map((partition) => ({ partition, offset: String(from.get(partition) ?? 0n) })) });
          await consume(kafka, topic, groupId, to, pending, onBatch);
        },
        async close() {
          await admin.deleteGroups(groups).catch(() => undefined);
          await admin.disconnect();
        },
      };
    },
  };
}

/** Bytes fetched per partition at once during a replay (kafkajs default: 1 MB). */
const REPLAY_FETCH_BYTES = 8 * 1024 * 1024;

/**
 * Runs a consumer until every pending partition reached its limit (exclusive); invalid messages
 * are skipped. Each partition's fetch is up to `REPLAY_FETCH_BYTES` (thousands of messages) and the
 * partitions are replayed concurrently, so Elasticsearch always has a bulk to work on while the
 * next one is fetched and parsed.
 */
async function consume(
  kafka: Kafka,
  topic: string,
  groupId: string,
  to: Map<number, bigint>,
  pending: Set<number>,
  onBatch: (events: OrganisationEvent[], read: number) => Promise<void>,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: REPLAY_FETCH_BYTES, maxBytes: 4 * REPLAY_FETCH_BYTES });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          partitionsConsumedConcurrently: Math.max(1, pending.size),
          eachBatch: async ({ batch, heartbeat }) => {
            if (!pending.has(batch.partition)) return;
            const limit = to.get(batch.partition) ?? 0n;
            const within = batch.messages.filter((m) => BigInt(m.offset) < limit);
            const events = within.flatMap((m) => {
              // Poison messages were dead-lettered by the live consumer; a replay skips them.
              try {
                const parsed = OrganisationEvent.safeParse(JSON.parse(m.value?.toString('utf8') ?? 'null'));
                return parsed.success ? [parsed.data] : [];
              } catch {
                return [];
              }
            });
            await onBatch(events, within.length);
            const last = batch.messages[batch.messages.length - 1];
            if (last && BigInt(last.offset) >= limit - 1n) pending.delete(batch.partition);
            await heartbeat();
            if (!pending.size) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
