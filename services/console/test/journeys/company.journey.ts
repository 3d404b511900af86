import { waitFor } from '@lm/testing';
import type { Page } from 'playwright-core';
import { journey, settled, UI_WAIT_MS } from '../support/browser';
import { COMPANY_ID, COMPANY_NAME, signInAsCompany, type ConsoleJourneys } from '../support/console-journeys';

/** A company user: their profile, their matches and the feedback on them. */
export function companyJourney(h: ConsoleJourneys): void {
  describe('a company user', () => {
    const rec = journey('company');
    let page: Page;
    h.userSession(rec, (p) => (page = p));

    it(
      'when they sign in with the development sign-in, then they land on their own profile',
      h.step(async () => {
        await page.goto('/');
        await rec.check(page, 'sign-in');
        await signInAsCompany(page);
        await page.getByRole('heading', { level: 1, name: COMPANY_NAME }).waitFor();
        await rec.check(page, 'profile');
      }),
    );

    it(
      'when they switch to Italian, then the choice is remembered after a reload',
      h.step(async () => {
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
      h.step(async () => {
        await page.locator('[name="needs.0.trl.min"]').fill('9');
        await page.locator('[name="needs.0.trl.max"]').fill('5');
        await page.getByRole('button', { name: 'Save' }).click();
        const field = page.locator('.field-invalid', { has: page.locator('[name="needs.0.trl.min"]') });
        await field.locator('.field-error').waitFor();
        expect(await field.locator('.field-error').textContent()).toMatch(/min must be <= max/);
        expect(await page.locator('[name="needs.0.trl.min"]').getAttribute('aria-invalid')).toBe('true');
        await rec.check(page, 'profile-field-error');
        const stored = await h.staffProfiles<{ needs: { trl?: { min: number } }[] }>('GET', `/organisations/${COMPANY_ID}`);
        expect(stored.body.needs[0]!.trl!.min).toBe(5);
      }),
    );

    it(
      'when they fix it and save, then the new version is stored',
      h.step(async () => {
        await page.locator('[name="needs.0.trl.min"]').fill('4');
        await page.locator('[name="needs.0.trl.max"]').fill('7');
        await page.getByLabel('City', { exact: true }).fill('Monza');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Saved\. Version 2\./).waitFor();
        const stored = await h.staffProfiles<{ version: number; location: { city: string }; needs: { trl?: { min: number } }[] }>(
          'GET',
          `/organisations/${COMPANY_ID}`,
        );
        expect(stored.body).toMatchObject({ version: 2, location: { city: 'Monza' } });
        expect(stored.body.needs[0]!.trl!.min).toBe(4);
      }),
    );

    it(
      'when someone else changed the profile meanwhile, then saving shows the version conflict and a reload shows their change',
      h.step(async () => {
        const res = await h.staffProfiles('PATCH', `/organisations/${COMPANY_ID}`, { legalName: `${COMPANY_NAME} S.r.l.` }, { 'if-match': '"2"' });
        expect(res.status).toBe(200);
        await page.getByLabel('City', { exact: true }).fill('Bergamo');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText(/Someone else changed this profile/).waitFor();
        await rec.check(page, 'profile-conflict');
        await page.getByRole('button', { name: 'Reload the profile' }).click();
        await waitFor(async () => (await page.getByLabel('Legal name').inputValue()) === `${COMPANY_NAME} S.r.l.`, {
          timeoutMs: UI_WAIT_MS,
          description: 'the reloaded profile',
        });
        expect(await page.getByLabel('City', { exact: true }).inputValue()).toBe('Monza');
        expect((await h.staffProfiles<{ location: { city: string } }>('GET', `/organisations/${COMPANY_ID}`)).body.location.city).toBe('Monza');
      }),
    );

    it(
      'when they open their suggestions, then each candidate is explained by score bars and matched terms',
      h.step(async () => {
        await page.getByRole('link', { name: 'Suggestions' }).click();
        const rc = page.locator(`article[data-candidate="${h.irccs.id}"]`);
        await rc.waitFor();
        await page.locator(`article[data-candidate="${h.investor.id}"]`).waitFor();
        expect(await rc.locator('.bar-row').count()).toBeGreaterThan(0);
        expect(await rc.locator('.bar-row[data-part="need_fit"]').count()).toBe(1);
        expect((await rc.locator('.terms').textContent())?.toLowerCase()).toMatch(/sperimentazion|clinic/);
        await rec.check(page, 'suggestions');
      }),
    );

    it(
      'when they decline a suggestion with a reason, then it disappears and stays gone after a reload',
      h.step(async () => {
        const inv = page.locator(`article[data-candidate="${h.investor.id}"]`);
        await inv.getByRole('button', { name: 'Decline' }).click();
        await inv.getByLabel('Reason (optional)').fill('Not raising now');
        await inv.getByRole('button', { name: 'Confirm decline' }).click();
        await inv.waitFor({ state: 'detached' });
        await page.reload();
        await page.locator(`article[data-candidate="${h.irccs.id}"]`).waitFor();
        await settled(page);
        expect(await page.locator(`article[data-candidate="${h.investor.id}"]`).count()).toBe(0);
      }),
    );

    it(
      'when they accept a suggestion, then it is marked accepted, also after a reload',
      h.step(async () => {
        const rc = page.locator(`article[data-candidate="${h.irccs.id}"]`);
        await rc.getByRole('button', { name: 'Accept' }).click();
        await rc.getByText('Accepted').waitFor();
        await waitFor(
          async () => {
            await page.reload();
            await page.locator(`article[data-candidate="${h.irccs.id}"]`).waitFor();
            return (await page.locator(`article[data-candidate="${h.irccs.id}"] .badge-ok`).count()) === 1;
          },
          { timeoutMs: UI_WAIT_MS, description: 'the accepted mark after a reload' },
        );
        await rec.check(page, 'suggestions-decided');
      }),
    );
  });
}
