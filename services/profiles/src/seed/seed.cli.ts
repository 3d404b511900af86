import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { loadProfilesConfig } from '../config';
import { createOrganisationUseCases } from '../domain/organisation.usecases';
import { createProgress } from './progress';
import { seedDemo, seedSynthetic } from './seed';
import { createProfilesDeps } from '../wiring';

const USAGE = `usage: npm run seed -w services/profiles -- [--if-empty] [--synthetic <count>] [--seed <n>]
  (no flag)          load the Lombardy demo ecosystem (~320 organisations)
  --if-empty         do nothing when the database already has organisations (used by npm start)
  --synthetic N      load N synthetic organisations (batched), reproducible with --seed (default 42);
                     into a database that has some already, only the missing tail
Events are written to each document's outbox; the running profiles service publishes them.`;

export function parseArgs(argv: string[]): { ifEmpty: boolean; synthetic?: number; seed?: number } {
  const out: { ifEmpty: boolean; synthetic?: number; seed?: number } = { ifEmpty: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === '--if-empty') out.ifEmpty = true;
    else if (a === '--synthetic') out.synthetic = num();
    else if (a === '--seed') out.seed = num();
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles-seed', level: config.LOG_LEVEL === 'info' ? 'error' : config.LOG_LEVEL });
  const conn = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  try {
    const { store, migrateLayout } = createProfilesDeps(conn, { layout: { partitions: config.ORGANISATION_PARTITIONS } });
    // A database of an earlier version is brought to this layout before keys are written.
    await migrateLayout();
    const existing = await store.countLive();
    if (args.ifEmpty && existing > 0) {
      process.stderr.write(`profiles database "${config.MONGODB_DB}" already has ${existing} organisations: nothing to seed\n`);
      return;
    }
    const organisations = createOrganisationUseCases({ store });
    const label = args.synthetic !== undefined ? `synthetic (seed ${args.seed ?? 42})` : 'Lombardy demo ecosystem';
    let progress: ReturnType<typeof createProgress> | undefined;
    const onProgress = (done: number, total: number) => {
      progress ??= createProgress(`seeding ${label}`, total);
      progress.update(done);
    };
    const n =
      args.synthetic !== undefined
        ? // Synthetic documents are deterministic (seed, index): a second run inserts only the missing tail.
          await seedSynthetic({ store, organisations, onProgress }, { count: args.synthetic, seed: args.seed ?? 42, start: Math.min(existing, args.synthetic) })
        : await seedDemo({ store, organisations, onProgress }, { seed: args.seed });
    (progress ?? createProgress(`seeding ${label}`, n)).done(n);
  } finally {
    await conn.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`\nseed failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
