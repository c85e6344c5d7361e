import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { appUrl, resultsDir } from './paths';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; we never download a browser. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (./run test does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A fresh page (own storage) signed in through the demo sign-in page as the given user. */
export async function signInAs(
  browser: Browser,
  userEntityRef: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  // Each context loads the unminified dev bundle afresh; on a loaded machine that outlasts Playwright's 30 s.
  context.setDefaultNavigationTimeout(90_000);
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByTestId(`sign-in-as-${userEntityRef}`).click();
  // Signed in once the sidebar offers settings (the sign-in page has no sidebar).
  await page
    .locator('nav')
    .getByText('Settings')
    .first()
    .waitFor({ timeout: 60_000 });
  return page;
}

/** Saves a full-page screenshot under test-results/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Saves a screenshot of one element (a card) under test-results/, for a README that shows just that. */
export async function screenshotOf(
  element: Locator,
  name: string,
): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await element.screenshot({ path: file });
  return file;
}
