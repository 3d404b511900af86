import { makeEnvelope, ORGANISATION_EVENT_TYPES, type OrganisationEvent, type OrganisationKind } from '@lm/contracts';
import { createKafka, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { createTestAuth, startReadyService, type RunningService } from '@lm/testing';
import { existsSync, readFileSync } from 'fs';
import os from 'os';
import { performance } from 'perf_hooks';
import { createElasticsearchClient } from '../data/elasticsearch.client';
import { SERVING_SOURCES } from '../data/topn.store';
import type { OrganisationDoc } from '../domain/organisation-doc';
import { buildMatchQuery } from '../domain/scoring/match-query';
import { applyOrganisationEvents } from '../domain/index-organisations.usecase';
import { recomputeTopN } from '../domain/recompute-topn.usecase';
import { createMatchingDeps, type MatchingWiring } from '../wiring';
import { runAlternating, runLoad, type LoadRequest, type LoadResult } from './load';
import { syntheticOrganisation } from './synthetic';

/**
 * `npm run bench -w services/matching [-- --n 100000 --sample 1000 --seconds 20 --rounds 4 --connections 10 --filtered-connections 4 --keep | --alias NAME [--setup-only]]`
 *
 * Read path over HTTP, at the size users have. Set-up (not measured): `n` organisations through
 * the service's indexing use case, and the stored top-N of `sample` companies through the
 * pipeline's recompute use case. Then the compiled service runs as a child process on that alias
 * (JWT auth, JSON, logs) and autocannon loads, for `seconds` each, in this one run:
 *   default   GET /organisations/:id/matches            vs the raw Elasticsearch request it sends
 *             (the `_mget` of its stored ranking; the re-scoring search or the live query when that is stale)
 *   filtered  GET /organisations/:id/matches?s3Area=…   vs the raw search of the same shape
 * plus, for reference, the raw re-scoring search (two-stage) and the raw full live query the
 * default request needed before. Each service load and its raw baseline alternate in `rounds`
 * runs (other processes share the cores: a burst of theirs then weighs on both sides), and the
 * service's own CPU per request is read from /proc. p50/p95/p99 and requests/s; every run checks
 * that all answers were 2xx. The 1-min load average is printed before and after each comparison.
 */
function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const noProducer: EventProducer = {
  connect: async () => undefined,
  publish: async () => undefined,
  sendRaw: async () => undefined,
  disconnect: async () => undefined,
};
const KINDS: readonly OrganisationKind[] = ['research_centre', 'investor'];
const AUTH = { issuer: 'bench-issuer', audience: 'bench-audience' };
const out = (s: string) => process.stdout.write(`${s}\n`);

/** The search the service sends, as a raw `_search` request (include_named_queries_score is a URL parameter). */
function rawSearch(alias: string, body: Record<string, unknown>): LoadRequest {
  const { include_named_queries_score: _n, ...rest } = body;
  return {
    method: 'POST',
    path: `/${alias}/_search?include_named_queries_score=true`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rest),
  };
}

/** The one `_mget` the service sends for a default request served from the stored ranking (see TopNStore.servingState). */
function rawServingMget(deps: MatchingWiring, companyId: string): LoadRequest {
  const docs = [
    { _index: deps.index.alias, _id: companyId, _source: SERVING_SOURCES.company },
    { _index: deps.feedback.index, _id: companyId, _source: SERVING_SOURCES.feedback },
    { _index: deps.topn.index, _id: companyId, _source: SERVING_SOURCES.topN },
  ];
  return { method: 'POST', path: '/_mget', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) };
}

function row(label: string, r: LoadResult): string {
  const f = (x: number) => x.toFixed(1).padStart(7);
  const bad = r.non2xx + r.errors ? `   !! ${r.non2xx} non-2xx, ${r.errors} errors` : '';
  return `  ${label.padEnd(44)}${f(r.p50)}${f(r.p95)}${f(r.p99)} ${r.rps.toFixed(0).padStart(7)}${bad}`;
}

