/**
 * Merges the calls that arrive while a run is in progress into the next single run (group
 * commit): the partitions' chunks of one burst share one recompute of each affected company
 * instead of one per partition. Each caller resolves when a run holding its events succeeded;
 * if a merged run fails, each caller's events are run again on their own, so a failure (and
 * the runner's poison isolation) concerns only the chunk that caused it.
 */
export function coalesced<T>(run: (items: T[]) => Promise<unknown>): (items: T[]) => Promise<void> {
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
