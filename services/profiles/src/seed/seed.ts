import type { Organisation } from '@lm/contracts';
import { generateDemoEcosystem, syntheticOrganisation } from '../domain/demo-data/generator';
import { upsertedEvent } from '../domain/organisation.events';
import { nextState } from '../domain/organisation.merge';
import type { OrganisationStore } from '../domain/organisation.store';
import type { OrganisationUseCases } from '../domain/organisation.usecases';
import { validateInput, withItemIds } from '../domain/organisation.validation';
import type { OrganisationInput } from '@lm/contracts';

export interface SeedDeps {
  store: OrganisationStore;
  organisations: OrganisationUseCases;
  onProgress?: (done: number, total: number) => void;
}

/** The demo ecosystem through the use case (validation, version 1, outbox event) — one by one. */
export async function seedDemo(deps: SeedDeps, opts: { seed?: number; total?: number; concurrency?: number } = {}): Promise<number> {
  const all = generateDemoEcosystem({ seed: opts.seed, total: opts.total });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < all.length) {
      const o = all[next++]!;
      await deps.organisations.createValidated(validateInput(o.input), o.id);
      deps.onProgress?.(++done, all.length);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return done;
}

/**
 * Large synthetic sets: batched inserts (one `insertMany` per batch), each document still with
 * its `organisation.upserted` event in its outbox, so consumers see every organisation.
 * Validation is skipped here on purpose (the generator is unit-tested against the schema).
 */
export async function seedSynthetic(
  deps: SeedDeps,
  opts: { count: number; seed: number; batchSize?: number; now?: Date; /** First index to insert (resume a partial seed). */ start?: number },
): Promise<number> {
  // Large batches: each becomes a few unordered inserts per partition (see data/organisation.repository).
  const batchSize = opts.batchSize ?? 5000;
  const now = opts.now ?? new Date();
  let inserted = 0;
  for (let start = opts.start ?? 0; start < opts.count; start += batchSize) {
    const items: { organisation: Organisation; event: string }[] = [];
    for (let i = start; i < Math.min(opts.count, start + batchSize); i++) {
      const o = syntheticOrganisation(opts.seed, i);
      const organisation = nextState(o.id, withItemIds(o.input as unknown as OrganisationInput), undefined, now);
      items.push({ organisation, event: upsertedEvent(organisation) });
    }
    inserted += items.length - (await deps.store.insertMany(items)).refused.length;
    deps.onProgress?.(Math.min(opts.count, start + batchSize), opts.count);
  }
  return inserted;
}
