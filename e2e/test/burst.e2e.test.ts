/**
 * The scenario that once stalled the pipeline for good: a burst of creates and deletes through
 * the profiles API while companies keep asking for their matches. Afterwards every organisation
 * is in the matching index (deleted ones as tombstones), every consumer group of every service
 * reports lag 0 on /metrics, and every service is ready.
 */
import { testEndpoints, uniqueName, waitFor } from '@lm/testing';
import { client, dropIndices, startSystem, tokenFor, type Client, type System } from './support/system';

interface Org {
  id: string;
  version: number;
  kind: string;
}

const BURST = 100;
const DELETES = 40;

function input(n: number) {
  const base = { location: { province: n % 2 ? 'MI' : 'BG', city: n % 2 ? 'Milano' : 'Bergamo' }, s3Areas: ['health_life_sciences'], languages: ['it'] };
  if (n % 10 < 3) {
    return {
      ...base,
      kind: 'company',
      subtype: 'startup',
      legalName: `Burst Medtech ${n}`,
      specialties: ['medical_devices', 'cardiology'],
      stage: 'seed',
      needs: [
        {
          type: 'clinical_trials',
          title: `Sperimentazione clinica ${n}`,
          lang: 'it',
          keywords: ['sperimentazione clinica'],
          s3Areas: ['health_life_sciences'],
          trl: { min: 5, max: 7 },
        },
      ],
      offers: [{ type: 'pilot_site', title: `Dati ECG indossabili ${n}`, lang: 'it' }],
    };
  }
  if (n % 10 < 8) {
    return {
      ...base,
      kind: 'research_centre',
      subtype: 'irccs',
      legalName: `Burst IRCCS ${n}`,
      specialties: ['cardiology'],
      offers: [
        {
          type: 'clinical_trials',
          title: `Sperimentazioni cliniche su dispositivi ${n}`,
          lang: 'it',
          keywords: ['sperimentazioni cliniche'],
          s3Areas: ['health_life_sciences'],
          trl: { min: 4, max: 8 },
        },
      ],
    };
  }
  return {
    ...base,
    kind: 'investor',
    subtype: 'vc_fund',
    legalName: `Burst Fondo ${n}`,
    specialties: ['medical_devices'],
    offers: [{ type: 'funding', title: `Seed medtech ${n}`, lang: 'it', amountEur: { min: 250_000, max: 2_000_000 } }],
    investor: { stages: ['seed'], ticketEur: { min: 250_000, max: 2_000_000 }, sectors: ['medical_devices'], s3Areas: ['health_life_sciences'], geography: [] },
  };
}

/** Runs `fn` over `items`, `concurrency` at a time (a burst, not a flood of sockets). */
async function inParallel<T, R>(items: T[], concurrency: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * A well-behaved client: a 503 marked retriable (profiles answers it while its outbox relay holds
 * the organisation's lock right after a write) is retried after a short pause.
 */
async function retrying<T extends { status: number }>(call: () => Promise<T>, retries: { count: number }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await call();
    if (res.status !== 503 || attempt >= 20) return res;
    retries.count++;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

/** `kafka_consumer_lag` lines of a service's /metrics, summed per group. */
async function lagByGroup(baseUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const lag = new Map<string, number>();
  for (const m of text.matchAll(/^kafka_consumer_lag\{([^}]*)\} (\d+)/gm)) {
    const group = /group="([^"]+)"/.exec(m[1]!)![1]!;
    lag.set(group, (lag.get(group) ?? 0) + Number(m[2]));
  }
  return lag;
}

