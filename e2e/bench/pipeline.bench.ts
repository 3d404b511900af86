/**
 * `npm run bench:pipeline [-- --n 10000 --chunk 1000 --patches 20 --load 20 --direct 10000 --reindex 100000 --drain 120]`
 *
 * The matching pipeline measured as users meet it: the three compiled services on free ports on
 * the real engines, driven through their HTTP APIs, each figure beside a raw baseline of the same
 * run:
 * 1. import `n` synthetic organisations with `POST /organisations:import` (chunks of `chunk` rows)
 *    → time until all are in the matching index, until every consumer group's lag is 0, until the
 *    top-N messages are out; suggestion messages per profile change; a sampler (every 500 ms)
 *    follows each stage meanwhile — import calls, relay (events on the topic), indexing, top-N —
 *    so the figures say where the time goes;
 *    baselines: raw `_bulk` of the same documents (same mapping), raw kafkajs produce of the same envelopes;
 * 2. `direct` organisations' envelopes produced straight to the profiles topic (no import, no
 *    relay) → the pipeline's own throughput;
 * 3. write-to-visible: single `PATCH`es one after another, then under `load` writes/s of
 *    background PATCHes → time until the change shows in a company's `GET …/matches`, p50/p95;
 *    baseline: the raw engine hops of the same path (kafkajs produce → consume → ES index +
 *    refresh → search finds it);
 * 4. `POST /admin/reindex` of the whole topic (topped up with direct envelopes to `reindex`
 *    messages when asked, indexed first) vs raw `_bulk` of the same documents into an index
 *    with the same mapping, docs/s.
 * The events service's groups are waited for at most `drain` seconds after matching's.
 */
