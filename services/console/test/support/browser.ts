import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); Playwright's own browser downloads cannot work here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every journey (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
export const WIDTHS = [1280, 390] as const;
/**
 * How long a journey waits for the page to show something: Playwright's own default for a
 * locator. Shorter waits (10 s) were what a loaded CI machine's slow rendering ran into; a wait
 * returns as soon as the condition holds, so a long one costs nothing when the page is right.
 */
export const UI_WAIT_MS = 30_000;

/**
 * Headless Chromium with no background traffic: on a closed network, component updates, sync
 * and QUIC probes only produce refused connections and noise.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page (evaluated over CDP, so the console's CSP stays as strict as in production). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until no loading indicator is shown (queries settled). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0 && document.querySelector('#root')?.childElementCount, undefined, {
    timeout: UI_WAIT_MS,
  });
}

/**
 * A journey's recorder: every page it visits is checked at 1280 px and 390 px — screenshot
 * (artifact), no horizontal scrolling of the page itself, no serious/critical axe violation,
 * no error in the browser console (CSP violations included).
 */
export function journey(name: string) {
  const dir = path.join(ARTIFACTS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let step = 0;
  const problems: string[] = [];
  return {
    dir,
    watch(page: Page) {
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of (4\d\d)/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    },
    /** Checks the current page at both widths; leaves the viewport at 1280 px. */
    async check(page: Page, label: string): Promise<void> {
      step += 1;
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await settled(page);
        const file = path.join(dir, `${String(step).padStart(2, '0')}-${label}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) problems.push(`${label} at ${width}px: the page scrolls sideways by ${overflow}px`);
        for (const v of await seriousA11yViolations(page)) problems.push(`${label} at ${width}px: ${v}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    /** Everything found so far (asserted empty at the end of each step). */
    problems: () => problems.splice(0),
  };
}
