import { makeEnvelope, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, ensureTopics } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, withBusyRetry } from '@lm/mongo';
import { Schema } from 'mongoose';
import { loadProfilesConfig } from '../config';
import { createOrganisationLocks } from '../data/organisation.locks';
import { ensureOrganisationIndexes, organisationModel } from '../data/organisation.model';
import { createOrganisationRepository } from '../data/organisation.repository';
import { createOutboxRelay } from '../data/outbox.relay';
import { createOutboxStore } from '../data/outbox.store';
import { syntheticOrganisation } from '../domain/demo-data/generator';
import { createOrganisationUseCases } from '../domain/organisation.usecases';
import { validateInput } from '../domain/organisation.validation';

/**
 * `npm run bench -w services/profiles [-- --n 2000 --concurrency 16]`
 * Measures, in one process against the local engines, the profiles write/read paths beside
 * a baseline of raw mongoose operations on the same documents, and the relay beside raw
 * producer sends of the same envelopes. Prints a table with ratios (ours / baseline).
 */
interface Row {
  name: string;
  ops: number;
  seconds: number;
  p95: number;
  baseline?: { name: string; ops: number; seconds: number; p95: number };
}

function args() {
  const get = (flag: string, def: number) => {
    const i = process.argv.indexOf(flag);
    const v = i >= 0 ? Number(process.argv[i + 1]) : def;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer`);
    return v;
  };
  return { n: get('--n', 1000), concurrency: get('--concurrency', 4) };
}

/** Runs `op(i)` for i in [0, n) with `concurrency` workers; returns wall time and p95 latency. */
async function measure(n: number, concurrency: number, op: (i: number) => Promise<unknown>, label = '') {
  const latencies: number[] = new Array(n);
  let next = 0;
  const started = process.hrtime.bigint();
  let failed: unknown;
  // allSettled: on a failure every worker stops and finishes its call before we go on, so no
  // straggler writes into a database that is being dropped.
  await Promise.allSettled(
    Array.from({ length: concurrency }, async () => {
      while (next < n && failed === undefined) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        try {
          await op(i);
        } catch (e) {
          failed ??= e;
        }
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  if (failed !== undefined) throw failed;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...latencies].sort((a, b) => a - b);
  if (label) process.stderr.write(`  ${label}: ${n} in ${seconds.toFixed(2)}s\n`);
  return { ops: n, seconds, p95: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0 };
}

function table(rows: Row[]) {
  const f = (x: number) => x.toFixed(0).padStart(8);
  const lines = [`${'operation'.padEnd(34)} ${'ops'.padStart(6)} ${'ops/s'.padStart(8)} ${'p95 ms'.padStart(8)} | ${'baseline'.padEnd(30)} ${'ops/s'.padStart(8)} ${'p95 ms'.padStart(8)} | ratio`];
  for (const r of rows) {
    const rate = r.ops / r.seconds;
    const b = r.baseline;
    const bRate = b ? b.ops / b.seconds : undefined;
    lines.push(
      `${r.name.padEnd(34)} ${String(r.ops).padStart(6)} ${f(rate)} ${r.p95.toFixed(2).padStart(8)} | ${(b?.name ?? '').padEnd(30)} ${bRate ? f(bRate) : ''.padStart(8)} ${b ? b.p95.toFixed(2).padStart(8) : ''.padStart(8)} | ${bRate ? (rate / bRate).toFixed(2) + 'x' : ''}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\nratio = our throughput / baseline throughput (same documents, same run, same concurrency).\n`);
}

async function main() {
  const { n, concurrency } = args();
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles-bench', level: 'error' });
  const stamp = Date.now().toString(36);
  const conn = await connectMongo({ uri: config.MONGODB_URI, dbName: `profiles-bench-${stamp}`, logger });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `profiles-bench-${stamp}`, logger });
  const topic = `profiles-bench-${stamp}`;
  const baselineTopic = `${topic}-baseline`;
  await ensureTopics(kafka, [{ topic, withDlq: false }, { topic: baselineTopic, withDlq: false }]);
  const producer = createEventProducer(kafka);
  await producer.connect();
  const rows: Row[] = [];
  try {
    const model = organisationModel(conn);
    await ensureOrganisationIndexes(model);
    const locks = createOrganisationLocks(conn);
    const store = createOrganisationRepository(model, locks);
    const organisations = createOrganisationUseCases({ store });
    const raw = conn.model('RawOrganisation', new Schema({ _id: String }, { strict: false, versionKey: false, collection: 'raw_organisations' }));
    await raw.createCollection();

    const inputs = Array.from({ length: n }, (_, i) => syntheticOrganisation(99, i));
    process.stderr.write(`bench: ${n} organisations, concurrency ${concurrency}, db profiles-bench-${stamp}\n`);

    const rawCreate = await measure(n, concurrency, (i) => withBusyRetry(() => raw.collection.insertOne({ _id: inputs[i]!.id, ...inputs[i]!.input } as never)), 'raw insert');
    const create = await measure(n, concurrency, (i) => organisations.createValidated(validateInput(inputs[i]!.input), inputs[i]!.id), 'create');
    rows.push({ name: 'create (use case + outbox event)', ...create, baseline: { name: 'raw mongoose insertOne', ...rawCreate } });

    const staff = { sub: 'bench', role: 'hub_staff' as const };
    const rawRead = await measure(n, concurrency, (i) => raw.collection.findOne({ _id: inputs[i]!.id } as never), 'raw read');
    const read = await measure(n, concurrency, (i) => organisations.get(staff, inputs[i]!.id), 'read');
    rows.push({ name: 'read by id (use case)', ...read, baseline: { name: 'raw mongoose findOne', ...rawRead } });

    const m = Math.max(1, Math.floor(n / 2));
    const rawUpdate = await measure(m, concurrency, (i) => withBusyRetry(() => raw.collection.updateOne({ _id: inputs[i]!.id } as never, { $set: { legalName: `Bench ${i}` } })), 'raw update');
    const update = await measure(m, concurrency, (i) => organisations.patch(staff, inputs[i]!.id, 1, { legalName: `Bench ${i}` }), 'patch');
    rows.push({ name: 'patch with If-Match (lock + CAS)', ...update, baseline: { name: 'raw mongoose updateOne', ...rawUpdate } });

    const list = await measure(100, concurrency, () => organisations.list(staff, { limit: 50, s3Area: 'health_life_sciences' }), 'list');
    const rawList = await measure(100, concurrency, () => raw.collection.find({ s3Areas: 'health_life_sciences' } as never).limit(51).toArray(), 'raw list');
    rows.push({ name: 'list page of 50 (filtered)', ...list, baseline: { name: 'raw find().limit(51)', ...rawList } });

    // Relay: drain the whole backlog (n creates + m patches) to Kafka.
    const outbox = createOutboxStore(model, locks);
    const events = n + m;
    const relay = createOutboxRelay({ store: outbox, producer, topic, logger, pollMs: 20, batchSize: 50 });
    const t0 = process.hrtime.bigint();
    relay.start();
    const drainDeadline = Date.now() + 120_000;
    while ((await outbox.backlog()) > 0) {
      if (Date.now() > drainDeadline) throw new Error('relay did not drain the outbox within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    process.stderr.write(`  relay: ${events} events in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)}s\n`);
    const relaySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await relay.stop();
    const envelopes: Envelope[] = inputs.map((o) => makeEnvelope({ type: 'organisation.upserted', key: o.id, data: o.input, source: 'bench' }));
    const b0 = process.hrtime.bigint();
    for (let i = 0; i < envelopes.length; i += 200) await producer.publish(baselineTopic, envelopes.slice(i, i + 200));
    const baseSeconds = Number(process.hrtime.bigint() - b0) / 1e9;
    rows.push({ name: 'outbox relay → Kafka (events)', ops: events, seconds: relaySeconds, p95: 0, baseline: { name: 'raw producer.publish ×200', ops: envelopes.length, seconds: baseSeconds, p95: 0 } });
    table(rows);
  } finally {
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, baselineTopic] }).catch(() => undefined);
    await admin.disconnect();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
