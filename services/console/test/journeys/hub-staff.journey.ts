import { waitFor } from '@lm/testing';
import type { Page } from 'playwright-core';
import { journey, settled, UI_WAIT_MS } from '../support/browser';
import { irccsFixture } from '../support/console-system';
import { COMPANY_ID, COMPANY_NAME, IRCCS_NAME, INVESTOR_NAME, EVENT_TITLE, type ConsoleJourneys } from '../support/console-journeys';

/** Hub staff: organisations, imports, and an event from creation to its published schedule, the day and its figures. */
export function hubStaffJourney(h: ConsoleJourneys): void {
  describe('hub staff', () => {
    const rec = journey('hub-staff');
    let page: Page;
    h.userSession(rec, (p) => (page = p));

    it(
      'when they sign in, then they see the organisations and can search them',
      h.step(async () => {
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
      h.step(async () => {
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
      h.step(async () => {
        await page.getByRole('link', { name: IRCCS_NAME }).click();
        await page.getByRole('heading', { level: 1, name: IRCCS_NAME }).waitFor();
        await rec.check(page, 'organisation-profile');
      }),
    );

    it(
      'when they create an event, then its page opens with its sessions in the event time zone',
      h.step(async () => {
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
        h.eventUrl = new URL(page.url()).pathname;
        await page.getByText('Europe/Rome').first().waitFor();
        await rec.check(page, 'event-overview');
      }),
    );

    it(
      'when they edit the event, then the change is saved with the version they read',
      h.step(async () => {
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
      h.step(async () => {
        await page.goto('/events/no-such-event');
        await page.getByRole('alert').waitFor();
        expect(await page.getByRole('alert').textContent()).toMatch(/404/);
        await page.getByRole('button', { name: 'Try again' }).waitFor();
        await rec.check(page, 'error-state');
        await page.goto(h.eventUrl);
        await page.getByRole('heading', { level: 1, name: EVENT_TITLE }).waitFor();
      }),
    );

    it(
      'when they register participants, then they are listed',
      h.step(async () => {
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
      h.step(async () => {
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
      h.step(async () => {
        await page.getByRole('link', { name: 'Schedule' }).click();
        await page.getByRole('button', { name: 'Run the scheduler' }).click();
        await page.getByTestId('percent-of-bound').waitFor();
        expect(Number(await page.getByTestId('objective').textContent())).toBeGreaterThan(0);
        expect(await page.getByTestId('percent-of-bound').textContent()).toMatch(/^\d+(\.\d)?%$/);
        await waitFor(async () => (await page.locator('button.meeting').count()) === 2, { timeoutMs: UI_WAIT_MS, description: 'two meetings in the grid' });
        await rec.check(page, 'schedule');
      }),
    );

    it(
      'when they move a meeting in the grid, then conflicts are shown before saving and a free cell saves',
      h.step(async () => {
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
      h.step(async () => {
        await page.getByRole('button', { name: 'Publish' }).click();
        await page.getByText(/Published \(no\. 1\)/).waitFor();
        await rec.check(page, 'schedule-published');
      }),
    );

    it(
      'when they check someone in, then the check-in is recorded',
      h.step(async () => {
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
      h.step(async () => {
        await page.getByRole('link', { name: 'Analytics' }).click();
        await page.locator('.bar-row[data-part="requested"]').waitFor();
        expect(await page.locator('.bar-row[data-part="requested"] .bar-value').textContent()).toBe('2');
        expect(await page.locator('figure.bars').count()).toBe(2);
        await rec.check(page, 'analytics');
      }),
    );

    it(
      'when they start a reindex, then its progress bar runs to the end',
      h.step(async () => {
        await page.getByRole('link', { name: 'Matching' }).click();
        await page.getByRole('button', { name: 'Start a reindex' }).click();
        await page.getByText('Finished').waitFor({ timeout: 60_000 });
        expect(await page.locator('#reindex-progress').getAttribute('value')).toBe('100');
        await rec.check(page, 'reindex');
      }),
    );
  });
}
