import os from 'os';
import { createLogger } from '@lm/logger';
import { createTestAuth, startReadyService } from '@lm/testing';
import { connectMongo } from '@lm/mongo';
import { createKafka } from '@lm/kafka';
import { loadEventsConfig } from '../config';
import { eventInput, KINDS, requestPairs } from './http.event';
import { log, metric, pollWhileRunning, timed, timedRepeats, waitDrained, walk } from './http.probes';
import { figureOf, formatTable, runHttp, type Figure, type Row } from './load';
import { createRawShapes } from './raw.shapes';

const USAGE = `npm run bench -w services/events -- [--participants 1000] [--requests 5000] [--connections 8] [--reads 200] [--budget 5000] [--schedule-reads 20]
Builds one brokerage event over HTTP against the compiled events service on the real engines
(MONGODB_URI, KAFKA_BROKERS): registers --participants organisations, sends --requests meeting
requests (as the participants), accepts 60% of them (as the receivers), lists participants and
requests with cursor pages, generates the schedule (optimiser budget --budget ms), publishes it
and reads agendas. Prints p50/p95/p99 and req/s per operation beside raw engine calls of the same
shape measured in the same run. The whole schedule document is read --schedule-reads times, one read
after another, with the draft only and again once published. The scheduler-only bench is \`npm run bench:scheduler\`.`;

