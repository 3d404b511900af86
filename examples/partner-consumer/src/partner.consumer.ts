import { MatchEvent, TOPICS } from '@lm/contracts';
import type { Logger } from '@lm/logger';
import type { Consumer, Kafka } from 'kafkajs';
import { loadState, saveState } from './state.file';
import { applyEvent, type PartnerState } from './suggestions.state';

export interface PartnerConsumerOptions {
  kafka: Kafka;
  /** The partner's own consumer group: replays from the start on its first run. */
  groupId: string;
  topic?: string;
  stateFile: string;
  logger: Logger;
}

export interface RunningPartner {
  state: PartnerState;
  /** Events applied by this run (not counting those the state file already held). */
  readonly applied: number;
  stop(): Promise<void>;
}

/**
 * Rebuilds every company's current suggestions from matching.suggestions.v2. Per batch: apply,
 * write the state file, THEN commit the offset — after a crash the file is at least as new as
 * the committed offset, and the per-partition `applied` offsets skip what it already holds.
 */
export async function startPartnerConsumer(opts: PartnerConsumerOptions): Promise<RunningPartner> {
  const topic = opts.topic ?? TOPICS.suggestions;
  const state = await loadState(opts.stateFile);
  let applied = 0;
  const consumer: Consumer = opts.kafka.consumer({ groupId: opts.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const slot = `${batch.topic}:${batch.partition}`;
      const done = state.applied[slot] !== undefined ? BigInt(state.applied[slot]!) : -1n;
      let last: string | undefined;
      for (const m of batch.messages) {
        last = m.offset;
        if (BigInt(m.offset) <= done) continue;
        const parsed = MatchEvent.safeParse(JSON.parse(m.value?.toString('utf8') ?? 'null'));
        applied++;
        if (parsed.success) applyEvent(state, parsed.data);
        else opts.logger.warn({ offset: m.offset, partition: batch.partition }, 'skipping an event this partner does not understand');
      }
      if (last === undefined) return;
      state.applied[slot] = last;
      await saveState(opts.stateFile, state);
      resolveOffset(last);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat();
    },
  });
  return {
    state,
    get applied() {
      return applied;
    },
    async stop() {
      await consumer.disconnect();
    },
  };
}
