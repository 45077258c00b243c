/**
 * The browser tests' Chromium: Debian's package (`apt-get install chromium`), driven by playwright-core, headless.
 * Each page records what a test checks at the end: Content-Security-Policy violations and every URL it asked for.
 */
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { platformState } from './api';
import { useFixture } from './fixture';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: the browser tests need Debian's package (as root: apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** The CSP violations the page reported, as "directive: blocked URI". */
  cspViolations(): Promise<string[]>;
  /** Every URL the page requested, in order. */
  requestedUrls: string[];
}

/** Collects the page's CSP violations from its first script on (page code as text: these tests have no DOM types). */
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ': ' + (event.blockedURI || 'inline')));
`;

/** A page in a context of its own (its own sessionStorage), at `viewport`. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  // Added by the browser's own protocol, so the CSP does not apply to this listener.
  await context.addInitScript({ content: RECORD_CSP_VIOLATIONS });
  const page = await context.newPage();
  const requestedUrls: string[] = [];
  const consoleViolations: string[] = [];
  page.on('request', (request) => requestedUrls.push(request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
  });
  return {
    page,
    context,
    requestedUrls,
    cspViolations: async () => [...consoleViolations, ...(await page.evaluate<string[]>('window.cspViolations ?? []'))],
  };
}

/**
 * The describe block's Chromium, launched once, and `newPage`: a page of its own context (its own sessionStorage) at
 * `viewport`, on the console's address; `beforeLoad` runs first (a fake clock, say). Each test's pages close after it.
 */
export function useConsolePages(): {
  browser: Browser;
  newPage(options?: {
    viewport?: { width: number; height: number };
    beforeLoad?: (watched: WatchedPage) => Promise<void>;
  }): Promise<WatchedPage>;
} {
  const browser = useFixture<Browser>('Chromium', launchChromium, (launched) => launched.close());
  const pages: WatchedPage[] = [];
  afterEach(async () => {
    for (const watched of pages.splice(0)) await watched.context.close();
  });
  return {
    browser,
    newPage: async ({ viewport, beforeLoad } = {}) => {
      const watched = await openPage(browser, viewport);
      pages.push(watched);
      await beforeLoad?.(watched);
      await watched.page.goto(consoleUrl());
      return watched;
    },
  };
}

/** axe-core's violations of impact serious or critical, as "rule: selector (why)" lines. */
async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.any[0]?.message ?? node.failureSummary})`),
    );
}

/**
 * One screen as it stands, in light and then in dark (once Mantine has followed the system's scheme): checked by
 * axe-core and written to docs/console/<name>-<scheme>.png. Answers the serious or critical violations, by scheme.
 */
export async function checkScreen(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const violations: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.locator(`html[data-mantine-color-scheme="${colorScheme}"]`).waitFor({ state: 'attached' });
    violations.push(...(await seriousAccessibilityViolations(page)).map((violation) => `${colorScheme}: ${violation}`));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return violations;
}

export const consoleUrl = (): string => `${platformState().gatewayUrl}/ui/`;

/** Signs `token` in on the sign-in screen and waits for the first screen. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Namespaces' }).waitFor();
}

/** What every test checks of its page at the end: no CSP violation, the token in no URL, cookie or localStorage. */
export async function expectNothingLeaked(watched: WatchedPage, token: string): Promise<void> {
  expect(await watched.cspViolations()).toEqual([]);
  expect(watched.requestedUrls.filter((url) => url.includes(token))).toEqual([]);
  expect(await watched.context.cookies()).toEqual([]);
  expect(await watched.page.evaluate<string>("Object.values(localStorage).join('')")).not.toContain(token);
}
