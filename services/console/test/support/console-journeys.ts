import { uniqueName, waitFor } from '@lm/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { journey, launchChromium } from './browser';
import { client, companyFixture, dropIndices, investorFixture, irccsFixture, startConsoleSystem, tokenFor, type ConsoleSystem } from './console-system';

// What the console's browser journeys share: the organisations they act as, the system and the
// browser started once for all of them, and the state one journey leaves for the next (the event
// hub staff create is the one the company then takes part in).

export const COMPANY_ID = uniqueName('org-console-company');
export const COMPANY_NAME = `CardioSense Console ${COMPANY_ID.slice(-6)}`;
export const IRCCS_NAME = `IRCCS Cuore Console ${COMPANY_ID.slice(-6)}`;
export const INVESTOR_NAME = `Fondo Seed Console ${COMPANY_ID.slice(-6)}`;
export const EVENT_TITLE = `Life Sciences B2B ${COMPANY_ID.slice(-6)}`;

const irccsInput = irccsFixture(IRCCS_NAME);
const investorInput = investorFixture(INVESTOR_NAME);
const companyInput = companyFixture(COMPANY_NAME);

/** The development sign-in as an organisation's user: pick the role, find the organisation, sign in. */
export async function signInAsCompany(page: Page, org = { id: COMPANY_ID, name: COMPANY_NAME }): Promise<void> {
  await page.getByLabel('Role').selectOption('company');
  await page.getByLabel('Search organisations by name').fill(org.name);
  await page.getByLabel('Organisation', { exact: true }).selectOption(org.id);
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  await page.waitForURL('**/profile');
}

export interface Org {
  id: string;
  version: number;
}

export interface ConsoleJourneys {
  /** Set in the harness's beforeAll: read them inside hooks and tests only. */
  sys: ConsoleSystem;
  staffProfiles: ReturnType<typeof client>;
  irccs: Org;
  investor: Org;
  /** The event hub staff create in the browser (the company then takes part in it). */
  eventUrl: string;
  /**
   * One user's browser context for a describe block: opened before its steps, closed after;
   * after each step, whatever the journey recorder found (a11y, overflow, console errors) fails it.
   */
  userSession(rec: ReturnType<typeof journey>, onPage: (page: Page) => void): void;
  /** On failure, the services' and the console's own output is attached to the error. */
  step(fn: () => Promise<void>): () => Promise<void>;
}

/**
 * Registers the set-up and tear-down of the whole browser suite in the calling describe block:
 * the compiled services and console, Chromium, and the organisations the journeys act as, known to
 * matching and to the events service before the first journey starts.
 */
export function consoleJourneys(): ConsoleJourneys {
  let browser: Browser;
  let baseUrl: string;

  /** A fresh browser context (own storage) per user, English UI, watched for errors. */
  async function openAs(rec: ReturnType<typeof journey>): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    rec.watch(page);
    return { context, page };
  }

  const h = {
    userSession(rec, onPage) {
      let context: BrowserContext | undefined;
      beforeAll(async () => {
        const opened = await openAs(rec);
        context = opened.context;
        onPage(opened.page);
      });
      afterAll(() => context?.close());
      afterEach(() => expect(rec.problems()).toEqual([]));
    },
    step: (fn) => async () => {
      try {
        await fn();
      } catch (e) {
        const procs = h.sys ? [...Object.values(h.sys.system.services), h.sys.console] : [];
        if (e instanceof Error) e.message += `\n${procs.map((s) => `--- ${s.name} ---\n${s.output().slice(-3000)}`).join('\n')}`;
        throw e;
      }
    },
  } as ConsoleJourneys;

  beforeAll(async () => {
    h.sys = await startConsoleSystem();
    baseUrl = h.sys.console.url;
    browser = await launchChromium();
    const { profiles, matching, events } = h.sys.system.services;
    h.staffProfiles = client(profiles.url, tokenFor({ sub: 'console-test-staff', role: 'hub_staff' }));
    const [rc, inv] = await Promise.all([
      h.staffProfiles<Org>('POST', '/organisations', irccsInput),
      h.staffProfiles<Org>('POST', '/organisations', investorInput),
    ]);
    expect([rc.status, inv.status]).toEqual([201, 201]);
    h.irccs = rc.body;
    h.investor = inv.body;
    const companyToken = tokenFor({ sub: 'console-test-company', role: 'company', org: COMPANY_ID });
    expect((await client(profiles.url, companyToken)('POST', '/organisations', companyInput)).status).toBe(201);
    // Matching has indexed all three and the events service knows their profiles before the journeys start.
    const companyMatching = client(matching.url, companyToken);
    await waitFor(
      async () => {
        const res = await companyMatching<{ items: { candidate: { id: string } }[] }>('GET', `/organisations/${COMPANY_ID}/matches`);
        const ids = res.status === 200 ? res.body.items.map((i) => i.candidate.id) : [];
        return ids.includes(h.irccs.id) && ids.includes(h.investor.id);
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
    for (const id of [COMPANY_ID, h.irccs.id, h.investor.id]) {
      await waitFor(async () => (await staffEvents('POST', `/events/${probe.body.id}/participants`, { organisationId: id })).status < 300, {
        timeoutMs: 30_000,
        description: `the events service knowing ${id}`,
      });
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h.sys?.stop();
    if (h.sys) await dropIndices(h.sys.system.names.alias).catch(() => undefined);
  }, 60_000);

  return h;
}