function args() {
  const int = (flag: string, def: number) => {
    const i = process.argv.indexOf(flag);
    const v = i >= 0 ? Number(process.argv[i + 1]) : def;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer\n${USAGE}`);
    return v;
  };
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    participants: int('--participants', 1000),
    requests: int('--requests', 5000),
    connections: int('--connections', 8),
    reads: int('--reads', 200),
    budgetMs: int('--budget', 5000),
    scheduleReads: int('--schedule-reads', 20),
  };
}

async function main() {
  const a = args();
  const config = loadEventsConfig();
  const stamp = Date.now().toString(36);
  const db = `events_bench_${stamp}`;
  const topics = {
    MEETINGS_TOPIC: `events-bench-${stamp}-meetings`,
    ORGANISATIONS_TOPIC: `events-bench-${stamp}-organisations`,
    SUGGESTIONS_TOPIC: `events-bench-${stamp}-suggestions`,
  };
  const logger = createLogger({ service: 'events-bench', level: 'error' });
  const conn = await connectMongo({ uri: config.MONGODB_URI, dbName: db, logger });
  const raw = createRawShapes(conn);
  const orgIds = Array.from({ length: a.participants }, (_, i) => `bench-org-${stamp}-${String(i).padStart(5, '0')}`);
  log(`seeding ${a.participants} organisation snapshots into ${db} (what the profiles consumer would have stored)`);
  await raw.seedSnapshots(orgIds.map((id, i) => ({ id, kind: KINDS[i % KINDS.length]! })));
  await raw.fillRequests(a.requests);

  // The compiled service as its own process, as in production: the load generator does not share its event loop.
  const auth = createTestAuth({ issuer: 'events-bench', audience: 'events-bench' });
  const svc = await startReadyService(
    'events',
    {
      ...auth.env,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      MONGODB_DB: db,
      ...topics,
      ORGANISATIONS_GROUP_ID: `events-bench-${stamp}-organisations`,
      SUGGESTIONS_GROUP_ID: `events-bench-${stamp}-suggestions`,
      SCHEDULE_BUDGET_MS: String(a.budgetMs),
    },
    { echo: true, timeoutMs: 90_000 },
  );
  const staff = auth.tokenFor({ sub: 'bench-staff', role: 'hub_staff' });
  const orgToken = orgIds.map((org) => auth.tokenFor({ sub: `bench-user-${org}`, role: 'company', org }));
  const rows: Row[] = [];
  const add = (ours: Figure, rawFigure?: Figure) => {
    log(
      `${ours.name}: p50 ${ours.p50.toFixed(1)} ms, p95 ${ours.p95.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms, ${ours.rps.toFixed(1)}/s, ${ours.errors} errors${rawFigure ? ` | ${rawFigure.name}: p95 ${rawFigure.p95.toFixed(1)} ms` : ''}`,
    );
    rows.push({ ours, ...(rawFigure ? { raw: rawFigure } : {}) });
  };
  // Failed requests are counted in the table (err) and shown; a step that mostly fails stops the run.
  const check = (f: Figure & { failures: string[] }) => {
    if (f.errors) log(`${f.name}: ${f.errors} failed requests, e.g. ${f.failures.join(' | ')}`);
    if (f.errors > f.requests / 10) throw new Error(`${f.name}: ${f.errors} of ${f.requests} requests failed`);
    return f;
  };
  const load = { url: svc.url, connections: a.connections };
  const rawN = Math.max(50, Math.round(a.reads / 4));
  try {
    const created = await timed('create event', svc.url, { method: 'POST', path: '/events', token: staff, body: eventInput(stamp) });
    add(created.figure);
    const eventId = (created.body as { id: string }).id;
    const ev = `/events/${eventId}`;

    log(`register ${a.participants} participants`);
    const participantOf = new Map<string, string>();
    add(
      check(
        await runHttp({
          ...load,
          name: 'register participant (staff)',
          amount: a.participants,
          request: (i) => ({
            method: 'POST',
            path: `${ev}/participants`,
            token: staff,
            body: { organisationId: orgIds[i]!, availability: i % 7 === 0 ? { pm: [] } : {} },
          }),
          onBody: (b) => {
            const p = JSON.parse(b) as { id: string; organisationId: string };
            participantOf.set(p.organisationId, p.id);
          },
        }),
      ),
      await raw.register(rawN, a.connections),
    );
    const pid = (i: number) => participantOf.get(orgIds[i]!)!;

    log(`send ${a.requests} meeting requests (each as its sender)`);
    const pairs = requestPairs(a.participants, a.requests, 42);
    const sent: { id: string; to: string }[] = [];
    const orgOfPid = new Map(orgIds.map((o) => [participantOf.get(o)!, o]));
    add(
      check(
        await runHttp({
          ...load,
          name: 'send meeting request (participant)',
          amount: pairs.length,
          request: (i) => ({
            method: 'POST',
            path: `${ev}/requests`,
            token: orgToken[pairs[i]![0]]!,
            body: { to: pid(pairs[i]![1]), priority: i % 3 === 0 ? 'must_meet' : 'would_like' },
          }),
          onBody: (b) => {
            const r = JSON.parse(b) as { id: string; to: string };
            sent.push({ id: r.id, to: r.to });
          },
        }),
      ),
      await raw.sendRequest(rawN, a.connections),
    );

    const accepted = sent.filter((_, i) => i % 5 < 3);
    log(`accept ${accepted.length} requests (each as its receiver)`);
    add(
      check(
        await runHttp({
          ...load,
          name: 'accept request (receiver)',
          amount: accepted.length,
          request: (i) => ({
            method: 'POST',
            path: `${ev}/requests/${accepted[i]!.id}/accept`,
            token: orgToken[orgIds.indexOf(orgOfPid.get(accepted[i]!.to)!)]!,
          }),
        }),
      ),
      await raw.decide(rawN, a.connections),
    );

    log('list participants and requests, page by page');
    const participantsWalk = await walk('list participants, every page of 100 (staff)', svc.url, `${ev}/participants?limit=100`, staff);
    if (participantsWalk.items.length !== participantOf.size)
      throw new Error(`listed ${participantsWalk.items.length} participants, registered ${participantOf.size}`);
    add(participantsWalk.figure, await raw.page(rawN, a.connections));
    const requestsWalk = await walk('list requests, every page of 100 (staff)', svc.url, `${ev}/requests?limit=100`, staff);
    if (requestsWalk.items.length !== sent.length) throw new Error(`listed ${requestsWalk.items.length} requests, sent ${sent.length}`);
    add(requestsWalk.figure, await raw.page(rawN, a.connections));
    const someone = (i: number) => (i * 7919) % a.participants;
    add(
      check(
        await runHttp({
          ...load,
          name: 'own requests, first page of 20 (participant)',
          amount: a.reads,
          request: (i) => ({ path: `${ev}/requests?limit=20`, token: orgToken[someone(i)]! }),
        }),
      ),
      await raw.ownPage(rawN, a.connections),
    );
    add(
      check(
        await runHttp({
          ...load,
          name: 'participants as cards, page of 20 (participant)',
          amount: a.reads,
          request: (i) => ({ path: `${ev}/participants?limit=20`, token: orgToken[someone(i)]! }),
        }),
      ),
      await raw.page(rawN, a.connections),
    );

    log(`generate the schedule in the background (optimiser budget ${a.budgetMs} ms), polling the run`);
    const runStarted = performance.now();
    const started = await timed('start schedule run (wait=false, 202)', svc.url, {
      method: 'POST',
      path: `${ev}/schedule:generate?budgetMs=${a.budgetMs}&wait=false`,
      token: staff,
    });
    add(started.figure);
    type Run = { running: boolean; lastRun?: { outcome: string; version: number; meetings: number; percentOfBound: number; error?: unknown } };
    const { status: run, latencies: polls } = await pollWhileRunning<Run>(svc.url, `${ev}/schedule/run`, staff);
    const runMs = performance.now() - runStarted;
    if (run.lastRun?.outcome !== 'draft_saved') throw new Error(`schedule run failed: ${JSON.stringify(run.lastRun)}`);
    add(figureOf('poll the schedule run (staff)', polls, runMs / 1000, 0));
    add(figureOf('  schedule run, start to draft saved', [runMs], runMs / 1000, 0), await raw.loadInputs(3));
    const readSchedule = async (name: string) => {
      const reads = await timedRepeats(name, svc.url, { path: `${ev}/schedule`, token: staff }, a.scheduleReads);
      // In order: whether the slow ones are the first (a cold path) or spread (engine, GC, neighbours).
      log(`${name}, each read in order (ms): ${reads.latencies.map((ms) => ms.toFixed(0)).join(' ')}`);
      return reads;
    };
    const schedule = await readSchedule('read the schedule document, draft (staff)');
    add(schedule.figure, await raw.storedSchedule(eventId, a.scheduleReads));
    await raw.fillSchedule((schedule.body as { draft: { meetings: { a: string; b: string }[] } }).draft.meetings);
    log(`schedule: ${run.lastRun.meetings} meetings, ${run.lastRun.percentOfBound}% of the upper bound, ${runMs.toFixed(0)} ms from start to draft`);

    // The requests' own events first, so the relay row below counts the schedule's alone.
    const drained = await waitDrained(svc.url);
    log(`relay: request events drained ${drained.toFixed(1)} s after the schedule run`);
    const publishedBefore = await metric(svc.url, 'events_outbox_published_total');
    const publishedAt = performance.now();
    const draftVersion = run.lastRun.version;
    const publishing = await timed('start publishing (wait=false, 202)', svc.url, {
      method: 'POST',
      path: `${ev}/schedule:publish?wait=false`,
      token: staff,
      headers: { 'if-match': `"${draftVersion}"` },
    });
    add(publishing.figure);
    type Publication = { running: boolean; lastPublication?: { outcome: string; events: number; error?: unknown } };
    const { status: publication, latencies: publicationPolls } = await pollWhileRunning<Publication>(svc.url, `${ev}/schedule/publication`, staff);
    const publishMs = performance.now() - publishedAt;
    if (publication.lastPublication?.outcome !== 'published') throw new Error(`publication failed: ${JSON.stringify(publication.lastPublication)}`);
    add(figureOf('poll the publication (staff)', publicationPolls, publishMs / 1000, 0));
    add(figureOf('  publication, start to published', [publishMs], publishMs / 1000, 0), await raw.schedule(a.scheduleReads));

    log('relay: waiting for the outbox to drain');
    const events = publication.lastPublication.events;
    await waitDrained(svc.url);
    // The counter moves once a round's marks are deleted: wait for the last round's events too.
    for (let t = 0; t < 50 && (await metric(svc.url, 'events_outbox_published_total')) - publishedBefore < events; t++)
      await new Promise((r) => setTimeout(r, 100));
    const drainedSec = (performance.now() - publishedAt) / 1000;
    const publishedAll = (await metric(svc.url, 'events_outbox_published_total')) - publishedBefore;
    const backlog = await metric(svc.url, 'events_outbox_backlog');
    rows.push({
      ours: {
        name: `relay after publish (${events} meeting events)`,
        requests: publishedAll,
        p50: NaN,
        p95: NaN,
        p99: NaN,
        rps: publishedAll / Math.max(drainedSec, 0.001),
        errors: backlog,
      },
    });
    log(`relay: ${publishedAll} events published in the ${drainedSec.toFixed(1)} s after the publish request was sent, backlog ${backlog}`);

    add((await readSchedule('read the schedule document, published (staff)')).figure, await raw.storedSchedule(eventId, a.scheduleReads));

    log('read agendas');
    const agendaReads = [
      { name: 'agenda JSON (participant)', query: '', reader: someone, raw: true },
      { name: 'agenda .ics (participant)', query: '?format=ics', reader: someone },
      { name: 'agenda CSV (participant)', query: '?format=csv', reader: someone },
      { name: 'agenda JSON (staff, anyone)', query: '', of: (i: number) => someone(i + 1), staff: true },
    ];
    for (const r of agendaReads) {
      const of = r.of ?? someone;
      const figure = check(
        await runHttp({
          ...load,
          name: r.name,
          amount: a.reads,
          request: (i) => ({ path: `${ev}/participants/${pid(of(i))}/agenda${r.query}`, token: r.staff ? staff : orgToken[someone(i)]! }),
        }),
      );
      add(figure, r.raw ? await raw.agenda(rawN, a.connections) : undefined);
    }

    const load1 = os.loadavg()[0]!.toFixed(2);
    process.stdout.write(
      `\nevents HTTP bench — ${a.participants} participants, ${a.requests} requests, ${a.connections} connections, ${a.reads} requests per read scenario, optimiser budget ${a.budgetMs} ms, db ${db}, ${new Date().toISOString()}, load average ${load1} at the end\n`,
    );
    process.stdout.write(
      `${formatTable(rows)}\n(writes: one request per participant / request; lists: a walk through every page; relay row: rps = events/s, err = outbox marks still pending)\n`,
    );
  } catch (e) {
    if (rows.length) process.stdout.write(`\npartial results (${e instanceof Error ? e.message : String(e)}):\n${formatTable(rows)}\n`);
    throw e;
  } finally {
    await svc.stop();
    await raw.close();
    await conn.close();
    await deleteTopics(config.KAFKA_BROKERS, Object.values(topics));
  }
}

/** The run's scratch topics (its database is kept: dropping one while FerretDB is busy once corrupted it, see NOTES.md). */
async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'events-bench', logger: createLogger({ service: 'events-bench', level: 'error' }) }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)) });
  } catch (e) {
    log(`could not delete the scratch topics: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
