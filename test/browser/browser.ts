import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TEST_PASSWORD } from '../helpers/factories';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface BrowserTestbed {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the app on a free loopback port and a headless Chromium that never reaches the network. */
export async function startBrowserTestbed(env: Record<string, string> = {}): Promise<BrowserTestbed> {
  const app = await startTestApp(env);
  await app.app.listen(0, '127.0.0.1');
  const address = app.app.getHttpServer().address() as { port: number };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** A fresh context (its own cookies) and page, collecting console errors and failed requests. */
export async function openPage(
  testbed: BrowserTestbed,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await testbed.browser.newContext({ baseURL: testbed.baseUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400)
      errors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { context, page, errors };
}

export async function signInAs(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.click('button[type=submit]'),
  ]);
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname === '/login') {
    const headers = await response.allHeaders();
    throw new Error(
      `sign-in of ${email} did not leave the login page: POST /login answered ${response.status()} ` +
        `(location ${headers.location ?? '-'}, set-cookie ${headers['set-cookie'] ? 'yes' : 'no'}), now at ${page.url()}`,
    );
  }
}

/**
 * Marks the current document; `pageWasNotReloaded` then tells whether the same document is
 * still there (a full reload or navigation would drop the marker).
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __hticketMarker: string }).__hticketMarker = 'still here';
  });
}

export async function pageWasNotReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __hticketMarker?: string }).__hticketMarker === 'still here');
}

/** The topmost open Unpoly modal. */
export const MODAL = 'up-modal';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (evaluated through the DevTools protocol: the CSP refuses an injected script
 * tag, and rightly so) over the page as it is (an open modal included) and returns its serious and
 * critical violations, one line each with the offending elements, so an assertion shows them.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // The page as people read it: a modal still fading in has text at part of its contrast.
  await page.evaluate(async () => {
    await (window as unknown as { up?: { motion: { finish(): Promise<void> } } }).up?.motion.finish();
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
  });
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  return violations;
}

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}
