import type { OrganisationEvent } from '@lm/contracts';
import { groupPositions, type ConsumedEvent, type PartitionPosition } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { counterOn } from '@lm/metrics';
import type { Admin, Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { FullPassGate } from '../domain/matching.ports';

export interface BurstGateOptions {
  kafka: Kafka;
  topic: string;
  /** The indexing group: what it has committed is in the index. */
  indexingGroupId: string;
  /** The burst is over when the topic did not grow for this long and the indexing group caught up. */
  quietMs: number;
  /** A full pass waits at most this long (a steady stream of writes never goes quiet). */
  maxWaitMs: number;
  logger: Logger;
  metrics?: Registry;
  pollMs?: number;
}

export type BurstGate = FullPassGate & {
  /** True for a change a finished full pass already saw (an upsert indexed before the pass started). */
  covers(e: ConsumedEvent<OrganisationEvent>): boolean;
  close(): Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The top-N worker's full-pass gate over Kafka positions. A pass waits until the topic stopped
 * growing and the indexing group committed everything (or `maxWaitMs`), then notes the indexing
 * group's committed offsets: every message before them is in the index, so the pass — after a
 * refresh — sees it. Once the pass succeeded, upserts before those offsets are skipped when the
 * worker reads them. Deletions are never skipped: a deleted company is not among the live ones a
 * pass recomputes, so its withdrawal still needs its own event. What is covered lives in this
 * process only: after a restart or a rebalance the worker recomputes again (more work, same result).
 * If Kafka cannot be asked, the pass runs at once and covers nothing.
 */
export function createBurstGate(opts: BurstGateOptions): BurstGate {
  const log = opts.logger.child({ component: 'topn-burst-gate' });
  const covered = new Map<number, bigint>();
  const skipped =
    opts.metrics &&
    counterOn(opts.metrics, {
      name: 'matching_topn_covered_skipped_total',
      help: 'Profile changes the top-N worker skipped because a full pass had already seen them',
    });
  const passes =
    opts.metrics &&
    counterOn(opts.metrics, {
      name: 'matching_topn_full_passes_total',
      help: 'Full passes of the top-N worker (every live company recomputed after a burst)',
    });
  let admin: Admin | undefined;

  async function positions(): Promise<PartitionPosition[]> {
    if (!admin) {
      admin = opts.kafka.admin({ retry: { retries: 1 } });
      await admin.connect();
    }
    return groupPositions(admin, opts.indexingGroupId, opts.topic);
  }

  /** Waits for the end of the burst (bounded); the indexing group's committed offsets then. */
  async function settle(): Promise<Map<number, bigint>> {
    const deadline = Date.now() + opts.maxWaitMs;
    let high = -1n;
    let grewAt = Date.now();
    for (;;) {
      // Growth is dated when the answer arrived (after the write it saw), quiet up to when the
      // question was asked (before any write it missed): however slowly Kafka answers, the quiet
      // measured is never longer than the real one.
      const askedAt = Date.now();
      const current = await positions();
      const total = current.reduce((sum, p) => sum + p.high, 0n);
      if (total !== high) [high, grewAt] = [total, Date.now()];
      const caughtUp = current.every((p) => p.committed >= p.high || p.high === p.low);
      if ((caughtUp && askedAt - grewAt >= opts.quietMs) || Date.now() >= deadline) {
        return new Map(current.map((p) => [p.partition, p.committed]));
      }
      await sleep(opts.pollMs ?? 250);
    }
  }

  return {
    async begin() {
      const started = Date.now();
      const offsets = await settle().catch((e: unknown) => {
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not read the indexing position; full pass covers nothing');
        return new Map<number, bigint>();
      });
      log.info({ waitedMs: Date.now() - started, offsets: Object.fromEntries([...offsets].map(([p, o]) => [p, String(o)])) }, 'full top-N pass starts');
      return {
        covered() {
          passes?.inc();
          for (const [partition, offset] of offsets) if (offset > (covered.get(partition) ?? -1n)) covered.set(partition, offset);
        },
      };
    },
    covers(e) {
      const skip = e.event.type === 'organisation.upserted' && BigInt(e.offset) < (covered.get(e.partition) ?? -1n);
      if (skip) skipped?.inc();
      return skip;
    },
    async close() {
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    },
  };
}
