import { figureOf, type BenchRequest, type Figure } from './load';

// Single requests against the running service, timed one at a time (steps that happen once per
// event, list walks, status polls) and read from its /metrics.

export const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  // Series carry the registry's default labels: `name{service="events"} 12`.
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** Waits (up to 3 minutes) until no outbox mark (unpublished envelopes) is left; returns the seconds waited. */
export async function waitDrained(url: string): Promise<number> {
  const t0 = performance.now();
  const deadline = Date.now() + 180_000;
  while ((await metric(url, 'events_outbox_backlog')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return (performance.now() - t0) / 1000;
}

/** One request timed on its own (a step that happens once per event: create, generate, publish). */
export async function timed(name: string, url: string, r: BenchRequest): Promise<{ figure: Figure; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(`${url}${r.path}`, {
    method: r.method ?? 'GET',
    headers: { authorization: `Bearer ${r.token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
    ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return { figure: figureOf(name, [ms], ms / 1000, 0), body: JSON.parse(text) };
}

/** The same request `n` times, one after another (a staff read that happens now and then, not under load); the last body. */
export async function timedRepeats(name: string, url: string, r: BenchRequest, n: number): Promise<{ figure: Figure; body: unknown; latencies: number[] }> {
  const latencies: number[] = [];
  let body: unknown;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const one = await timed(name, url, r);
    latencies.push(one.figure.p50);
    body = one.body;
  }
  return { figure: figureOf(name, latencies, (performance.now() - t0) / 1000, 0), body, latencies };
}

/** Walks a list to its end with cursor pages, one page after another (as a console does). */
export async function walk(name: string, url: string, path: string, token: string): Promise<{ figure: Figure; items: Record<string, unknown>[] }> {
  const latencies: number[] = [];
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  const t0 = performance.now();
  do {
    const s = performance.now();
    const res = await fetch(`${url}${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    latencies.push(performance.now() - s);
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${JSON.stringify(page).slice(0, 300)}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { figure: figureOf(name, latencies, (performance.now() - t0) / 1000, 0), items };
}

/** Polls a run's status every 250 ms until it stops running; the last status and each poll's latency. */
export async function pollWhileRunning<T extends { running: boolean }>(url: string, path: string, token: string): Promise<{ status: T; latencies: number[] }> {
  const latencies: number[] = [];
  let status: T;
  do {
    await new Promise((r) => setTimeout(r, 250));
    const t0 = performance.now();
    status = (await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    latencies.push(performance.now() - t0);
  } while (status.running);
  return { status, latencies };
}
