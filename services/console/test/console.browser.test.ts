import { uniqueName, waitFor } from '@lm/testing';
import fs from 'fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { journey, launchChromium, settled } from './support/browser';
import { client, companyFixture, dropIndices, investorFixture, irccsFixture, startConsoleSystem, tokenFor, type ConsoleSystem } from './support/console-system';

/**
 * The console as its users see it, in real Chromium, against the compiled services on the real
 * engines. Each journey saves screenshots (test-artifacts/<journey>/) and checks every page at
 * 1280 px and 390 px with axe-core.
 */

const COMPANY_ID = uniqueName('org-console-company');
const COMPANY_NAME = `CardioSense Console ${COMPANY_ID.slice(-6)}`;
const IRCCS_NAME = `IRCCS Cuore Console ${COMPANY_ID.slice(-6)}`;
const INVESTOR_NAME = `Fondo Seed Console ${COMPANY_ID.slice(-6)}`;
const EVENT_TITLE = `Life Sciences B2B ${COMPANY_ID.slice(-6)}`;

const irccsInput = irccsFixture(IRCCS_NAME);
const investorInput = investorFixture(INVESTOR_NAME);
const companyInput = companyFixture(COMPANY_NAME);

/** The development sign-in as an organisation's user: pick the role, find the organisation, sign in. */
async function signInAsCompany(page: Page, org = { id: COMPANY_ID, name: COMPANY_NAME }): Promise<void> {
  await page.getByLabel('Role').selectOption('company');
  await page.getByLabel('Search organisations by name').fill(org.name);
  await page.getByLabel('Organisation', { exact: true }).selectOption(org.id);
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  await page.waitForURL('**/profile');
}

interface Org {
  id: string;
  version: number;
}

