import { OrganisationEvent, type OrganisationEvent as Event } from '@lm/contracts';
import { runConsumer, type RunningConsumer } from '@lm/kafka';
import type { MatchingDeps } from '../usecases/deps';
import { maintainTopN } from '../usecases/maintain-topn.usecase';
import type { MatchingConsumerOptions } from './consumer.options';

/**
 * profiles.organisations.v1 → top-N maintenance and suggestion messages, in its own consumer
 * group (own offsets, own lag). Coalescing: the broker holds each fetch for up to
 * `maxWaitTimeInMs` (the window) until `minBytes` accumulate, and a whole chunk is handled at
 * once, so every affected company is recomputed once per chunk however many of the chunk's
 * changes touch it — a burst becomes a bounded number of recomputes and one message per company.
 */
export function startTopNConsumer(deps: MatchingDeps, opts: MatchingConsumerOptions): Promise<RunningConsumer> {
  const maintain = coalesced((events: Event[]) => maintainTopN(deps, events));
  return runConsumer({
    chunkSize: 5_000,
    maxWaitTimeInMs: 1_000,
    minBytes: 256 * 1024,
    // A backlog fetched at once (~2 KB a message): a chunk is a whole burst, not a few hundred.
    maxBytesPerPartition: 16 * 1024 * 1024,
    // Every partition's chunk is handed over at once and merged by `coalesced`.
    partitionsConsumedConcurrently: 3,
    ...opts,
    topics: [opts.topic],
    schema: OrganisationEvent,
    // The indexing group reads the same topic and dead-letters invalid messages once.
    deadLetterInvalid: false,
    fromBeginning: true,
    handle: async (batch) => {
      await maintain(batch.map((b) => b.event));
    },
  });
}

/**
 * Merges the calls that arrive while a run is in progress into the next single run (group
 * commit): the partitions' chunks of one burst share one recompute of each affected company
 * instead of one per partition. Each caller resolves when a run holding its events succeeded;
 * if a merged run fails, each caller's events are run again on their own, so a failure (and
 * the runner's poison isolation) concerns only the chunk that caused it.
 */
function coalesced<T>(run: (items: T[]) => Promise<unknown>): (items: T[]) => Promise<void> {
  let waiting: { items: T[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let busy = false;
  async function drain() {
    busy = true;
    while (waiting.length) {
      const callers = waiting;
      waiting = [];
      try {
        await run(callers.flatMap((c) => c.items));
        for (const c of callers) c.resolve();
      } catch (e) {
        if (callers.length === 1) callers[0]!.reject(e);
        else for (const c of callers) await run(c.items).then(c.resolve, c.reject);
      }
    }
    busy = false;
  }
  return (items) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!busy) void drain();
    });
}
