import { createHash } from 'crypto';
import os from 'os';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, startReadyService } from '@lm/testing';
import { loadProfilesConfig } from '../config';
import { createElasticsearchClient, createOrganisationSearchIndex } from '../data/organisation.search-index';
import { rebuildSearchIndex } from '../data/search.rebuild';
import { syntheticOrganisation } from '../domain/demo-data/generator';
import { createOrganisationUseCases } from '../domain/organisation.usecases';
import { seedSynthetic } from '../seed/seed';
import { createProfilesDeps } from '../wiring';
import { formatTable, runHttp, runRaw, type Figure } from './http.load';
import { createRawShapes } from './raw.shapes';

const USAGE = `npm run bench -w services/profiles -- [--n 100000] [--db name] [--duration 5] [--connections 4] [--import-rows 1000] [--relay-wait 300] [--discard-backlog] [--writes-only]
Seeds --n synthetic organisations into --db (kept between runs: seeding 100,000 takes minutes),
starts the compiled service on a free port, and measures its HTTP API with autocannon, each
figure beside a raw engine call of the same shape in the same run.`;

function args() {
  const get = (flag: string, def: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? (process.argv[i + 1] ?? def) : def;
  };
  const int = (flag: string, def: number) => {
    const v = Number(get(flag, String(def)));
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer\n${USAGE}`);
    return v;
  };
  const n = int('--n', 10_000);
  return {
    n,
    db: get('--db', `profiles_bench_${n}`),
    durationSec: int('--duration', 5),
    connections: int('--connections', 4),
    importRows: int('--import-rows', 1000),
    relayWaitSec: int('--relay-wait', 300),
    discardBacklog: process.argv.includes('--discard-backlog'),
    /** Only create and patch (quick comparisons of write paths; the README figures come from full runs). */
    writesOnly: process.argv.includes('--writes-only'),
  };
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const staff = { sub: 'bench-staff', role: 'hub_staff' as const };

async function main() {
  const a = args();
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles-bench', level: 'error' });
  const conn = await connectMongo({ uri: config.MONGODB_URI, dbName: a.db, logger });
  const { collections, store, migrateLayout } = createProfilesDeps(conn, { layout: { partitions: config.ORGANISATION_PARTITIONS } });
  // What the service does on start, done here first: moving the keys of a database seeded by an
  // earlier version takes longer than the service's readiness wait.
  const migrating = performance.now();
  const migrated = await migrateLayout();
  if (Object.values(migrated).some((n) => n > 0))
    log(`data layout migrated in ${((performance.now() - migrating) / 1000).toFixed(1)} s: ${JSON.stringify(migrated)}`);
  // Seeded already when the last synthetic organisation exists (counting 100,000 documents
  // over 256 tables is slow on a loaded machine); otherwise resume from the live count.
  const seeded = !!(await store.findById(syntheticOrganisation(42, a.n - 1).id));
  const have = seeded ? a.n : await store.countLive();
  if (have < a.n) {
    log(`seeding ${a.n - have} synthetic organisations into ${a.db}`);
    const t0 = performance.now();
    // Synthetic ids are deterministic (seed 42, index i): the missing tail is inserted.
    await seedSynthetic({ store, organisations: createOrganisationUseCases({ store }) }, { count: a.n, seed: 42, start: have });
    log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const stamp = Date.now().toString(36);
  const searchIndex = `profiles-bench-${a.db}`.toLowerCase();
  // The compiled service as its own process, as in production: the load generator and the service do not share an event loop.
  const auth = createTestAuth({ issuer: 'profiles-bench', audience: 'profiles-bench' });
  const serviceEnv = {
    ...auth.env,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    MONGODB_DB: a.db,
    ORGANISATIONS_TOPIC: `profiles-bench-${a.db}`,
    SEARCH_INDEX: searchIndex,
  };
  const startProfiles = () => startReadyService('profiles', serviceEnv, { echo: true });
  let svc = await startProfiles();
  const raw = await createRawShapes(conn, config, searchIndex);
  const ids = (i: number) => syntheticOrganisation(42, (i * 7919) % a.n).id;
  const rows: { ours: Figure; raw?: Figure }[] = [];
  const push = rows.push.bind(rows);
  rows.push = (...r) => {
    for (const x of r)
      log(
        `${x.ours.name}: p50 ${x.ours.p50.toFixed(1)} ms, p95 ${x.ours.p95.toFixed(1)} ms, ${x.ours.rps.toFixed(1)}/s${x.raw ? ` | ${x.raw.name}: p50 ${x.raw.p50.toFixed(1)} ms, p95 ${x.raw.p95.toFixed(1)} ms, ${x.raw.rps.toFixed(1)}/s` : ''}`,
      );
    return push(...r);
  };
  const rawN = Math.max(20, a.durationSec * 20);
  try {
    // The seeded organisations' events go out through the relay, then into the read model.
    log('relay: draining the outbox (seeded organisations)');
    const drained = await raw.relayDrain(svc.url, a.relayWaitSec * 1000);
    log(`${drained.name}: ${drained.rps.toFixed(0)} events/s`);
    if (a.discardBacklog && (await raw.backlog(svc.url)) > 0) {
      // The seeded organisations' events would keep the relay busy for hours behind every
      // scenario; the read model is rebuilt from the database below instead. With the service
      // stopped (no writer on this database) their pending marks are dropped.
      log('discarding the seeded backlog (--discard-backlog): stopping the service, dropping the pending marks');
      await svc.stop();
      for (const col of collections.pending.all()) await col.drop().catch(() => undefined);
      svc = await startProfiles();
    }
    const token = auth.tokenFor(staff);
    const base = { url: svc.url, token, connections: a.connections, durationSec: a.durationSec };
    await waitListed(svc.url, token);
    if ((await raw.indexed()) < a.n * 0.99) {
      // A relay on a loaded machine takes long to publish 100,000 seeded events: the read model
      // is completed from the database (npm run reindex), as an operator would.
      log('search index incomplete: rebuilding it from the database (npm run reindex)');
      const t0 = performance.now();
      const n = await rebuildSearchIndex(collections, createOrganisationSearchIndex(createElasticsearchClient(config.ELASTICSEARCH_URL), searchIndex));
      log(`indexed ${n} organisations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    log(`search index holds ${await raw.indexed()} organisations`);
    const lists: [string, string][] = [
      ['list ?limit=20', ''],
      ['list ?kind=research_centre', 'kind=research_centre'],
      ['list ?s3Area=aerospace', 's3Area=aerospace'],
      ['list ?specialty=cell_therapy', 'specialty=cell_therapy'],
      ['list ?province=BG', 'province=BG'],
      ['list ?q=bio (full text)', 'q=bio'],
      ['list ?limit=100', 'limit=100'],
    ];
    for (const [name, qs] of a.writesOnly ? [] : lists) {
      log(name);
      const ours = await runHttp({ ...base, name, request: () => ({ path: `/organisations?${qs}` }) });
      rows.push({ ours, raw: await runRaw(raw.list.name, rawN, a.connections, () => raw.list.run(new URLSearchParams(qs))) });
    }
    if (!a.writesOnly) {
      log('get');
      rows.push({
        ours: await runHttp({ ...base, name: 'get /organisations/:id', request: (i) => ({ path: `/organisations/${ids(i)}` }) }),
        raw: await runRaw(raw.get.name, rawN, a.connections, (i) => raw.get.run(ids(i))),
      });
    }
    log('create');
    rows.push({
      ours: await runHttp({
        ...base,
        name: 'create POST /organisations',
        request: (i) => ({ method: 'POST', path: '/organisations', body: benchInput(`${stamp}c${i}`) }),
      }),
      raw: await runRaw(raw.create.name, rawN, a.connections, (i) => raw.create.run(`${stamp}r${i}`)),
    });
    log('patch');
    // Each request patches another seeded organisation at its current version (read just before):
    // about as many as the scenario's duration takes (~150/s), so its p95 rests on as many samples as the others'.
    const versions = new Map<string, number>();
    const patchIds = Array.from({ length: Math.min(5000, a.durationSec * 150) }, (_, i) => ids(i + 100_003));
    for (const id of patchIds) versions.set(id, (await store.findById(id))?.organisation.version ?? 1);
    rows.push({
      ours: await runHttp({
        ...base,
        name: 'patch PATCH /organisations/:id',
        amount: patchIds.length,
        request: (i) => ({
          method: 'PATCH',
          path: `/organisations/${patchIds[i % patchIds.length]}`,
          body: { legalName: `Bench ${stamp} ${i}` },
          headers: { 'if-match': String(versions.get(patchIds[i % patchIds.length]!)) },
        }),
      }),
      raw: await runRaw(raw.patch.name, rawN, a.connections, (i) => raw.patch.run(ids(i + 200_003), i)),
    });
    if (!a.writesOnly) {
      log(`import of ${a.importRows} rows`);
      const rowsBody = Array.from({ length: a.importRows }, (_, i) => benchInput(`${stamp}i${i}`));
      // The relay row counts from here: the import's events (published while it runs and after).
      const beforeImport = await raw.relaySnapshot(svc.url);
      const t0 = performance.now();
      const res = await fetch(`${svc.url}/organisations:import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(rowsBody),
      });
      const importMs = performance.now() - t0;
      const report = (await res.json()) as { summary?: { created: number; failed: number } };
      log(`import: HTTP ${res.status} in ${(importMs / 1000).toFixed(1)} s ${JSON.stringify(report.summary)}`);
      const rawImport = await raw.importBaseline(a.importRows, `${stamp}ri`);
      rows.push({
        ours: {
          name: `import ${a.importRows} rows (one request)`,
          requests: 1,
          p50: importMs,
          p95: importMs,
          p99: importMs,
          rps: a.importRows / (importMs / 1000),
          errors: res.ok ? (report.summary?.failed ?? 0) : 1,
        },
        raw: rawImport,
      });
      log('relay');
      // From just before the import until the backlog is gone (bounded like the first drain:
      // behind a seeded backlog of 100,000 the relay is measured over the window).
      rows.push({ ours: await raw.relayDrain(svc.url, a.relayWaitSec * 1000, beforeImport), raw: await raw.producerBaseline(2000) });
      // Behind a backlog of seeded events a new write waits its turn in the outbox: write → listed
      // says something only once the backlog is gone.
      const backlog = await raw.backlog(svc.url);
      if (backlog < 1000) {
        log('write → list');
        rows.push({ ours: await writeToList(svc.url, token, stamp) });
      } else log(`write → list not measured: ${backlog} organisations still have unpublished events`);
    }
    const indexed = await raw.indexed();
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    process.stdout.write(
      `\nprofiles bench — ${a.n} organisations in ${a.db} (${indexed} in the search index), ${a.connections} connections, ${a.durationSec} s per scenario, ${new Date().toISOString()}, load average ${load} (1/5/15 min) at the end, ${os.cpus().length} cores\n`,
    );
    process.stdout.write(
      `${formatTable(rows)}\n(p95 of HTTP rows interpolated between autocannon's p90 and p97.5; import and relay rows: rps = rows/s and events/s)\n`,
    );
  } catch (e) {
    // What was measured before the failure is still worth printing.
    if (rows.length) process.stdout.write(`\npartial results (${e instanceof Error ? e.message : String(e)}):\n${formatTable(rows)}\n`);
    throw e;
  } finally {
    await svc.stop();
    await raw.close();
    await conn.close();
  }
}

/** Waits until the projection has caught up with the topic (consumer lag 0) and lists something. */
async function waitListed(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const res = await fetch(`${url}/metrics`);
    const lag = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('kafka_consumer_lag{'))
      .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    const page = await fetch(`${url}/organisations?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    if (page.ok && lag === 0 && ((await page.json()) as { items: unknown[] }).items.length > 0) return;
    if (Date.now() > deadline) throw new Error('the search read model did not catch up within 10 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Create → first list that shows it (q on a unique word), 20 times: how fresh lists are. */
async function writeToList(url: string, token: string, stamp: string): Promise<Figure> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ms: number[] = [];
  for (let i = 0; i < 10; i++) {
    const word = `fresh${stamp}x${i}`;
    const t0 = performance.now();
    await fetch(`${url}/organisations`, { method: 'POST', headers, body: JSON.stringify({ ...benchInput(`${stamp}w${i}`), legalName: `${word} S.r.l.` }) });
    for (;;) {
      const res = await fetch(`${url}/organisations?q=${word}`, { headers });
      if (((await res.json()) as { items: unknown[] }).items.length) break;
      if (performance.now() - t0 > 60_000) throw new Error('a created organisation was not listed within 60 s (outbox backlog?)');
      await new Promise((r) => setTimeout(r, 25));
    }
    ms.push(performance.now() - t0);
  }
  ms.sort((x, y) => x - y);
  return {
    name: 'write → listed (create, poll list?q=)',
    requests: ms.length,
    p50: ms[Math.floor(ms.length / 2)]!,
    p95: ms[ms.length - 1]!,
    p99: ms[ms.length - 1]!,
    rps: 0,
    errors: 0,
  };
}

/** A valid organisation body whose VAT number and website are unique to `tag`. */
function benchInput(tag: string) {
  const digits = String(parseInt(createHash('sha256').update(tag).digest('hex').slice(0, 12), 16) % 1e11).padStart(11, '0');
  return {
    kind: 'company',
    subtype: 'startup',
    legalName: `Bench ${tag} S.r.l.`,
    description: [{ lang: 'en', text: 'Bench organisation for biotech cell therapy manufacturing' }],
    website: `https://bench-${tag}.example.it`,
    vatNumber: `IT${digits}`,
    location: { province: 'MI', city: 'Milano' },
    s3Areas: ['health_life_sciences'],
    specialties: ['cell_therapy'],
    languages: ['it', 'en'],
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
