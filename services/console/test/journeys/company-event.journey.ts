import fs from 'fs';
import type { Page } from 'playwright-core';
import { journey } from '../support/browser';
import { client, tokenFor } from '../support/console-system';
import { COMPANY_ID, EVENT_TITLE, signInAsCompany, type ConsoleJourneys } from '../support/console-journeys';

/** A company at the event hub staff created: the event, its requests, its agenda (.ics). */
export function companyAtEventJourney(h: ConsoleJourneys): void {
  describe('a company at the event', () => {
    const rec = journey('company-event');
    let page: Page;
    h.userSession(rec, (p) => (page = p));

    it(
      'when the company opens its events, then it sees the event it is registered in',
      h.step(async () => {
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
      h.step(async () => {
        // The IRCCS asks the company for a meeting (through the API, as its own user would).
        const eventId = decodeURIComponent(h.eventUrl.split('/')[2]!);
        const events = h.sys.system.services.events.url;
        const staff = client(events, tokenFor({ sub: 'console-test-staff', role: 'hub_staff' }));
        const participants = (
          await staff<{ id: string; organisationId: string }[] | { items: { id: string; organisationId: string }[] }>('GET', `/events/${eventId}/participants`)
        ).body;
        const list = Array.isArray(participants) ? participants : participants.items;
        const companyPid = list.find((p) => p.organisationId === COMPANY_ID)!.id;
        const asked = await client(events, tokenFor({ sub: 'console-test-irccs', role: 'company', org: h.irccs.id }))('POST', `/events/${eventId}/requests`, {
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
      h.step(async () => {
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
}