import { makeEnvelope, ORGANISATION_EVENT_TYPES, S3_AREAS, SPECIALTIES, type Envelope } from '@lm/contracts';
import { createEventProducer, createKafka, groupLag } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Admin, Kafka } from 'kafkajs';
import { loadavg } from 'os';
import { performance } from 'perf_hooks';
import { client, dropIndices, startSystem, tokenFor, type Client, type System } from '../test/support/system';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A deterministic synthetic organisation input (the import API's shape): ~30 % companies, 50 % centres, 20 % investors. */
function syntheticInput(tag: string, n: number) {
  const pick = <T>(list: readonly T[], k: number) => list[(n * 7 + k * 13) % list.length]!;
  const s3 = [pick(S3_AREAS, 1), pick(S3_AREAS, 2)];
  const specialties = [pick(SPECIALTIES, 3), pick(SPECIALTIES, 4)];
  const base = {
    legalName: `Bench ${tag} ${n}`,
    location: { province: n % 3 ? 'MI' : 'BG', city: n % 3 ? 'Milano' : 'Bergamo' },
    s3Areas: [...new Set(s3)],
    specialties: [...new Set(specialties)],
    languages: ['it'],
  };
  const text = `${specialties.join(' ')} ${s3.join(' ')} progetto ${n % 50}`;
  if (n % 10 < 3) {
    return {
      ...base,
      kind: 'company',
      subtype: 'startup',
      stage: 'seed',
      needs: [
        {
          type: 'rd_collaboration',
          title: `Cerchiamo collaborazione ${text}`,
          lang: 'it',
          keywords: specialties,
          s3Areas: base.s3Areas,
          trl: { min: 4, max: 7 },
        },
      ],
      offers: [{ type: 'pilot_site', title: `Sito pilota ${text}`, lang: 'it' }],
    };
  }
  if (n % 10 < 8) {
    return {
      ...base,
      kind: 'research_centre',
      subtype: 'university',
      offers: [{ type: 'rd_collaboration', title: `Ricerca ${text}`, lang: 'it', keywords: specialties, s3Areas: base.s3Areas, trl: { min: 3, max: 8 } }],
    };
  }
  return {
    ...base,
    kind: 'investor',
    subtype: 'vc_fund',
    offers: [{ type: 'funding', title: `Investimenti ${text}`, lang: 'it', amountEur: { min: 250_000, max: 2_000_000 } }],
    investor: { stages: ['seed'], ticketEur: { min: 250_000, max: 2_000_000 }, sectors: base.specialties, s3Areas: base.s3Areas, geography: [] },
  };
}

async function esJson<T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(`${testEndpoints().elasticsearchUrl}${path}`, {
    method,
    headers: { 'content-type': path.includes('_bulk') ? 'application/x-ndjson' : 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return (await res.json()) as T;
}

/** How many of `ids` the matching index holds (live or tombstone), counted in _mget pages. */
async function indexedCount(alias: string, ids: string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 2000) {
    const res = await esJson<{ docs: { found: boolean }[] }>(`/${alias}/_mget?_source=false`, { ids: ids.slice(i, i + 2000) });
    found += res.docs.filter((d) => d.found).length;
  }
  return found;
}

/** Searchable documents whose name starts with `prefix` (cheap enough to sample every 500 ms). */
async function countByName(alias: string, prefix: string): Promise<number> {
  const res = await esJson<{ count?: number }>(`/${alias}/_count`, { query: { prefix: { name: prefix } } });
  return res.count ?? 0;
}

interface IndexedDoc {
  _id: string;
  _source: Record<string, unknown>;
}

/** Every document of the matching index, as the service wrote it (search_after pages). */
async function indexDocuments(alias: string): Promise<IndexedDoc[]> {
  const out: IndexedDoc[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const res = await esJson<{ hits: { hits: (IndexedDoc & { sort: unknown[] })[] } }>(`/${alias}/_search`, {
      size: 5000,
      sort: [{ id: 'asc' }],
      query: { match_all: {} },
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    if (!hits.length) return out;
    for (const h of hits) out.push({ _id: h._id, _source: h._source });
    after = hits[hits.length - 1]!.sort;
  }
}

/**
 * Raw-engine baseline: `_bulk` of `docs` into a scratch index with the matching index's own
 * mapping and settings, 1,000 documents a request, one request at a time; returns the ms.
 */
async function rawBulk(alias: string, docs: IndexedDoc[]): Promise<number> {
  const concrete = Object.keys(await esJson<Record<string, unknown>>(`/${alias}/_alias`))[0]!;
  const mapping = (await esJson<Record<string, { mappings: unknown }>>(`/${concrete}/_mapping`))[concrete]!.mappings;
  const scratch = uniqueName('bench-raw');
  await esJson(`/${scratch}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: mapping }, 'PUT');
  try {
    const t = now();
    for (let i = 0; i < docs.length; i += 1000) {
      const body =
        docs
          .slice(i, i + 1000)
          .flatMap((d) => [JSON.stringify({ index: { _index: scratch, _id: d._id } }), JSON.stringify(d._source)])
          .join('\n') + '\n';
      const res = await esJson<{ errors: boolean }>('/_bulk', body);
      if (res.errors) throw new Error('raw _bulk baseline: items failed');
    }
    await esJson(`/${scratch}/_refresh`, {});
    return now() - t;
  } finally {
    await esJson(`/${scratch}`, undefined, 'DELETE');
  }
}

/** The first `count` envelopes of a topic, as the profiles relay published them. */
async function readEnvelopes(topic: string, count: number): Promise<Envelope[]> {
  const kafka = createKafka({
    brokers: testEndpoints().kafkaBrokers,
    clientId: uniqueName('bench-reader'),
    logger: createLogger({ service: 'bench', level: 'warn' }),
  });
  const consumer = kafka.consumer({ groupId: uniqueName('bench-reader') });
  const out: Envelope[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const e = JSON.parse(m.value!.toString()) as Envelope;
          if (e.type === ORGANISATION_EVENT_TYPES.upserted && out.length < count) out.push(e);
        }
        if (out.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** `count` envelopes cloned from `templates` under fresh ids (`<tag>-<i>`), as if profiles had published them. */
function directEnvelopes(templates: Envelope[], tag: string, count: number): Envelope[] {
  return Array.from({ length: count }, (_, i) => {
    const e = templates[i % templates.length]!;
    const id = `${tag}-${i}`;
    const data = e.data as { organisation: Record<string, unknown>; version: number };
    return makeEnvelope({
      type: e.type,
      key: id,
      source: 'bench',
      data: { ...data, organisation: { ...data.organisation, id, legalName: `Bench ${tag} ${i}` } },
    });
  });
}

/**
 * Raw-engine baseline of write → visible: the same hops without the services — kafkajs produce
 * of one envelope → a raw consumer receives it → ES index + refresh → a search finds it.
 */
async function rawHops(kafka: Kafka, admin: Admin, samples: number): Promise<number[]> {
  const topic = uniqueName('bench-raw-hops');
  const index = uniqueName('bench-raw-hops');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await esJson(`/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } }, 'PUT');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw-hops') });
  const waiting = new Map<string, () => void>();
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key!.toString();
        await esJson(`/${index}/_doc/${key}?refresh=true`, JSON.parse(message.value!.toString()), 'PUT');
        waiting.get(key)?.();
      },
    });
    const out: number[] = [];
    for (let i = 0; i < samples + 1; i++) {
      const key = `k${i}`;
      const t = now();
      const seen = new Promise<void>((r) => waiting.set(key, r));
      await producer.send({ topic, messages: [{ key, value: JSON.stringify({ name: key }) }] });
      await seen;
      const res = await esJson<{ hits: { total: { value: number } } }>(`/${index}/_search`, { query: { term: { 'name.keyword': key } } });
      if (res.hits.total.value !== 1) throw new Error('raw hops: not found');
      if (i > 0) out.push(now() - t); // the first one pays the group join
    }
    return out;
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await esJson(`/${index}`, undefined, 'DELETE');
  }
}