describe('the web console in Chromium', () => {
  let sys: ConsoleSystem;
  let browser: Browser;
  let baseUrl: string;
  let staffProfiles: ReturnType<typeof client>;
  let irccs: Org;
  let investor: Org;
  /** The event hub staff create in the browser (the company then takes part in it). */
  let eventUrl: string;

  /** A fresh browser context (own storage) per user, English UI, watched for errors. */
  async function openAs(rec: ReturnType<typeof journey>): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    rec.watch(page);
    return { context, page };
  }

  /**
   * One user's browser context for a describe block: opened before its steps, closed after;
   * after each step, whatever the journey recorder found (a11y, overflow, console errors) fails it.
   */
  function userSession(rec: ReturnType<typeof journey>, onPage: (page: Page) => void): void {
    let context: BrowserContext | undefined;
    beforeAll(async () => {
      const opened = await openAs(rec);
      context = opened.context;
      onPage(opened.page);
    });
    afterAll(() => context?.close());
    afterEach(() => expect(rec.problems()).toEqual([]));
  }

  /** On failure, the services' and the console's own output is attached to the error. */
  const step = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (e) {
      const procs = sys ? [...Object.values(sys.system.services), sys.console] : [];
      if (e instanceof Error) e.message += `\n${procs.map((s) => `--- ${s.name} ---\n${s.output().slice(-3000)}`).join('\n')}`;
      throw e;
    }
  };

  beforeAll(async () => {
    sys = await startConsoleSystem();
    baseUrl = sys.console.url;
    browser = await launchChromium();
    const { profiles, matching, events } = sys.system.services;
    staffProfiles = client(profiles.url, tokenFor({ sub: 'console-test-staff', role: 'hub_staff' }));
    const [rc, inv] = await Promise.all([
      staffProfiles<Org>('POST', '/organisations', irccsInput),
      staffProfiles<Org>('POST', '/organisations', investorInput),
    ]);
    expect([rc.status, inv.status]).toEqual([201, 201]);
    irccs = rc.body;
    investor = inv.body;
    const companyToken = tokenFor({ sub: 'console-test-company', role: 'company', org: COMPANY_ID });
    expect((await client(profiles.url, companyToken)('POST', '/organisations', companyInput)).status).toBe(201);
    // Matching has indexed all three and the events service knows their profiles before the journeys start.
    const companyMatching = client(matching.url, companyToken);
    await waitFor(
      async () => {
        const res = await companyMatching<{ items: { candidate: { id: string } }[] }>('GET', `/organisations/${COMPANY_ID}/matches`);
        const ids = res.status === 200 ? res.body.items.map((i) => i.candidate.id) : [];
        return ids.includes(irccs.id) && ids.includes(investor.id);
      },
      { timeoutMs: 30_000, description: 'matches for the company' },
    );
    const staffEvents = client(events.url, tokenFor({ sub: 'console-test-staff', role: 'hub_staff' }));
    const probe = await staffEvents<{ id: string }>('POST', '/events', {
      title: 'Probe',
      online: true,
      timeZone: 'Europe/Rome',
      sessions: [{ date: '2027-01-10', start: '09:00', end: '10:00', slotMinutes: 20, tables: 1 }],
    });
    for (const id of [COMPANY_ID, irccs.id, investor.id]) {
      await waitFor(async () => (await staffEvents('POST', `/events/${probe.body.id}/participants`, { organisationId: id })).status < 300, {
        timeoutMs: 30_000,
        description: `the events service knowing ${id}`,
      });
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    if (sys) await dropIndices(sys.system.names.alias).catch(() => undefined);
  }, 60_000);

  describe('a company user', () => {
    const rec = journey('company');
    let page: Page;
    userSession(rec, (p) => (page = p));

    it(
      'when they sign in with the development sign-in, then they land on their own profile',
      step(async () => {
        await page.goto('/');
        await rec.check(page, 'sign-in');
        await signInAsCompany(page);
        await page.getByRole('heading', { level: 1, name: COMPANY_NAME }).waitFor();
        await rec.check(page, 'profile');
      }),
    );

    it(
      'when they switch to Italian, then the choice is remembered after a reload',
      step(async () => {
        await page.getByRole('button', { name: 'IT', exact: true }).click();
        await page.reload();
        await settled(page);
        expect(await page.getAttribute('html', 'lang')).toBe('it');
        await expect(page.getByRole('link', { name: 'Suggerimenti' }).isVisible()).resolves.toBe(true);
        await rec.check(page, 'profile-it');
        await page.getByRole('button', { name: 'EN', exact: true }).click();
        await expect(page.getByRole('link', { name: 'Suggestions' }).isVisible()).resolves.toBe(true);
      }),
    );

    it(
      'when they enter a TRL range backwards, then the error is shown on that field and nothing is saved',
      step(async () => {
        await page.locator('[name="needs.0.trl.min"]').fill('9');
        await page.locator('[name="needs.0.trl.max"]').fill('5');
        await page.getByRole('button', { name: 'Save' }).click();
        const field = page.locator('.field-invalid', { has: page.locator('[name="needs.0.trl.min"]') });
        await field.locator('.field-error').waitFor();
        expect(await field.locator('.field-error').textContent()).toMatch(/min must be <= max/);
        expect(await page.locator('[name="needs.0.trl.min"]').getAttribute('aria-invalid')).toBe('true');
        await rec.check(page, 'profile-field-error');
        const stored = await staffProfiles<{ needs: { trl?: { min: number } }[] }>('GET', `/organisations/${COMPANY_ID}`);
        expect(stored.body.needs[0]!.trl!.min).toBe(5);
      }),
    );

    it(
      'when they fix it and save, then the new version is stored',
      step(async () => {
        await page.locator('[name="needs.0.trl.min"]').fill('4');
        await page.locator('[name="needs.0.trl.max"]').fill('7');
        await page.getByLabel('City', { exact: true }).fill('Monza');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Saved\. Version 2\./).waitFor();
        const stored = await staffProfiles<{ version: number; location: { city: string }; needs: { trl?: { min: number } }[] }>(
          'GET',
          `/organisations/${COMPANY_ID}`,
        );
        expect(stored.body).toMatchObject({ version: 2, location: { city: 'Monza' } });
        expect(stored.body.needs[0]!.trl!.min).toBe(4);
      }),
    );

    it(
      'when someone else changed the profile meanwhile, then saving shows the version conflict and a reload shows their change',
      step(async () => {
        const res = await staffProfiles('PATCH', `/organisations/${COMPANY_ID}`, { legalName: `${COMPANY_NAME} S.r.l.` }, { 'if-match': '"2"' });
        expect(res.status).toBe(200);
        await page.getByLabel('City', { exact: true }).fill('Bergamo');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Someone else changed this profile/).waitFor();
        await rec.check(page, 'profile-conflict');
        await page.getByRole('button', { name: 'Reload the profile' }).click();
        await waitFor(async () => (await page.getByLabel('Legal name').inputValue()) === `${COMPANY_NAME} S.r.l.`, {
          timeoutMs: 10_000,
          description: 'the reloaded profile',
        });
        expect(await page.getByLabel('City', { exact: true }).inputValue()).toBe('Monza');
        expect((await staffProfiles<{ location: { city: string } }>('GET', `/organisations/${COMPANY_ID}`)).body.location.city).toBe('Monza');
      }),
    );

    it(
      'when they open their suggestions, then each candidate is explained by score bars and matched terms',
      step(async () => {
        await page.getByRole('link', { name: 'Suggestions' }).click();
        const rc = page.locator(`article[data-candidate="${irccs.id}"]`);
        await rc.waitFor();
        await page.locator(`article[data-candidate="${investor.id}"]`).waitFor();
        expect(await rc.locator('.bar-row').count()).toBeGreaterThan(0);
        expect(await rc.locator('.bar-row[data-part="need_fit"]').count()).toBe(1);
        expect((await rc.locator('.terms').textContent())?.toLowerCase()).toMatch(/sperimentazion|clinic/);
        await rec.check(page, 'suggestions');
      }),
    );

    it(
      'when they decline a suggestion with a reason, then it disappears and stays gone after a reload',
      step(async () => {
        const inv = page.locator(`article[data-candidate="${investor.id}"]`);
        await inv.getByRole('button', { name: 'Decline' }).click();
        await inv.getByLabel('Reason (optional)').fill('Not raising now');
        await inv.getByRole('button', { name: 'Confirm decline' }).click();
        await inv.waitFor({ state: 'detached' });
        await page.reload();
        await page.locator(`article[data-candidate="${irccs.id}"]`).waitFor();
        await settled(page);
        expect(await page.locator(`article[data-candidate="${investor.id}"]`).count()).toBe(0);
      }),
    );

    it(
      'when they accept a suggestion, then it is marked accepted, also after a reload',
      step(async () => {
        const rc = page.locator(`article[data-candidate="${irccs.id}"]`);
        await rc.getByRole('button', { name: 'Accept' }).click();
        await rc.getByText('Accepted').waitFor();
        await waitFor(
          async () => {
            await page.reload();
            await page.locator(`article[data-candidate="${irccs.id}"]`).waitFor();
            return (await page.locator(`article[data-candidate="${irccs.id}"] .badge-ok`).count()) === 1;
          },
          { timeoutMs: 15_000, description: 'the accepted mark after a reload' },
        );
        await rec.check(page, 'suggestions-decided');
      }),
    );
  });

  describe('hub staff', () => {
    const rec = journey('hub-staff');
    let page: Page;
    userSession(rec, (p) => (page = p));

    it(
      'when they sign in, then they see the organisations and can search them',
      step(async () => {
        await page.goto('/');
        await page.getByLabel('Role').selectOption('hub_staff');
        await page.getByRole('button', { name: 'Sign in' }).first().click();
        await page.waitForURL('**/organisations');
        await page.getByRole('searchbox', { name: 'Search' }).fill(IRCCS_NAME);
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.getByRole('link', { name: IRCCS_NAME }).waitFor();
        await rec.check(page, 'organisations');
      }),
    );

    it(
      'when they import a CSV with a bad row, then the report table shows that row and its error',
      step(async () => {
        const csv = [
          'kind,subtype,legalName,province,city,s3Areas',
          `research_centre,university,Università Console ${COMPANY_ID.slice(-6)},PV,Pavia,health_life_sciences`,
          'company,startup,X,MI,,health_life_sciences',
        ].join('\n');
        await page.getByLabel('File to import').setInputFiles({ name: 'organisations.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await page.getByText('2 rows: 1 created, 0 updated, 1 failed.').waitFor();
        const bad = page.locator('table.import-report tr.status-failed');
        expect(await bad.count()).toBe(1);
        expect(await bad.locator('td').first().textContent()).toBe('2');
        expect(await bad.textContent()).toMatch(/legalName|city/);
        await rec.check(page, 'import-report');
        // The same report for a JSON array.
        const rows = [irccsFixture(`Centro JSON ${COMPANY_ID.slice(-6)}`), { kind: 'company', legalName: 'Y' }];
        await page
          .getByLabel('File to import')
          .setInputFiles({ name: 'organisations.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await page.getByText('2 rows: 1 created, 0 updated, 1 failed.').waitFor();
        expect(await page.locator('table.import-report tr.status-failed td').first().textContent()).toBe('2');
      }),
    );

    it(
      'when they open a profile from the list, then they see it',
      step(async () => {
        await page.getByRole('link', { name: IRCCS_NAME }).click();
        await page.getByRole('heading', { level: 1, name: IRCCS_NAME }).waitFor();
        await rec.check(page, 'organisation-profile');
      }),
    );

    it(
      'when they create an event, then its page opens with its sessions in the event time zone',
      step(async () => {
        await page.getByRole('link', { name: 'Events' }).click();
        await settled(page);
        await page.getByRole('button', { name: 'New event' }).click();
        await page.getByLabel('Title').fill('Life Sciences B2B draft');
        await page.getByLabel('Venue').fill('Palazzo Lombardia, Milano');
        await page.locator('[name="sessions.0.date"]').fill('2027-03-15');
        await page.getByLabel('Start').fill('09:00');
        await page.getByLabel('End', { exact: true }).fill('10:00');
        await page.locator('[name="sessions.0.tables"]').fill('2');
        await rec.check(page, 'event-create');
        await page.getByRole('button', { name: 'Create event' }).click();
        await page.waitForURL(/\/events\/[^/]+$/);
        eventUrl = new URL(page.url()).pathname;
        await page.getByText('Europe/Rome').first().waitFor();
        await rec.check(page, 'event-overview');
      }),
    );

    it(
      'when they edit the event, then the change is saved with the version they read',
      step(async () => {
        await page.getByRole('button', { name: 'Edit event' }).click();
        await page.getByLabel('Title').fill(EVENT_TITLE);
        await page.getByLabel('Pending requests expire after (hours)').fill('48');
        await rec.check(page, 'event-edit');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('heading', { level: 1, name: EVENT_TITLE }).waitFor();
        await page.locator('.facts', { hasText: '48' }).waitFor();
      }),
    );

    it(
      'when a page cannot load its data, then it says why and offers a retry instead of a blank page',
      step(async () => {
        await page.goto('/events/no-such-event');
        await page.getByRole('alert').waitFor();
        expect(await page.getByRole('alert').textContent()).toMatch(/404/);
        await page.getByRole('button', { name: 'Try again' }).waitFor();
        await rec.check(page, 'error-state');
        await page.goto(eventUrl);
        await page.getByRole('heading', { level: 1, name: EVENT_TITLE }).waitFor();
      }),
    );

    it(
      'when they register participants, then they are listed',
      step(async () => {
        await page.getByRole('link', { name: 'Participants' }).click();
        for (const name of [COMPANY_NAME, IRCCS_NAME, INVESTOR_NAME]) {
          await page.getByLabel('Search organisations by name').fill(name);
          await page.getByRole('button', { name: 'Search', exact: true }).click();
          await page.getByRole('button', { name: new RegExp(`^Register ${name}`) }).click();
          await page.locator('table.participants td', { hasText: name }).first().waitFor();
        }
        expect(await page.locator('table.participants tbody tr').count()).toBe(3);
        await rec.check(page, 'participants');
      }),
    );

    it(
      'when they send meeting requests for the company, then the requests are listed',
      step(async () => {
        await page.getByRole('link', { name: 'Requests' }).click();
        await settled(page);
        for (const to of [IRCCS_NAME, INVESTOR_NAME]) {
          const from = await page.getByLabel('From').locator('option', { hasText: COMPANY_NAME }).getAttribute('value');
          await page.getByLabel('From').selectOption(from!);
          await page.getByLabel('To', { exact: true }).selectOption({ label: to });
          await page.getByLabel('Priority').selectOption('must_meet');
          await page.getByRole('button', { name: 'Send' }).click();
          await page.locator('table.requests td', { hasText: to }).waitFor();
        }
        expect(await page.locator('table.requests tbody tr').count()).toBe(2);
        await rec.check(page, 'requests');
      }),
    );

    it(
      'when they run the scheduler, then they see the objective, the % of the upper bound and the grid',
      step(async () => {
        await page.getByRole('link', { name: 'Schedule' }).click();
        await page.getByRole('button', { name: 'Run the scheduler' }).click();
        await page.getByTestId('percent-of-bound').waitFor();
        expect(Number(await page.getByTestId('objective').textContent())).toBeGreaterThan(0);
        expect(await page.getByTestId('percent-of-bound').textContent()).toMatch(/^\d+(\.\d)?%$/);
        await waitFor(async () => (await page.locator('button.meeting').count()) === 2, { timeoutMs: 10_000, description: 'two meetings in the grid' });
        await rec.check(page, 'schedule');
      }),
    );

    it(
      'when they move a meeting in the grid, then conflicts are shown before saving and a free cell saves',
      step(async () => {
        const cells = await page.locator('td:has(button.meeting)').evaluateAll((tds) =>
          tds.map((td) => ({
            slot: Number(td.getAttribute('data-slot')),
            table: Number(td.getAttribute('data-table')),
            id: td.querySelector('button')!.getAttribute('data-meeting')!,
          })),
        );
        const [first, second] = cells as [(typeof cells)[0], (typeof cells)[0]];
        await page.locator(`button[data-meeting="${first.id}"]`).click();
        // The company already meets someone in the other meeting's slot: a conflict, shown at once.
        const busyTable = second.table === 1 ? 2 : 1;
        await page.locator(`td[data-slot="${second.slot}"][data-table="${busyTable}"] button.cell-target`).click();
        await page.locator('.conflicts li', { hasText: 'already has a meeting in that slot' }).first().waitFor();
        expect(await page.getByRole('button', { name: 'Save the move' }).isDisabled()).toBe(true);
        await rec.check(page, 'schedule-conflict');
        const freeSlot = [0, 1, 2].find((s) => s !== first.slot && s !== second.slot)!;
        await page.locator(`td[data-slot="${freeSlot}"][data-table="1"] button.cell-target`).click();
        await page.getByText('No conflict: the move can be saved.').waitFor();
        await page.getByRole('button', { name: 'Save the move' }).click();
        await page.locator(`td[data-slot="${freeSlot}"][data-table="1"] button[data-meeting="${first.id}"]`).waitFor();
      }),
    );

    it(
      'when they publish, then the schedule is marked published',
      step(async () => {
        await page.getByRole('button', { name: 'Publish' }).click();
        await page.getByText(/Published \(no\. 1\)/).waitFor();
        await rec.check(page, 'schedule-published');
      }),
    );

    it(
      'when they check someone in, then the check-in is recorded',
      step(async () => {
        await page.getByRole('link', { name: 'Check-in' }).click();
        await page.getByLabel('Search a participant').fill('IRCCS');
        await page.getByRole('button', { name: `Check in: ${IRCCS_NAME}` }).click();
        await page.locator('.attendee', { hasText: IRCCS_NAME }).getByText('checked in').waitFor();
        await page.getByLabel('Search a participant').fill('Fondo');
        await page.getByRole('button', { name: `No-show: ${INVESTOR_NAME}` }).click();
        await page.locator('.attendee', { hasText: INVESTOR_NAME }).locator('.badge-bad').waitFor();
        await rec.check(page, 'check-in');
      }),
    );

    it(
      'when they open the analytics, then charts show requested, accepted and realised meetings',
      step(async () => {
        await page.getByRole('link', { name: 'Analytics' }).click();
        await page.locator('.bar-row[data-part="requested"]').waitFor();
        expect(await page.locator('.bar-row[data-part="requested"] .bar-value').textContent()).toBe('2');
        expect(await page.locator('figure.bars').count()).toBe(2);
        await rec.check(page, 'analytics');
      }),
    );

    it(
      'when they start a reindex, then its progress bar runs to the end',
      step(async () => {
        await page.getByRole('link', { name: 'Matching' }).click();
        await page.getByRole('button', { name: 'Start a reindex' }).click();
        await page.getByText('Finished').waitFor({ timeout: 60_000 });
        expect(await page.locator('#reindex-progress').getAttribute('value')).toBe('100');
        await rec.check(page, 'reindex');
      }),
    );
  });

  describe('a company at the event', () => {
    const rec = journey('company-event');
    let page: Page;
    userSession(rec, (p) => (page = p));

    it(
      'when the company opens its events, then it sees the event it is registered in',
      step(async () => {
        await page.goto('/');
        await signInAsCompany(page);
        await page.getByRole('link', { name: 'Events' }).click();
        await page.getByRole('link', { name: EVENT_TITLE }).waitFor();
        await rec.check(page, 'my-events');
        await page.getByRole('link', { name: EVENT_TITLE }).click();
        await page.getByText('Europe/Rome').first().waitFor();
        await rec.check(page, 'my-event');
      }),
    );

    it(
      'when it opens its requests, then it sees the ones sent for it and accepts one it received',
      step(async () => {
        // The IRCCS asks the company for a meeting (through the API, as its own user would).
        const eventId = decodeURIComponent(eventUrl.split('/')[2]!);
        const events = sys.system.services.events.url;
        const staff = client(events, tokenFor({ sub: 'console-test-staff', role: 'hub_staff' }));
        const participants = (
          await staff<{ id: string; organisationId: string }[] | { items: { id: string; organisationId: string }[] }>('GET', `/events/${eventId}/participants`)
        ).body;
        const list = Array.isArray(participants) ? participants : participants.items;
        const companyPid = list.find((p) => p.organisationId === COMPANY_ID)!.id;
        const asked = await client(events, tokenFor({ sub: 'console-test-irccs', role: 'company', org: irccs.id }))('POST', `/events/${eventId}/requests`, {
          to: companyPid,
          priority: 'would_like',
          message: 'Parliamo del trial',
        });
        expect(asked.status).toBeLessThan(300);

        await page.getByRole('link', { name: 'Requests' }).click();
        const sent = page.locator('section[aria-label="Sent"] table.requests tbody tr');
        const received = page.locator('section[aria-label="Received"] table.requests tbody tr');
        await sent.nth(1).waitFor();
        expect(await sent.count()).toBe(2);
        expect(await received.count()).toBe(1);
        await rec.check(page, 'my-requests');
        await received.getByRole('button', { name: 'Accept' }).click();
        await received.getByText('accepted').waitFor();
        expect(await received.getByRole('button', { name: 'Accept' }).count()).toBe(0);
      }),
    );

    it(
      'when it opens its agenda, then it sees its meetings in the event time zone and downloads the .ics',
      step(async () => {
        await page.getByRole('link', { name: 'My agenda' }).click();
        await page.locator('ol.agenda li').nth(1).waitFor();
        expect(await page.locator('ol.agenda').textContent()).toMatch(/Europe\/Rome/);
        await rec.check(page, 'my-agenda');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the agenda (.ics)' }).click()]);
        const ics = fs.readFileSync((await download.path())!, 'utf8');
        expect(ics).toContain('BEGIN:VCALENDAR');
        expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
      }),
    );
  });

  describe('an investor user', () => {
    const rec = journey('investor');
    let page: Page;
    userSession(rec, (p) => (page = p));

    it(
      'when an investor edits its profile, then it edits its investor fields (stages, ticket) too',
      step(async () => {
        await page.goto('/');
        await signInAsCompany(page, { id: investor.id, name: INVESTOR_NAME });
        await page.getByRole('group', { name: 'Investor profile' }).waitFor();
        await page.getByLabel('Ticket to (EUR)').fill('3000000');
        await page.getByRole('group', { name: 'Stages' }).getByLabel('Series a').check();
        await rec.check(page, 'investor-profile');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Saved\. Version 2\./).waitFor();
        const stored = await staffProfiles<{ investor: { stages: string[]; ticketEur: { max: number } } }>('GET', `/organisations/${investor.id}`);
        expect(stored.body.investor.ticketEur.max).toBe(3_000_000);
        expect(stored.body.investor.stages).toEqual(expect.arrayContaining(['pre_seed', 'seed', 'series_a']));
      }),
    );
  });
});
