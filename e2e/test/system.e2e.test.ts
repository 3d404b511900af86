import { uniqueName, waitFor } from '@lm/testing';
import ical from 'node-ical';
import { companyFixture, investorFixture, irccsFixture } from './support/organisations';
import { client, dropIndices, startPartnerConsumer, startSystem, tokenFor, type Client, type SeenEvent, type System } from './support/system';

/**
 * The whole system as users see it: the three compiled services run as child processes on real
 * Kafka, MongoDB-wire and Elasticsearch, each with its own database / index alias / topics /
 * consumer groups. One scenario, step by step: profiles → matching (HTTP and partner events) →
 * events (registration from the profiles topic, requests, schedule, .ics agenda).
 */

interface Org {
  id: string;
  version: number;
  legalName: string;
}
interface MatchItem {
  matchId: string;
  rank: number;
  score: number;
  candidate: { id: string; kind: string; name: string };
  explanation: { parts: Record<string, number>; matchedSpecialties: string[]; matchedTerms: string[]; summary: string; weightsVersion: string };
}
interface Participant {
  id: string;
  organisation: { name: string };
}

const COMPANY_ID = uniqueName('org-e2e-company');
const IRCCS_NAME = 'IRCCS Cuore Lombardia E2E';
const INVESTOR_NAME = 'Fondo Seed Medtech E2E';

const irccsInput = irccsFixture(IRCCS_NAME);
const investorInput = investorFixture(INVESTOR_NAME);
const companyInput = companyFixture('CardioSense E2E S.r.l.');

