import type { Logger } from '@lm/logger';
import type { Admin, Kafka } from 'kafkajs';
import type { Gauge } from 'prom-client';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** High watermark − committed offset (− low watermark when the group never committed). */
  lag: number;
}

export interface PartitionPosition {
  partition: number;
  /** The group's committed offset: the first message it has not finished (−1: never committed). */
  committed: bigint;
  low: bigint;
  high: bigint;
}

/** Where a consumer group stands on one topic, per partition, from the broker's point of view. */
export async function groupPositions(admin: Admin, groupId: string, topic: string): Promise<PartitionPosition[]> {
  const [committed, offsets] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const byPartition = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  return offsets.map((o) => ({ partition: o.partition, committed: byPartition.get(o.partition) ?? -1n, low: BigInt(o.low), high: BigInt(o.high) }));
}

/** How far a consumer group is behind, from the broker's point of view (not the member's). */
export async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const out: PartitionLag[] = [];
  for (const topic of topics) {
    for (const p of await groupPositions(admin, groupId, topic)) {
      const from = p.committed >= 0n ? p.committed : p.low;
      const lag = p.high - from;
      out.push({ topic, partition: p.partition, lag: Number(lag > 0n ? lag : 0n) });
    }
  }
  return out;
}

/**
 * Refreshes `kafka_consumer_lag` on a timer through an admin client of its own, so the gauge
 * keeps telling the truth when the consumer itself is stuck, crashed or evicted (a gauge set
 * only after each batch freezes at its last value exactly when it matters).
 */
export function startLagMonitor(opts: {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  gauge?: Gauge<'topic' | 'partition' | 'group'>;
  intervalMs: number;
  logger: Logger;
  onRefresh?: (lag: PartitionLag[]) => void;
}) {
  let admin: Admin | undefined;
  let timer: NodeJS.Timeout | undefined;
  let last: PartitionLag[] = [];
  let stopped = false;
  let inflight: Promise<void> | undefined;
  // One refresh at a time; stop() waits for the one in flight, so an admin client that was still
  // connecting is disconnected too (else its socket outlives the runner and keeps the process up).
  const refresh = () => (inflight ??= refreshOnce().finally(() => (inflight = undefined)));
  const refreshOnce = async () => {
    if (stopped) return;
    try {
      if (!admin) {
        admin = opts.kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
      }
      last = await groupLag(admin, opts.groupId, opts.topics);
      for (const p of last) opts.gauge?.set({ topic: p.topic, partition: String(p.partition), group: opts.groupId }, p.lag);
      opts.onRefresh?.(last);
    } catch (e) {
      opts.logger.debug({ err: e instanceof Error ? e.message : String(e) }, 'lag refresh failed');
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    }
  };
  const loop = () => {
    timer = setTimeout(() => void refresh().finally(() => !stopped && loop()), opts.intervalMs);
    timer.unref();
  };
  void refresh().finally(() => !stopped && loop());
  return {
    /** The lag at the last refresh, per partition. */
    current: () => last,
    refresh,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inflight?.catch(() => undefined);
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    },
  };
}
