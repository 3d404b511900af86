/**
 * `npm run bench:pipeline [-- --n 10000 --chunk 1000 --patches 20 --load 20 --direct 10000 --reindex 100000 --drain 120]`
 *
 * The matching pipeline measured as users meet it: the three compiled services on free ports on
 * the real engines, driven through their HTTP APIs, each figure beside a raw baseline of the same
 * run, in four phases (each described in its module under pipeline/):
 * 1. import through the API (pipeline/import.phase.ts);
 * 2. the pipeline alone: envelopes straight onto the profiles topic (pipeline/direct.phase.ts);
 * 3. write → visible in matches, idle and under load (pipeline/visible.phase.ts);
 * 4. reindex (pipeline/reindex.phase.ts);
 * then a summary of every figure.
 */
import { createEventProducer, createKafka } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { uniqueName, testEndpoints } from '@lm/testing';
import { client, dropIndices, startSystem, tokenFor } from '../test/support/system';
import type { BenchContext } from './pipeline/bench.context';
import { readOptions } from './pipeline/bench.options';
import { directPhase } from './pipeline/direct.phase';
import { importPhase } from './pipeline/import.phase';
import { kafkaProgress } from './pipeline/kafka.progress';
import { reindexPhase } from './pipeline/reindex.phase';
import { createReport, printHeader } from './pipeline/report';
import { visiblePhase } from './pipeline/visible.phase';

async function main() {
  const options = readOptions();
  const logger = createLogger({ service: 'pipeline-bench', level: 'warn' });
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('pipeline-bench'), logger });
  const admin = kafka.admin();
  await admin.connect();
  printHeader(options);
  const system = await startSystem();
  const staffToken = tokenFor({ sub: 'bench-staff', role: 'hub_staff' });
  const { names } = system;
  const producer = createEventProducer(kafka);
  const ctx: BenchContext = {
    system,
    names,
    profiles: client(system.services.profiles.url, staffToken),
    matching: client(system.services.matching.url, staffToken),
    kafka,
    admin,
    producer,
    progress: kafkaProgress(admin, names),
    report: createReport(),
    options,
    scratchTopics: [],
  };
  try {
    await producer.connect();
    const imported = await importPhase(ctx);
    await directPhase(ctx, imported);
    await visiblePhase(ctx, imported);
    await reindexPhase(ctx, imported);
    await producer.disconnect();
    ctx.report.printSummary(options.n);
  } catch (e) {
    // What the services said last (a crash, an engine error) is the first thing to look at.
    for (const service of Object.values(system.services))
      process.stderr.write(`--- ${service.name} output (last lines) ---\n${service.output().slice(-4000)}\n`);
    throw e;
  } finally {
    if (ctx.scratchTopics.length) await admin.deleteTopics({ topics: ctx.scratchTopics }).catch(() => undefined);
    await system.stop();
    await dropIndices(names.alias).catch(() => undefined);
    await dropIndices(names.searchIndex).catch(() => undefined);
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`pipeline bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
