import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, startReadyService } from '@lm/testing';
import { loadProfilesConfig } from '../config';
import { LOCKS_COLLECTION } from '../data/organisation.locks';
import { organisationCollections } from '../data/organisation.model';

const USAGE = `npm run bench:startup -w services/profiles -- --db s10_bench_100000 [--runs 3]
Starts the compiled service on --db (an existing, seeded database; written only by the started
service) --runs times and prints the time from spawn to /readyz 200, beside the raw engine cost
of the reads the layout migration of earlier versions made on every start (read-only, raw driver).`;

function args() {
  const get = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const db = get('--db');
  const runs = Number(get('--runs') ?? 3);
  if (!db || !Number.isInteger(runs) || runs <= 0) throw new Error(USAGE);
  return { db, runs };
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

/** The statements the start-up migration made before it was recorded per database: one read per legacy partition. */
async function legacyReadsMs(db: string, partitions: number): Promise<{ ms: number; statements: number }> {
  const conn = await connectMongo({ uri: loadProfilesConfig().MONGODB_URI, dbName: db, logger: createLogger({ service: 'profiles-bench', level: 'error' }) });
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
  log(`raw engine: the legacy reads of the earlier start-up migration (${raw.statements} statements) ${raw.ms.toFixed(0)} ms`);
  process.stdout.write(
    `${JSON.stringify({ db: a.db, startsMs: starts.map((s) => Math.round(s)), rawLegacyReadsMs: Math.round(raw.ms), rawLegacyStatements: raw.statements })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
