import type { Page } from 'playwright-core';
import { journey } from '../support/browser';
import { INVESTOR_NAME, signInAsCompany, type ConsoleJourneys } from '../support/console-journeys';

/** An investor user: the investor fields of its profile. */
export function investorJourney(h: ConsoleJourneys): void {
  describe('an investor user', () => {
    const rec = journey('investor');
    let page: Page;
    h.userSession(rec, (p) => (page = p));

    it(
      'when an investor edits its profile, then it edits its investor fields (stages, ticket) too',
      h.step(async () => {
        await page.goto('/');
        await signInAsCompany(page, { id: h.investor.id, name: INVESTOR_NAME });
        await page.getByRole('group', { name: 'Investor profile' }).waitFor();
        await page.getByLabel('Ticket to (EUR)').fill('3000000');
        await page.getByRole('group', { name: 'Stages' }).getByLabel('Series a').check();
        await rec.check(page, 'investor-profile');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Saved\. Version 2\./).waitFor();
        const stored = await h.staffProfiles<{ investor: { stages: string[]; ticketEur: { max: number } } }>('GET', `/organisations/${h.investor.id}`);
        expect(stored.body.investor.ticketEur.max).toBe(3_000_000);
        expect(stored.body.investor.stages).toEqual(expect.arrayContaining(['pre_seed', 'seed', 'series_a']));
      }),
    );
  });
}
