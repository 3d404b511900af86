import type { Connection } from 'mongoose';
import { createRepos, ensureIndexes } from './data/repositories';
import type { Repos } from './domain/events.ports';

/**
 * The events service's adapters on one database (main, tests, benches): indexes ensured, the
 * repositories the use cases and consumers work over. `onChange` is called after each write
 * that leaves outbox work (the relay's kick).
 */
export async function createEventsDeps(conn: Connection, opts: { onChange?: () => void } = {}): Promise<{ repos: Repos }> {
  await ensureIndexes(conn);
  return { repos: createRepos(conn, () => opts.onChange?.()) };
}