/** Milestones of one burst, sampled every 500 ms while it runs (ms since the burst's start). */
interface Milestones {
  allIndexed?: number;
  topNDrained?: number;
  /** When the groups `follow` was asked to wait for were at lag 0. */
  drained?: number;
  allDrained?: number;
}

async function main() {
  const n = arg('n', 10_000);
  const chunk = arg('chunk', 1000);
  const patches = arg('patches', 20);
  const load = arg('load', 20);
  const directN = arg('direct', n);
  const reindexN = arg('reindex', 0);
  const drainS = arg('drain', 120);
  const logger = createLogger({ service: 'pipeline-bench', level: 'warn' });
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('pipeline-bench'), logger });
  const admin = kafka.admin();
  await admin.connect();
  process.stdout.write(
    `pipeline bench: n=${n}, import chunks of ${chunk}, ${directN} direct, ${patches} PATCHes idle and under ${load} writes/s, reindex of ${reindexN || 'the topic'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; starting the services…\n`,
  );
  const system: System = await startSystem();
  const staffToken = tokenFor({ sub: 'bench-staff', role: 'hub_staff' });
  const profiles: Client = client(system.services.profiles.url, staffToken);
  const matching: Client = client(system.services.matching.url, staffToken);
  const { names } = system;
  const groups = [names.groups.matching, `${names.groups.matching}-topn`, names.groups.eventsOrganisations, names.groups.eventsSuggestions];
  const groupTopics: Record<string, string> = {
    [groups[0]!]: names.topics.organisations,
    [groups[1]!]: names.topics.organisations,
    [groups[2]!]: names.topics.organisations,
    [groups[3]!]: names.topics.suggestions,
  };
  const lags = async () => Promise.all(groups.map(async (g) => (await groupLag(admin, g, [groupTopics[g]!])).reduce((s, p) => s + p.lag, 0)));
  const highWatermark = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
  const lagText = (lag: number[]) => groups.map((g, i) => `${g.replace(/-[0-9a-f]+(-topn)?$/, '$1')}=${lag[i]}`).join(' ');
  const rows: string[] = [];
  const scratchTopics: string[] = [];
  const report = (what: string, value: string, baseline = '') => {
    const line = `${what.padEnd(62)} ${value.padEnd(30)} ${baseline}`;
    rows.push(line);
    process.stdout.write(`${line}\n`);
  };

  /**
   * Samples a burst of `count` organisations named `Bench <tag> …` every 500 ms from `t0` until
   * they are all indexed and the groups in `drainGroups` (indices into `groups`) are at lag 0;
   * logs events on the profiles topic, indexed documents and lags every 10 s.
   */
  const follow = async (t0: number, tag: string, count: number, drainGroups: number[]): Promise<Milestones> => {
    const m: Milestones = {};
    const topicBefore = await highWatermark(names.topics.organisations);
    let lastLog = 0;
    for (;;) {
      const [onTopic, indexed, lag] = await Promise.all([highWatermark(names.topics.organisations), countByName(names.alias, `Bench ${tag} `), lags()]);
      const t = now() - t0;
      const published = onTopic - topicBefore;
      if (m.allIndexed === undefined && indexed >= count) m.allIndexed = t;
      if (m.allIndexed !== undefined && m.topNDrained === undefined && lag[1] === 0) m.topNDrained = t;
      if (m.allIndexed !== undefined && drainGroups.every((g) => lag[g] === 0)) {
        m.drained = t;
        return m;
      }
      if (t - lastLog > 10_000) {
        lastLog = t;
        process.stdout.write(`  ${secs(t)}: on the topic +${published}, indexed ${indexed}/${count}, lag ${lagText(lag)}, load ${loadavg()[0]!.toFixed(1)}\n`);
      }
      if (t > 3_600_000) throw new Error('not drained within an hour');
      await sleep(500);
    }
  };

  try {
    // ── 1. import through the API ──────────────────────────────────────────────────────────
    const tag = uniqueName('b');
    const inputs = Array.from({ length: n }, (_, i) => syntheticInput(tag, i));
    const suggestionsBefore = await highWatermark(names.topics.suggestions);
    const topicBefore = await highWatermark(names.topics.organisations);
    const t0 = now();
    const ids: string[] = [];
    let importDone = 0;
    // The relay publishes while the import runs: sample the topic meanwhile to see when the last event went out.
    let relayDone = 0;
    const relaySampler = (async () => {
      while (!relayDone) {
        if ((await highWatermark(names.topics.organisations)) - topicBefore >= n) relayDone = now() - t0;
        else await sleep(250);
      }
    })();
    const followed = follow(t0, tag, n, [0, 1]);
    for (let i = 0; i < n; i += chunk) {
      const res = await profiles<{ summary: { created: number; failed: number }; rows: { id?: string; status: string }[] }>(
        'POST',
        '/organisations:import',
        inputs.slice(i, i + chunk),
      );
      if (res.status !== 200) throw new Error(`import answered ${res.status}: ${res.text.slice(0, 300)}`);
      ids.push(...res.body.rows.filter((r) => r.id).map((r) => r.id!));
      process.stdout.write(`  imported ${Math.min(i + chunk, n)}/${n} (${secs(now() - t0)})\n`);
    }
    importDone = now() - t0;
    const milestones = await followed;
    await relaySampler;
    // The events service's groups follow the same topics: bounded wait, then their lag and rate.
    const eventsBehind = async () => {
      const lag = await lags();
      return lag[2]! + lag[3]!;
    };
    const behindAtMatching = await eventsBehind();
    for (const tw = now(); milestones.allDrained === undefined && now() - tw < drainS * 1000; await sleep(500)) {
      if ((await eventsBehind()) === 0) milestones.allDrained = now() - t0;
    }
    const eventsRate = (behindAtMatching - (await eventsBehind())) / ((now() - t0 - milestones.topNDrained!) / 1000);
    const lagsLeft = lagText(await lags());
    if ((await indexedCount(names.alias, ids)) !== ids.length) throw new Error('not every imported organisation is in the index');
    const messages = (await highWatermark(names.topics.suggestions)) - suggestionsBefore;

    // Baselines of the same run: raw _bulk of the same documents, raw produce of the same envelopes.
    const importedDocs = (await indexDocuments(names.alias)).filter((d) => String(d._source.name ?? '').startsWith(`Bench ${tag} `));
    const rawBulkMs = await rawBulk(names.alias, importedDocs);
    const envelopes = await readEnvelopes(names.topics.organisations, ids.length);
    const rawTopic = uniqueName('bench-raw-topic');
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    const producer = createEventProducer(kafka);
    await producer.connect();
    const tp = now();
    for (let i = 0; i < envelopes.length; i += 500) await producer.publish(rawTopic, envelopes.slice(i, i + 500));
    const rawProduce = now() - tp;
    // The scratch topic is deleted at the very end: deleting it now would leave the producer's
    // metadata pointing at a topic that is gone ("does not host this topic-partition").
    scratchTopics.push(rawTopic);

    const rate = (count: number, ms: number) => `${(count / (ms / 1000)).toFixed(0)}/s`;
    report(
      'import: POST /organisations:import calls (profiles, issue 12)',
      `${ids.length} rows in ${secs(importDone)}`,
      `(${rate(ids.length, importDone)} rows)`,
    );
    report(
      'import → relay put all events on the topic (libs/outbox)',
      `${secs(relayDone)} (${rate(n, relayDone)} events)`,
      `raw produce of the same envelopes: ${secs(rawProduce)} (${rate(n, rawProduce)})`,
    );
    report(
      'import → all in the matching index (all matchable)',
      `${secs(milestones.allIndexed!)}`,
      `raw _bulk of the same docs: ${secs(rawBulkMs)} (${rate(n, rawBulkMs)}); target ≤ 60 s`,
    );
    report('  of which after the relay was done (indexing tail)', secs(milestones.allIndexed! - relayDone));
    report('import → top-N messages out (top-N group lag 0)', secs(milestones.topNDrained!), `  after the relay: ${secs(milestones.topNDrained! - relayDone)}`);
    report(
      'import → every consumer group at lag 0 (events service too)',
      milestones.allDrained !== undefined ? secs(milestones.allDrained) : `not within ${drainS} s more`,
      milestones.allDrained !== undefined ? '' : `left: ${lagsLeft}; the events service's groups consumed ${eventsRate.toFixed(1)} msg/s meanwhile`,
    );
    report('suggestion messages per profile change', `${(messages / ids.length).toFixed(2)} (${messages} messages)`, 'target ≤ 5');

    // ── 2. the pipeline alone: envelopes straight onto the profiles topic ──────────────────
    const directTag = `${tag}-direct`;
    const direct = directEnvelopes(envelopes, directTag, directN);
    const td = now();
    const directFollowed = follow(td, directTag, directN, [0, 1]);
    for (let i = 0; i < direct.length; i += 500) await producer.publish(names.topics.organisations, direct.slice(i, i + 500));
    const directProduced = now() - td;
    const dm = await directFollowed;
    const directRawBulk = directN === n ? rawBulkMs : (rawBulkMs * directN) / n;
    report(
      `pipeline alone (${directN} produced): produce → all indexed`,
      `${secs(dm.allIndexed!)} (${rate(directN, dm.allIndexed!)} docs)`,
      `raw produce ${secs(directProduced)}, raw _bulk ${secs(directRawBulk)}${directN === n ? '' : ' (scaled)'}`,
    );
    report('pipeline alone: produce → indexing + top-N groups at lag 0', `${secs(dm.drained!)} (${rate(directN, dm.drained!)} events)`);

    // ── 3. write → visible in matches ───────────────────────────────────────────────────────
    // A need and an offer sharing a term nobody else has, in a province nobody else is in, read
    // through `?province=`: the candidate is among the company's few matches there whatever its
    // rank overall. Its rank cannot be relied on: at 2,000 look-alikes the candidate fell out of
    // the first 100 after ~20 renames (the index had the new name; the ranking did not show it) —
    // likely because every PATCH leaves a deleted copy that Lucene counts in the unique term's
    // document frequency until a merge, so that term's idf sinks with each write.
    const pairTerm = `zq${tag.replace(/[^a-z0-9]/gi, '')}`;
    const pairProvince = 'SO';
    const [pairCompany, pairCandidate] = [syntheticInput(`${tag}-pair`, 0), syntheticInput(`${tag}-pair`, 5)] as Record<string, unknown>[];
    const withTerm = (o: Record<string, unknown>, field: 'needs' | 'offers') => ({
      ...o,
      location: { province: pairProvince, city: 'Sondrio' },
      [field]: (o[field] as { title: string }[]).map((x) => ({ ...x, title: `${x.title} ${pairTerm}` })),
    });
    const pair = await profiles<{ rows: { id?: string }[] }>('POST', '/organisations:import', [
      withTerm(pairCompany!, 'needs'),
      withTerm(pairCandidate!, 'offers'),
    ]);
    const [companyId, candidateId] = pair.body.rows.map((r) => r.id!);
    let version = 1;
    const visibleName = async (name: string) => {
      const res = await matching<{ items: { candidate: { id: string; name: string } }[] }>(
        'GET',
        `/organisations/${companyId}/matches?limit=100&province=${pairProvince}`,
      );
      return res.status === 200 && res.body.items.some((i) => i.candidate.id === candidateId && i.candidate.name === name);
    };
    for (let t = now(); !(await visibleName(`Bench ${tag}-pair 5`));) {
      if (now() - t > 120_000) throw new Error('the pair never matched');
      await sleep(200);
    }
    const writeToVisible = async () => {
      const name = `Bench ${tag} renamed ${uniqueName('v')}`;
      const t = now();
      const res = await profiles<{ version: number }>('PATCH', `/organisations/${candidateId}`, { legalName: name }, { 'if-match': `"${version}"` });
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${res.text.slice(0, 200)}`);
      version = res.body.version;
      while (!(await visibleName(name))) {
        if (now() - t > 60_000) throw new Error(`a PATCH never became visible: ${await whereIsIt(name)}`);
        await sleep(20);
      }
      return now() - t;
    };
    /** Where a write that did not show up got to: the profile, the matching index, the company's matches, the groups' lag. */
    const whereIsIt = async (name: string) => {
      const profile = await profiles<{ version?: number; legalName?: string }>('GET', `/organisations/${candidateId}`);
      const indexed = await esJson<{ _version?: number; _source?: { name?: string; profileVersion?: number } }>(`/${names.alias}/_doc/${candidateId}`);
      const matches = await matching<{ items?: { rank: number; candidate: { id: string; name: string } }[] }>(
        'GET',
        `/organisations/${companyId}/matches?limit=100&province=${pairProvince}`,
      );
      const item = matches.body.items?.find((i) => i.candidate.id === candidateId);
      return JSON.stringify({
        wanted: name,
        profile: { status: profile.status, version: profile.body.version, legalName: profile.body.legalName },
        index: { esVersion: indexed._version, profileVersion: indexed._source?.profileVersion, name: indexed._source?.name },
        matches: { status: matches.status, source: matches.headers.get('x-ranking-source'), item: item ?? `not among its first 100 in ${pairProvince}` },
        lag: lagText(await lags()),
      });
    };
    // A failure here is reported and the reindex (phase 4) still measured.
    try {
      const raw = await rawHops(kafka, admin, patches);
      const idle: number[] = [];
      for (let i = 0; i < patches; i++) idle.push(await writeToVisible());
      // Background load: `load` PATCHes per second to the imported organisations.
      const versions = new Map<string, number>();
      let loading = true;
      let backgroundWrites = 0;
      let backgroundError: unknown;
      const background = (async () => {
        for (let k = 0; loading; k++) {
          const tick = now();
          await Promise.all(
            Array.from({ length: load }, async (_, j) => {
              const id = ids[(k * load + j) % ids.length]!;
              const v = versions.get(id) ?? 1;
              const res = await profiles<{ version: number }>(
                'PATCH',
                `/organisations/${id}`,
                { website: `https://example.org/${k}-${j}` },
                { 'if-match': `"${v}"` },
              );
              if (res.status === 200) versions.set(id, res.body.version);
              backgroundWrites++;
            }),
          ).catch((e: unknown) => {
            // Stop loading, never reject: the measured PATCHes report what went wrong.
            loading = false;
            backgroundError = e;
          });
          await sleep(Math.max(0, 1000 - (now() - tick)));
        }
      })();
      const loaded: number[] = [];
      const tl = now();
      for (let i = 0; i < patches; i++) loaded.push(await writeToVisible());
      loading = false;
      await background;
      if (backgroundError)
        throw new Error(`background PATCHes failed: ${backgroundError instanceof Error ? backgroundError.message : String(backgroundError)}`);
      const achieved = backgroundWrites / ((now() - tl) / 1000);
      const p5095 = (v: number[]) => `${percentile(v, 50).toFixed(0)} / ${percentile(v, 95).toFixed(0)} ms`;
      report(
        'write → visible in matches, idle: p50 / p95',
        p5095(idle),
        `raw hops (produce → consume → index+refresh → search): ${p5095(raw)}; target p95 ≤ 1.5 s`,
      );
      report(`write → visible, under ${load} writes/s (achieved ${achieved.toFixed(1)}/s): p50 / p95`, p5095(loaded), 'target p95 ≤ 3 s');
    } catch (e) {
      report('write → visible: NOT measured', e instanceof Error ? e.message : String(e));
    }

    // ── 4. reindex ──────────────────────────────────────────────────────────────────────────
    const present = await highWatermark(names.topics.organisations);
    if (reindexN > present) {
      // Top the topic up with direct envelopes and let the pipeline drain them first, so the
      // reindex is measured alone, as an operator runs it.
      const fillTag = `${tag}-fill`;
      // Candidates only: the top-N group then recomputes the imported companies, not 30,000 new
      // ones, and loads the engine less while the reindex and its baseline are measured.
      const candidates = envelopes.filter((e) => (e.data as { organisation: { kind: string } }).organisation.kind !== 'company');
      const fill = directEnvelopes(candidates, fillTag, reindexN - present);
      const tf = now();
      // Only the indexing group is waited for: the top-N group recomputing every company for
      // 100,000 organisations takes far longer; it keeps working (and loading the engine) during
      // the reindex and its raw baseline alike.
      const filled = follow(tf, fillTag, fill.length, [0]);
      for (let i = 0; i < fill.length; i += 500) await producer.publish(names.topics.organisations, fill.slice(i, i + 500));
      const fm = await filled;
      report(
        `top-up for the reindex (${fill.length} produced): all indexed`,
        `${secs(fm.allIndexed!)} (${rate(fill.length, fm.allIndexed!)} docs)`,
        `top-N lag then: ${(await lags())[1]}`,
      );
    }
    const total = await highWatermark(names.topics.organisations);
    const docs = await indexDocuments(names.alias);
    const rawAll = await rawBulk(names.alias, docs);
    const tr = now();
    const job = await matching<{ jobId: string }>('POST', '/admin/reindex');
    for (;;) {
      const s = await matching<{ state: string; processedMessages: number }>('GET', `/admin/reindex/${job.body.jobId}`);
      if (s.body.state === 'succeeded') break;
      if (s.body.state !== 'running') throw new Error(`reindex ${s.body.state}`);
      await sleep(250);
    }
    const reindexMs = now() - tr;
    const reindexRate = docs.length / (reindexMs / 1000);
    const rawRate = docs.length / (rawAll / 1000);
    report(
      `reindex: ${total} messages → ${docs.length} documents`,
      `${secs(reindexMs)} (${reindexRate.toFixed(0)} docs/s)`,
      `raw _bulk of the same docs ${secs(rawAll)} (${rawRate.toFixed(0)} docs/s) → ×${(reindexRate / rawRate).toFixed(2)} (target ≥ 0.7)`,
    );
    await producer.disconnect();
    process.stdout.write(
      `\nsummary (n=${n}, 2 cores shared, same run, load average now ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}):\n${rows.join('\n')}\n`,
    );
  } catch (e) {
    // What the services said last (a crash, an engine error) is the first thing to look at.
    for (const service of Object.values(system.services))
      process.stderr.write(`--- ${service.name} output (last lines) ---\n${service.output().slice(-4000)}\n`);
    throw e;
  } finally {
    if (scratchTopics.length) await admin.deleteTopics({ topics: scratchTopics }).catch(() => undefined);
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
