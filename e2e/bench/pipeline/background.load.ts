import type { Client } from '../../test/support/system';
import { now, sleep } from './clock';

/**
 * Background load: `load` PATCHes per second to the organisations `ids`, round-robin, from now
 * until `stop()`; it never rejects — a failed PATCH stops the load and `stop()` throws it.
 */
export function backgroundLoad(profiles: Client, ids: string[], load: number) {
  const versions = new Map<string, number>();
  let loading = true;
  let writes = 0;
  let failure: unknown;
  const running = (async () => {
    for (let k = 0; loading; k++) {
      const tick = now();
      await Promise.all(
        Array.from({ length: load }, async (_, j) => {
          const id = ids[(k * load + j) % ids.length]!;
          const v = versions.get(id) ?? 1;
          const res = await profiles<{ version: number }>(
            'PATCH',
            `/organisations/${id}`,
            { website: `https://example.org/${k}-${j}` },
            { 'if-match': `"${v}"` },
          );
          if (res.status === 200) versions.set(id, res.body.version);
          writes++;
        }),
      ).catch((e: unknown) => {
        // Stop loading, never reject: the measured PATCHes report what went wrong.
        loading = false;
        failure = e;
      });
      await sleep(Math.max(0, 1000 - (now() - tick)));
    }
  })();
  return {
    /** Stops the load once its current second is over; the PATCHes it sent. */
    async stop(): Promise<number> {
      loading = false;
      await running;
      if (failure) throw new Error(`background PATCHes failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      return writes;
    },
  };
}