const share = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${Math.round((v / Object.values(counts).reduce((a, b) => a + b, 0)) * 100)} %`)
    .join(', ');

async function main() {
  const n = arg('n', 100_000);
  const sampleSize = arg('sample', 1000);
  const seconds = arg('seconds', 20);
  const connections = arg('connections', 10);
  const filteredConnections = arg('filtered-connections', 4);
  const rounds = arg('rounds', 4);
  const seed = arg('seed', 42);
  const esUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const es = createElasticsearchClient(esUrl);
  const logger = createLogger({ service: 'matching-bench', level: 'warn' });
  // --alias NAME: set up under that alias once and keep it; a later run with the same alias and n reuses the index.
  const named = process.argv.indexOf('--alias');
  const alias = named >= 0 ? process.argv[named + 1]! : `bench-matching-${Date.now()}`;
  const keep = named >= 0 || process.argv.includes('--keep');
  const deps = await createMatchingDeps({ es, alias, producer: noProducer, logger, settings: { suggestionsTopic: 'unused' } });
  const topics = { organisations: `${alias}-orgs`, suggestions: `${alias}-sugg` };
  let service: RunningService | undefined;
  out(`matching bench ${new Date().toISOString()}: ${n} synthetic organisations (seed ${seed}), ${sampleSize} companies with a stored top-N, alias ${alias}`);

  try {
    let t = performance.now();
    const present = (await es.count({ index: alias })).count;
    if (present === n) out(`  set-up: reusing the ${n} organisations already indexed under ${alias}`);
    else if (present) throw new Error(`${alias} holds ${present} organisations, not ${n}`);
    for (let from = 0, batch = 1000; from < n && present !== n; from += batch) {
      const events = Array.from({ length: Math.min(batch, n - from) }, (_, k) => {
        const o = syntheticOrganisation(from + k, seed);
        return makeEnvelope({
          type: ORGANISATION_EVENT_TYPES.upserted,
          key: o.id,
          source: 'bench',
          data: { organisation: o, version: 1 },
        }) as unknown as OrganisationEvent;
      });
      await applyOrganisationEvents(deps, events, { recompute: false });
      if ((from / batch) % 20 === 0) out(`  set-up: indexed ${Math.min(from + batch, n)}/${n}`);
    }
    await deps.index.refresh();
    if (present !== n) out(`  set-up: ${n} organisations indexed in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    // Companies are 70 % of the population: sample ids deterministically and keep the companies.
    const sample: string[] = [];
    for (let i = 0; sample.length < sampleSize && i < n * 4; i++) {
      const id = (i * 7919) % n;
      if (syntheticOrganisation(id, seed).kind === 'company') sample.push(`syn-${id}`);
    }
    t = performance.now();
    for (let i = 0; i < sample.length; i += 200) {
      await recomputeTopN(deps, sample.slice(i, i + 200));
      out(`  set-up: stored top-N ${Math.min(i + 200, sample.length)}/${sample.length}`);
    }
    out(`  set-up: top-N of ${sample.length} companies in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    // --setup-only (with --alias): the heavy set-up outside `flock /work/bench.lock`, the measured runs later under it.
    if (process.argv.includes('--setup-only')) return;

    const auth = createTestAuth(AUTH);
    const authorization = auth.bearer({ sub: 'bench-staff', role: 'hub_staff' });
    service = await startReadyService('matching', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ELASTICSEARCH_URL: esUrl,
      KAFKA_BROKERS: brokers,
      ES_INDEX_ALIAS: alias,
      KAFKA_GROUP_ID: alias,
      ORGANISATIONS_TOPIC: topics.organisations,
      SUGGESTIONS_TOPIC: topics.suggestions,
      ...auth.env,
    });

    const companies = new Map((await deps.index.getMany(sample)).map((d, i) => [sample[i]!, d!]));
    const stored = await deps.topn.getMany(sample);
    const s3Of = (id: string) => companies.get(id)!.s3Areas![0]!;
    const httpGet = (path: string): LoadRequest => ({ method: 'GET', path, headers: { authorization } });
    const defaultPaths = sample.map((id) => httpGet(`/organisations/${id}/matches`));
    const filteredPaths = sample.map((id) => httpGet(`/organisations/${id}/matches?s3Area=${s3Of(id)}`));

    // Which path the service takes per company (also warms it up): the raw baseline replays that very search.
    const probe = async (p: LoadRequest) => {
      const res = await fetch(`${service!.url}${p.path}`, { headers: p.headers });
      if (res.status !== 200) throw new Error(`probe ${p.path}: ${res.status} ${await res.text()}`);
      return res.headers.get('x-ranking-source');
    };
    const pooled = (company: OrganisationDoc, id: string, extra: { s3Area?: string }) =>
      buildMatchQuery(
        company,
        { kinds: KINDS, size: stored.get(id)!.doc!.candidateIds.length, only: stored.get(id)!.doc!.candidateIds, ...extra },
        deps.weights,
      );
    const live = (company: OrganisationDoc, extra: { s3Area?: string }) => buildMatchQuery(company, { kinds: KINDS, size: 20, ...extra }, deps.weights);
    const rawDefault: LoadRequest[] = [];
    const rawFiltered: LoadRequest[] = [];
    const rawRescoring = sample.map((id) => rawSearch(alias, pooled(companies.get(id)!, id, {})));
    for (const [i, id] of sample.entries()) {
      const company = companies.get(id)!;
      const source = await probe(defaultPaths[i]!);
      rawDefault.push(source === 'stored' ? rawServingMget(deps, id) : rawSearch(alias, source === 'top_n' ? pooled(company, id, {}) : live(company, {})));
      const filter = { s3Area: s3Of(id) };
      rawFiltered.push(rawSearch(alias, (await probe(filteredPaths[i]!)) === 'top_n' ? pooled(company, id, filter) : live(company, filter)));
    }
    const rawLiveDefault = sample.map((id) => rawSearch(alias, live(companies.get(id)!, {})));

    const loadAverages: string[] = [];
    const warmUp = (url: string, requests: LoadRequest[], c: number) => runLoad({ url, connections: c, seconds: Math.min(3, seconds), requests });
    const withLoadAverage = async <T>(run: () => Promise<T>) => {
      const before = os.loadavg()[0]!.toFixed(1);
      const result = await run();
      loadAverages.push(`${before}→${os.loadavg()[0]!.toFixed(1)}`);
      return result;
    };
    const load = async (url: string, requests: LoadRequest[], c: number) => {
      await warmUp(url, requests, c);
      return withLoadAverage(() => runLoad({ url, connections: c, seconds, requests }));
    };
    // The service's own CPU (user + system, all its threads) per request it answered, on Linux.
    const serviceCpu = { default: 0, filtered: 0 };
    const cpuMs = () => {
      const stat = readFileSync(`/proc/${service!.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(stat[11]) + Number(stat[12])) * (1000 / 100); // clock ticks (100 Hz) → ms
    };
    /** The service and its raw baseline alternating in `rounds` runs of `seconds / rounds` (runAlternating). */
    const compare = async (requests: LoadRequest[], raw: LoadRequest[], c: number, which: keyof typeof serviceCpu) => {
      await warmUp(service!.url, requests, c);
      await warmUp(esUrl, raw, c);
      let cpu = 0;
      const measure = async <T>(side: 'a' | 'b', run: () => Promise<T>) => {
        const before = side === 'a' && existsSync('/proc/self/stat') ? cpuMs() : undefined;
        const result = await run();
        if (before !== undefined) cpu += cpuMs() - before;
        return result;
      };
      const [svc, es] = await withLoadAverage(() =>
        runAlternating(
          { url: service!.url, connections: c, seconds, requests, countHeader: 'x-ranking-source' },
          { url: esUrl, connections: c, seconds, requests: raw },
          rounds,
          measure,
        ),
      );
      serviceCpu[which] = cpu / svc.requests;
      return [svc, es] as const;
    };
    const loadBefore = os.loadavg()[0]!.toFixed(1);
    const [svcDefault, esDefault] = await compare(defaultPaths, rawDefault, connections, 'default');
    const esRescoring = await load(esUrl, rawRescoring, connections);
    const esLiveDefault = await load(esUrl, rawLiveDefault, connections);
    const [svcFiltered, esFiltered] = await compare(filteredPaths, rawFiltered, filteredConnections, 'filtered');
    const [laDefault, laRescoring, laLive, laFiltered] = loadAverages;

    out(
      `\nautocannon, ${seconds} s per load after a ${Math.min(3, seconds)} s warm-up (each service load and its raw baseline alternating in ${rounds} runs of ${seconds / rounds} s), ${sample.length} companies in rotation, hub_staff JWT; ms / req/s`,
    );
    out(
      `machine: ${os.cpus().length} cores, 1-min load average ${loadBefore} before the runs, ${os.loadavg()[0]!.toFixed(1)} after (other processes share the cores)`,
    );
    out(`  ${''.padEnd(44)}    p50    p95    p99   req/s   1-min load avg before→after`);
    out(`default  GET /organisations/:id/matches (${connections} connections; served: ${share(svcDefault.byHeader)})`);
    out(`${row('service over HTTP', svcDefault)}   ${laDefault} (both rows)`);
    out(`${row('raw ES, the request it sends (_mget)', esDefault)}`);
    out(`${row('raw ES, re-scoring search (two-stage, ref.)', esRescoring)}   ${laRescoring}`);
    out(`${row('raw ES, full live query (reference)', esLiveDefault)}   ${laLive}`);
    out(`filtered GET /organisations/:id/matches?s3Area=<company's first> (${filteredConnections} connections; served: ${share(svcFiltered.byHeader)})`);
    out(`${row('service over HTTP', svcFiltered)}   ${laFiltered} (both rows)`);
    out(`${row('raw ES, same shape', esFiltered)}`);
    out(
      `service process CPU per request (user + system, all threads): default ${serviceCpu.default.toFixed(2)} ms, filtered ${serviceCpu.filtered.toFixed(2)} ms`,
    );
    const x = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
    out(
      `\nservice / raw ES: default p50 ${x(svcDefault.p50, esDefault.p50)} p95 ${x(svcDefault.p95, esDefault.p95)} req/s ${x(esDefault.rps, svcDefault.rps)}; filtered p50 ${x(svcFiltered.p50, esFiltered.p50)} p95 ${x(svcFiltered.p95, esFiltered.p95)} req/s ${x(esFiltered.rps, svcFiltered.rps)}`,
    );
    const ok = (b: boolean) => (b ? 'met' : 'NOT met');
    out(
      `targets: default p95 ≤ 50 ms ${ok(svcDefault.p95 <= 50)}, ≥ 300 req/s ${ok(svcDefault.rps >= 300)}; filtered p95 ≤ 250 ms ${ok(svcFiltered.p95 <= 250)}, p95 ≤ 1.3× raw ${ok(svcFiltered.p95 <= 1.3 * esFiltered.p95)}`,
    );
    for (const r of [svcDefault, esDefault, esRescoring, esLiveDefault, svcFiltered, esFiltered]) if (r.non2xx || r.errors) process.exitCode = 1;
  } finally {
    await service?.stop();
    if (!keep) {
      const indices = [...(await deps.index.concreteIndices()), deps.topn.index, deps.feedback.index];
      await es.indices.delete({ index: indices, ignore_unavailable: true });
      const admin = createKafka({ brokers: brokers.split(','), clientId: 'matching-bench', logger }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    }
    await es.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