describe('the whole system, as its users see it', () => {
  let system: System;
  let partner: { seen: SeenEvent[]; stop: () => Promise<void> };
  let staffProfiles: Client;
  let companyProfiles: Client;
  let companyMatching: Client;
  let irccs: Org;
  let investor: Org;

  /** The changes the partner was told for the company (suggested / updated / withdrawn), from its suggestion messages. */
  type Change = { type: string; candidateId: string; candidateName: string; reason?: string };
  const partnerChanges = (type: string, candidateId?: string) =>
    partner.seen
      .filter((e) => e.key === COMPANY_ID && e.type === 'match.suggestions.changed')
      .flatMap((e) => e.data.changes as Change[])
      .filter((c) => c.type === type && (!candidateId || c.candidateId === candidateId));

  /** The company's current matches, or undefined until the matching service knows the company. */
  async function companyMatches(): Promise<MatchItem[] | undefined> {
    const res = await companyMatching<{ items: MatchItem[] }>('GET', `/organisations/${COMPANY_ID}/matches`);
    return res.status === 200 ? res.body.items : undefined;
  }
  const itemFor = (items: MatchItem[] | undefined, id: string) => items?.find((i) => i.candidate.id === id);

  beforeAll(async () => {
    system = await startSystem();
    const { profiles, matching } = system.services;
    staffProfiles = client(profiles.url, tokenFor({ sub: 'e2e-staff', role: 'hub_staff' }));
    const companyToken = tokenFor({ sub: 'e2e-company-user', role: 'company', org: COMPANY_ID });
    companyProfiles = client(profiles.url, companyToken);
    companyMatching = client(matching.url, companyToken);
    // The topic exists (matching created it at start-up); the group join runs while the scenario starts.
    partner = await startPartnerConsumer(system.names.topics.suggestions, system.names.groups.partner);
  }, 120_000);

  afterAll(async () => {
    await partner?.stop();
    await system?.stop();
    if (system) await dropIndices(system.names.alias).catch(() => undefined);
  }, 60_000);

  /** A scenario step; on failure the error carries what the services logged (warnings and errors). */
  const step = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (e) {
      const logs = system
        ? Object.values(system.services)
            .map((s) => `--- ${s.name} ---\n${s.output()}`)
            .join('\n')
        : '';
      if (e instanceof Error) e.message += `\n${logs}`;
      throw e;
    }
  };

  it(
    'when hub staff create an IRCCS and an investor and a company creates its own profile, then profiles returns them with version 1',
    step(async () => {
      const [rc, inv] = await Promise.all([
        staffProfiles<Org>('POST', '/organisations', irccsInput),
        staffProfiles<Org>('POST', '/organisations', investorInput),
      ]);
      expect([rc.status, inv.status]).toEqual([201, 201]);
      irccs = rc.body;
      investor = inv.body;
      const company = await companyProfiles<Org>('POST', '/organisations', companyInput);
      expect(company.status).toBe(201);
      // A company user's profile is the organisation its token names.
      expect(company.body).toMatchObject({ id: COMPANY_ID, version: 1, legalName: companyInput.legalName });
      expect(company.headers.get('etag')).toBe('"1"');
    }),
  );

  it(
    'when the company asks for its matches, then within seconds it sees the IRCCS and the investor, each explained by parts that add up to the score',
    step(async () => {
      const items = await waitFor(
        async () => {
          const got = await companyMatches();
          return itemFor(got, irccs.id) && itemFor(got, investor.id) ? got : undefined;
        },
        { timeoutMs: 20_000, description: 'the IRCCS and the investor in the company matches' },
      );
      expect(items.map((i) => i.rank)).toEqual(items.map((_, i) => i + 1));
      for (const item of [itemFor(items, irccs.id)!, itemFor(items, investor.id)!]) {
        const sum = Object.values(item.explanation.parts).reduce((a, b) => a + b, 0);
        expect(item.score).toBeGreaterThan(0);
        expect(sum).toBeCloseTo(item.score, 3);
        expect(item.explanation.weightsVersion).toEqual(expect.any(String));
        expect(item.explanation.summary).toContain(item.candidate.name);
      }
      const rc = itemFor(items, irccs.id)!;
      expect(rc.candidate).toMatchObject({ kind: 'research_centre', name: IRCCS_NAME });
      // Italian inflections meet: "sperimentazione clinica" (need) ~ "sperimentazioni cliniche" (offer).
      expect(rc.explanation.parts.need_fit).toBeGreaterThan(0);
      expect(rc.explanation.matchedTerms.join(' ').toLowerCase()).toMatch(/sperimentazion|clinic/);
      expect(itemFor(items, investor.id)!.explanation.parts.investor_fit).toBeGreaterThan(0);
    }),
  );

  it(
    'when a partner system follows the suggestions topic, then it is told of the suggestions for the company',
    step(async () => {
      const suggested = await waitFor(() => partnerChanges('suggested', irccs.id)[0], { timeoutMs: 20_000, description: 'the IRCCS suggested' });
      expect(suggested).toMatchObject({ candidateId: irccs.id, candidateName: IRCCS_NAME });
      await waitFor(() => partnerChanges('suggested', investor.id)[0], { timeoutMs: 20_000, description: 'the investor suggested' });
    }),
  );

  it(
    'when hub staff update the IRCCS with If-Match, then the company sees the change in its matches',
    step(async () => {
      const stale = await staffProfiles('PATCH', `/organisations/${irccs.id}`, { specialties: ['cardiology'] }, { 'if-match': '"0"' });
      expect(stale.status).toBe(412);
      const before = itemFor(await companyMatches(), irccs.id)!;
      const res = await staffProfiles<Org>(
        'PATCH',
        `/organisations/${irccs.id}`,
        { specialties: ['cardiology', 'medical_devices'] },
        { 'if-match': `"${irccs.version}"` },
      );
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(irccs.version + 1);
      irccs = res.body;
      const after = await waitFor(
        async () => {
          const item = itemFor(await companyMatches(), irccs.id);
          return item?.explanation.matchedSpecialties.includes('medical_devices') ? item : undefined;
        },
        { timeoutMs: 20_000, description: 'the IRCCS matching on medical devices too' },
      );
      expect(after.explanation.parts.specialty).toBeGreaterThan(before.explanation.parts.specialty!);
      expect(after.score).toBeGreaterThan(before.score);
    }),
  );

  it(
    'when hub staff delete the investor, then it disappears from the matches and the partner is told it was withdrawn',
    step(async () => {
      const res = await staffProfiles('DELETE', `/organisations/${investor.id}`, undefined, { 'if-match': `"${investor.version}"` });
      expect(res.status).toBe(204);
      expect((await staffProfiles('GET', `/organisations/${investor.id}`)).status).toBe(404);
      await waitFor(
        async () => {
          const items = await companyMatches();
          return items !== undefined && !itemFor(items, investor.id) && itemFor(items, irccs.id) !== undefined;
        },
        { timeoutMs: 20_000, description: 'the investor gone from the matches' },
      );
      const withdrawn = await waitFor(() => partnerChanges('withdrawn', investor.id)[0], { timeoutMs: 20_000, description: 'the investor withdrawn' });
      expect(withdrawn).toMatchObject({ candidateId: investor.id, reason: 'candidate_deleted' });
    }),
  );

  it(
    'when staff run a B2B event with the company and the IRCCS, then the company agenda (.ics) holds its meeting with the IRCCS at the right local time',
    step(async () => {
      const { events } = system.services;
      const staff = client(events.url, tokenFor({ sub: 'e2e-staff', role: 'hub_staff' }));
      const company = client(events.url, tokenFor({ sub: 'e2e-company-user', role: 'company', org: COMPANY_ID }));
      const centre = client(events.url, tokenFor({ sub: 'e2e-irccs-user', role: 'company', org: irccs.id }));

      // 10 February: Europe/Rome is on CET (UTC+1), so 09:00-11:00 local is 08:00-10:00 UTC.
      const created = await staff<{ id: string }>('POST', '/events', {
        title: 'Life Sciences B2B E2E',
        venue: 'Palazzo Lombardia, Milano',
        timeZone: 'Europe/Rome',
        sessions: [{ id: 'morning', name: 'Mattina', date: '2027-02-10', start: '09:00', end: '11:00', slotMinutes: 20, tables: 4 }],
      });
      expect(created.status).toBe(201);
      const eventId = created.body.id;

      // The events service knows organisations only from the profiles topic: registration succeeds once it has the snapshot.
      const register = (organisationId: string) =>
        waitFor(
          async () => {
            const res = await staff<Participant>('POST', `/events/${eventId}/participants`, { organisationId });
            if (res.status !== 201 && res.status !== 422) throw new Error(`registration answered ${res.status}: ${res.text}`);
            return res.status === 201 ? res.body : undefined;
          },
          { timeoutMs: 20_000, description: `registration of ${organisationId}` },
        );
      const [companyP, irccsP] = await Promise.all([register(COMPANY_ID), register(irccs.id)]);
      expect(irccsP.organisation.name).toBe(IRCCS_NAME);

      const request = await company<{ id: string; status: string }>('POST', `/events/${eventId}/requests`, {
        to: irccsP.id,
        priority: 'must_meet',
        message: 'Vorremmo parlare di sperimentazione clinica',
      });
      expect(request.status).toBe(201);
      expect(request.body.status).toBe('pending');
      const accepted = await centre<{ status: string }>('POST', `/events/${eventId}/requests/${request.body.id}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('accepted');

      const generated = await staff('POST', `/events/${eventId}/schedule:generate`);
      expect(generated.status).toBe(200);
      const published = await staff('POST', `/events/${eventId}/schedule:publish`, undefined, { 'if-match': generated.headers.get('etag')! });
      expect(published.status).toBe(200);

      const agenda = await company('GET', `/events/${eventId}/participants/${companyP.id}/agenda?format=ics`);
      expect(agenda.status).toBe(200);
      expect(agenda.headers.get('content-type')).toContain('text/calendar');
      const meetings = Object.values(ical.sync.parseICS(agenda.text)).filter((c): c is ical.VEvent => c.type === 'VEVENT');
      expect(meetings).toHaveLength(1);
      const meeting = meetings[0]!;
      expect(String(meeting.summary)).toContain(IRCCS_NAME);
      expect(meeting.start.getTime()).toBeGreaterThanOrEqual(Date.parse('2027-02-10T08:00:00Z'));
      expect(meeting.end.getTime()).toBeLessThanOrEqual(Date.parse('2027-02-10T10:00:00Z'));
      expect(meeting.end.getTime() - meeting.start.getTime()).toBe(20 * 60_000);
    }),
  );
});