describe('a burst of creates and deletes while companies query', () => {
  let system: System;
  let staff: Client;

  beforeAll(async () => {
    system = await startSystem();
    staff = client(system.services.profiles.url, tokenFor({ sub: 'e2e-burst-staff', role: 'hub_staff' }));
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
    if (system) await dropIndices(system.names.alias).catch(() => undefined);
  }, 60_000);

  it('when 100 organisations are created and 40 deleted in a burst, then all reach the index, every group returns to lag 0 and every service stays ready', async () => {
    const matching = client(system.services.matching.url, tokenFor({ sub: 'e2e-burst-staff', role: 'hub_staff' }));
    const created: Org[] = [];
    const queryStatuses: number[] = [];
    const retries = { count: 0 };
    let querying = true;
    // Companies (here: staff on their behalf) keep asking for matches during the whole burst.
    const queries = (async () => {
      while (querying) {
        const companies = created.filter((o) => o.kind === 'company');
        const target = companies[queryStatuses.length % Math.max(1, companies.length)];
        if (target) queryStatuses.push((await matching('GET', `/organisations/${target.id}/matches`)).status);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    try {
      const tag = uniqueName('burst');
      await inParallel(
        Array.from({ length: BURST }, (_, n) => n),
        10,
        async (n) => {
          const res = await retrying(() => staff<Org>('POST', '/organisations', { ...input(n), legalName: `${input(n).legalName} ${tag}` }), retries);
          expect(res.status).toBe(201);
          created.push(res.body);
        },
      );
      const doomed = created.filter((_, i) => i % 5 < 2).slice(0, DELETES);
      await inParallel(doomed, 10, async (o) => {
        const res = await retrying(() => staff('DELETE', `/organisations/${o.id}`, undefined, { 'if-match': `"${o.version}"` }), retries);
        expect(res.status).toBe(204);
      });

      // Every organisation is in the matching index: the live ones live, the deleted ones as tombstones.
      const esUrl = testEndpoints().elasticsearchUrl;
      const doomedIds = new Set(doomed.map((o) => o.id));
      await waitFor(
        async () => {
          const res = await fetch(`${esUrl}/${system.names.alias}/_mget`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ids: created.map((o) => o.id) }),
          });
          const docs = ((await res.json()) as { docs: { _id: string; found: boolean; _source?: { deleted: boolean } }[] }).docs;
          return docs.every((d) => d.found && d._source!.deleted === doomedIds.has(d._id));
        },
        { timeoutMs: 120_000, intervalMs: 500, description: 'every organisation in the index, deletions as tombstones' },
      );
      // The matching API agrees: a deleted candidate is in no company's matches.
      const survivors = created.filter((o) => o.kind === 'company' && !doomedIds.has(o.id));
      await waitFor(
        async () => {
          for (const c of survivors) {
            const res = await matching<{ items: { candidate: { id: string } }[] }>('GET', `/organisations/${c.id}/matches?limit=100`);
            if (res.status !== 200 || res.body.items.some((i) => doomedIds.has(i.candidate.id))) return false;
          }
          return true;
        },
        { timeoutMs: 30_000, description: 'no deleted organisation in any match list' },
      );

      // Every consumer group of every service drains: matching's indexing and top-N groups, events' two groups.
      const groups = [
        system.names.groups.matching,
        `${system.names.groups.matching}-topn`,
        system.names.groups.eventsOrganisations,
        system.names.groups.eventsSuggestions,
      ];
      await waitFor(
        async () => {
          const lag = new Map([...(await lagByGroup(system.services.matching.url)), ...(await lagByGroup(system.services.events.url))]);
          if (groups.every((g) => lag.get(g) === 0)) return true;
          throw new Error(`lag ${groups.map((g) => `${g}=${lag.get(g)}`).join(', ')}`);
        },
        { timeoutMs: 120_000, intervalMs: 1_000, description: `lag 0 on ${groups.join(', ')}` },
      );
    } catch (e) {
      // What the services logged (warnings and errors) tells why a group did not drain.
      if (e instanceof Error)
        e.message += `\n${Object.values(system.services)
          .map((s) => `--- ${s.name} ---\n${s.output()}`)
          .join('\n')}`;
      throw e;
    } finally {
      querying = false;
      await queries.catch(() => undefined);
    }

    for (const s of Object.values(system.services)) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(queryStatuses.length).toBeGreaterThan(0);
    expect(queryStatuses.filter((s) => s >= 500)).toEqual([]);
  }, 400_000);
});
