import { makeEnvelope, ORGANISATION_EVENT_TYPES, type OrganisationEvent } from '@lm/contracts';
import type { EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { performance } from 'perf_hooks';
import { createElasticsearchClient } from '../data/elasticsearch.client';
import { INDEX_SETTINGS, ORGANISATION_MAPPING } from '../data/organisation.mapping';
import { toOrganisationDoc } from '../domain/organisation-doc';
import { buildMatchQuery } from '../domain/scoring/match-query';
import { applyOrganisationEvents } from '../usecases/index-organisations.usecase';
import { findMatches } from '../usecases/find-matches.usecase';
import { createMatchingDeps } from '../wiring';
import { syntheticOrganisation } from './synthetic';

/**
 * `npm run bench -w services/matching [-- --n 100000 --queries 300 --concurrency 4 --batch 1000]`
 * 1. indexing: the service's indexing path (normalise + external-version _bulk, no top-N
 *    recomputation) next to a raw _bulk of the very same documents;
 * 2. matching: the use case (mget profile + feedback, one search, explanations) next to the raw
 *    Elasticsearch search of the same body; p50/p95 and requests/s, and the overhead ratio.
 * Organisations are generated deterministically (seed) in batches: memory stays flat.
 */
function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const noProducer: EventProducer = { connect: async () => undefined, publish: async () => undefined, sendRaw: async () => undefined, disconnect: async () => undefined };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(ids: string[], concurrency: number, fn: (id: string) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const t = performance.now();
        await fn(id);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: ids.length / seconds };
}

async function main() {
  const n = arg('n', 100_000);
  const batch = arg('batch', 1000);
  const queries = arg('queries', 300);
  const concurrency = arg('concurrency', 4);
  const seed = arg('seed', 42);
  const es = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
  const logger = createLogger({ service: 'matching-bench', level: 'warn' });
  const alias = `bench-${Date.now()}`;
  const rawIndex = `${alias}-raw`;
  const deps = await createMatchingDeps({ es, alias, producer: noProducer, logger, settings: { suggestionsTopic: 'unused' } });
  await es.indices.create({ index: rawIndex, settings: INDEX_SETTINGS, mappings: ORGANISATION_MAPPING as never });
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`bench: ${n} synthetic organisations (seed ${seed}), batches of ${batch}, ${queries} match queries at concurrency ${concurrency}`);

  try {
    let serviceMs = 0;
    let rawMs = 0;
    for (let from = 0; from < n; from += batch) {
      const orgs = Array.from({ length: Math.min(batch, n - from) }, (_, k) => syntheticOrganisation(from + k, seed));
      const events = orgs.map((o) => makeEnvelope({ type: ORGANISATION_EVENT_TYPES.upserted, key: o.id, source: 'bench', data: { organisation: o, version: 1 } }) as unknown as OrganisationEvent);
      let t = performance.now();
      await applyOrganisationEvents(deps, events, { recompute: false });
      serviceMs += performance.now() - t;
      // The same documents, already normalised, in a plain _bulk (no versioning): the floor.
      const operations = orgs.flatMap((o) => [{ index: { _index: rawIndex, _id: o.id } }, toOrganisationDoc(o, 1)]);
      t = performance.now();
      const res = await es.bulk({ operations });
      rawMs += performance.now() - t;
      if (res.errors) throw new Error('raw bulk reported errors');
      if ((from / batch) % 10 === 0) out(`  indexed ${Math.min(from + batch, n)}/${n} (${Math.round((Math.min(from + batch, n) / n) * 100)}%)`);
    }
    await Promise.all([es.indices.refresh({ index: alias }), es.indices.refresh({ index: rawIndex })]);
    const svcRate = n / (serviceMs / 1000);
    const rawRate = n / (rawMs / 1000);
    out(`\nindexing   service path ${svcRate.toFixed(0)} docs/s   raw _bulk ${rawRate.toFixed(0)} docs/s   overhead ×${(rawRate / svcRate).toFixed(2)}`);

    // Companies are 70 % of the population: sample ids deterministically and keep the companies.
    const sample: string[] = [];
    for (let i = 0; sample.length < queries && i < n * 4; i++) {
      const id = (i * 7919) % n;
      if (syntheticOrganisation(id, seed).kind === 'company') sample.push(`syn-${id}`);
    }
    const q = { kinds: ['research_centre', 'investor'] as const, limit: 20 };
    // Same shape, built beforehand from the same profiles: what Elasticsearch alone costs.
    const bodies = new Map(sample.map((id) => [id, buildMatchQuery(toOrganisationDoc(syntheticOrganisation(Number(id.slice(4)), seed), 1), { ...q, size: q.limit }, deps.weights)]));
    await timed(sample.slice(0, 20), concurrency, (id) => es.search({ index: alias, ...bodies.get(id)! })); // warm-up
    const raw = await timed(sample, concurrency, (id) => es.search({ index: alias, ...bodies.get(id)! }));
    const svc = await timed(sample, concurrency, (id) => findMatches(deps, id, q, () => 'en'));
    const f = (x: number) => x.toFixed(1);
    out(`matching   service use case p50 ${f(svc.p50)} ms  p95 ${f(svc.p95)} ms  ${svc.rps.toFixed(0)} req/s`);
    out(`           raw ES search    p50 ${f(raw.p50)} ms  p95 ${f(raw.p95)} ms  ${raw.rps.toFixed(0)} req/s`);
    out(`           overhead ratio (service p50 / raw p50) ×${(svc.p50 / raw.p50).toFixed(2)}, throughput ×${(raw.rps / svc.rps).toFixed(2)}`);
  } finally {
    if (!process.argv.includes('--keep')) {
      const indices = [...(await deps.index.concreteIndices()), deps.topn.index, deps.feedback.index, rawIndex];
      await es.indices.delete({ index: indices, ignore_unavailable: true });
    }
    await es.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
