import { createLogger } from '@lm/logger';
import { connectMongo, insertManyIgnoringDuplicates } from '@lm/mongo';
import { createTestAuth, startReadyService } from '@lm/testing';
import { loadProfilesConfig } from '../config';
import { LOCKS_COLLECTION } from '../data/organisation.locks';
import { organisationCollections, sideDatabases } from '../data/organisation.model';
import { markId } from '../data/outbox.pending';
import { groupBy } from '../domain/batching';

const USAGE = `npm run bench:startup -w services/profiles -- (--db s10_bench_100000 | --backlog 32000 [--drop]) [--runs 3]
Starts the compiled service on --db (an existing, seeded database; written only by the started
service) --runs times and prints the time from spawn to /readyz 200, beside the raw engine cost
of the reads the layout migration of earlier versions made on every start (read-only, raw driver).
--backlog N: on a database of its own (profiles_startup_backlog_N) holding only N pending marks
of ~2 KB (as a seed leaves them before the relay drained them), filled once; --drop removes it
after the runs.`;

function args() {
  const get = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const backlog = Number(get('--backlog') ?? 0);
  const db = get('--db') ?? (backlog ? `profiles_startup_backlog_${backlog}` : undefined);
  const runs = Number(get('--runs') ?? 3);
  if (!db || !Number.isInteger(runs) || runs <= 0 || !Number.isInteger(backlog) || backlog < 0) throw new Error(USAGE);
  return { db, runs, backlog, drop: process.argv.includes('--drop') };
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

const connect = (db: string) =>
  connectMongo({ uri: loadProfilesConfig().MONGODB_URI, dbName: db, logger: createLogger({ service: 'profiles-bench', level: 'error' }) });

/** `n` pending marks of the current layout spread over the pending partitions (inserted once; kept between runs). */
async function fillBacklog(db: string, n: number, partitions: number): Promise<void> {
  const conn = await connect(db);
  const c = organisationCollections(conn, { partitions });
  const lastOrg = `backlog-org-${n - 1}`;
  if (!(await c.pending.of(lastOrg).findOne({ _id: markId(lastOrg, 1) }))) {
    log(`filling ${db} with ${n} pending marks`);
    const env = JSON.stringify({ type: 'organisation.upserted', data: { version: 1, padding: 'x'.repeat(2000) } });
    const marks = Array.from({ length: n }, (_, i) => ({ _id: markId(`backlog-org-${i}`, 1), org: `backlog-org-${i}`, v: 1, env, at: Date.now() }));
    for (const group of groupBy(marks, (m) => c.pending.indexOf(m.org)))
      for (let i = 0; i < group.length; i += 500) await insertManyIgnoringDuplicates(c.pending.of(group[0]!.org), group.slice(i, i + 500));
  }
  await conn.close();
}

async function dropDatabases(db: string): Promise<void> {
  const conn = await connect(db);
  for (const side of Object.values(sideDatabases(conn))) await side.dropDatabase();
  await conn.dropDatabase();
  await conn.close();
}

/** The statements the start-up migration made before it was recorded per database: one read per legacy partition. */
async function legacyReadsMs(db: string, partitions: number): Promise<{ ms: number; statements: number }> {
  const conn = await connect(db);
  const c = organisationCollections(conn, { partitions });
  const missingIsEmpty = (e: unknown) => ((e as { code?: number }).code === 26 ? [] : Promise.reject(e));
  const t0 = performance.now();
  let statements = 1;
  await conn
    .db!.collection(LOCKS_COLLECTION)
    .find({}, { projection: { _id: 1 } })
    .toArray();
  for (const col of [...c.legacyPending.all(), ...c.legacyKeys.all()]) {
    await col.find({}).limit(200).toArray().catch(missingIsEmpty);
    statements++;
  }
  for (const col of c.pending.all()) {
    await col
      .find({ env: { $exists: false } })
      .limit(200)
      .toArray()
      .catch(missingIsEmpty);
    statements++;
  }
  const ms = performance.now() - t0;
  await conn.close();
  return { ms, statements };
}

async function main() {
  const a = args();
  const config = loadProfilesConfig();
  const auth = createTestAuth({ issuer: 'profiles-bench', audience: 'profiles-bench' });
  // Start-up only: no relay, no projection (they would publish and index the database's backlog).
  const env = {
    ...auth.env,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    MONGODB_DB: a.db,
    ORGANISATIONS_TOPIC: `profiles-bench-${a.db}`,
    SEARCH_INDEX: `profiles-bench-${a.db}`.toLowerCase(),
    RELAY_ENABLED: 'false',
    SEARCH_PROJECTION_ENABLED: 'false',
  };
  if (a.backlog) await fillBacklog(a.db, a.backlog, config.ORGANISATION_PARTITIONS);
  const starts: number[] = [];
  for (let i = 0; i < a.runs; i++) {
    const t0 = performance.now();
    const svc = await startReadyService('profiles', env, { timeoutMs: 300_000 });
    starts.push(performance.now() - t0);
    const migration = svc
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{') && /migrat|moving|converting/.test(l))
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    log(`start ${i + 1}: /readyz after ${starts[i]!.toFixed(0)} ms${migration.length ? ` (${[...new Set(migration)].join('; ')})` : ''}`);
    await svc.stop();
  }
  const raw = await legacyReadsMs(a.db, config.ORGANISATION_PARTITIONS);
  // After every service stopped: nothing writes to them any more.
  if (a.drop) await dropDatabases(a.db);
  log(`raw engine: the legacy reads of the earlier start-up migration (${raw.statements} statements) ${raw.ms.toFixed(0)} ms`);
  process.stdout.write(
    `${JSON.stringify({ db: a.db, startsMs: starts.map((s) => Math.round(s)), rawLegacyReadsMs: Math.round(raw.ms), rawLegacyStatements: raw.statements })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
