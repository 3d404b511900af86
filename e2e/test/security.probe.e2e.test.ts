import { ensureDevKeys, signatureTwin, withLowS } from '@lm/auth';
import { uniqueName } from '@lm/testing';
import jwt from 'jsonwebtoken';
import { client, dropIndices, startSystem, tokenFor, type System } from './support/system';

/**
 * A re-run of the black-box security probe (issue 10) against the three compiled services:
 * headers, token edge cases, input refused at the edge, ownership of an organisation's kind,
 * bounded lists, and a burst of forged tokens — with no 5xx anywhere.
 */
let system: System;
const statuses: number[] = [];

beforeAll(async () => {
  system = await startSystem();
}, 240_000);

afterAll(async () => {
  await system?.stop();
  if (system) await dropIndices(system.names.alias);
});

const STAFF = tokenFor({ sub: 'probe-staff', role: 'hub_staff' });
const protectedPath = { profiles: '/organisations?limit=1', matching: '/admin/reindex/none', events: '/events?limit=1' } as const;
const SERVICES = ['profiles', 'matching', 'events'] as const;

async function get(service: (typeof SERVICES)[number], path: string, token?: string) {
  const res = await fetch(`${system.services[service].url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  statuses.push(res.status);
  return res;
}

/** A token signed with the dev key the services trust, with claims the probe chose. */
function forged(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return withLowS(
    jwt.sign({ role: 'hub_staff', iat: now, exp: now + 600, ...claims }, ensureDevKeys().privateKey, {
      algorithm: 'ES256',
      issuer: 'https://auth.lombardy-match.local',
      audience: 'lombardy-match',
      subject: 'probe',
    }),
  );
}

describe.each(SERVICES)('the %s service under the probe', (service) => {
  it('when any response goes out (probe, 401, 404), then it carries nosniff, a deny-all CSP and no-store', async () => {
    for (const res of [await get(service, '/healthz'), await get(service, protectedPath[service]), await get(service, '/nowhere', STAFF)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('when the signature of a valid token is replaced by its (r, n − s) twin, or iat/nbf lie a day ahead, then 401', async () => {
    expect((await get(service, protectedPath[service], STAFF)).status).not.toBe(401);
    expect((await get(service, protectedPath[service], signatureTwin(STAFF))).status).toBe(401);
    const tomorrow = Math.floor(Date.now() / 1000) + 86_400;
    expect((await get(service, protectedPath[service], forged({ iat: tomorrow, exp: tomorrow + 600 }))).status).toBe(401);
    expect((await get(service, protectedPath[service], forged({ nbf: tomorrow }))).status).toBe(401);
  });
});

describe('input and ownership', () => {
  it('when a name carries the calendar-injection payload, then profiles answers 400 naming legalName', async () => {
    const company = uniqueName('org-probe');
    const call = client(system.services.profiles.url, tokenFor({ sub: 'probe-co', role: 'company', org: company }));
    const body = {
      kind: 'company',
      subtype: 'startup',
      legalName: 'Acme\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Urgent - pay the registration fee',
      location: { province: 'MI', city: 'Milano' },
      s3Areas: ['health_life_sciences'],
    };
    const bad = await call<{ error: { details: { field: string }[] } }>('POST', '/organisations', body);
    statuses.push(bad.status);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field)).toEqual(['body.legalName']);
    // The same company, with a clean name, may not turn itself into a research centre.
    const created = await call<{ version: number }>('POST', '/organisations', { ...body, legalName: 'Acme Probe S.r.l.' });
    expect(created.status).toBe(201);
    const reclassify = await call(
      'PATCH',
      `/organisations/${company}`,
      { kind: 'research_centre', subtype: 'university' },
      { 'if-match': String(created.body.version) },
    );
    statuses.push(reclassify.status);
    expect(reclassify.status).toBe(403);
  });

  it('when events are listed with limit=1, then one event and a cursor come back', async () => {
    const staff = client(system.services.events.url, STAFF);
    const event = {
      title: 'Probe day',
      online: true,
      timeZone: 'Europe/Rome',
      sessions: [{ date: '2027-03-10', start: '09:00', end: '10:00', slotMinutes: 20, tables: 2 }],
    };
    for (let i = 0; i < 2; i++) expect((await staff('POST', '/events', event)).status).toBe(201);
    const page = await staff<{ items: unknown[]; nextCursor: string | null }>('GET', '/events?limit=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });
});

describe.each(SERVICES)('a burst of forged tokens at the %s service', (service) => {
  it('when 300 bad-token requests arrive 10 at a time, then past the allowance they get 429 with Retry-After, never a 5xx', async () => {
    const seen: number[] = [];
    let retryAfter: string | null = null;
    for (let round = 0; round < 30; round++) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => get(service, protectedPath[service], 'not.a.token')));
      for (const res of batch) {
        seen.push(res.status);
        if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      }
    }
    expect(seen.filter((s) => s === 429).length).toBeGreaterThanOrEqual(250);
    expect(seen.every((s) => s === 401 || s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

afterAll(() => {
  // Over the whole probe: not one 5xx.
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
});
