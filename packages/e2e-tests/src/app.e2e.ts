import type { Browser } from 'playwright-core';
import fs from 'node:fs';
import { appUrl } from './harness/paths';
import { launchBrowser, screenshot, signInAs } from './harness/browser';

describe('the demo app', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads, signs in as a scenario user and lists the demo organisation in the catalog', async () => {
    const page = await signInAs(browser, 'user:default/aamir_example.com');

    await page.goto(`${appUrl}/?filters[kind]=user&filters[user]=all`);
    await page.getByText('Aamir Siddiqui').first().waitFor();
    await page.getByText('Sara Lindqvist').first().waitFor();

    await page.goto(`${appUrl}/?filters[kind]=group&filters[user]=all`);
    await page.getByText('aws-developers-readonly').first().waitFor();

    const file = await screenshot(page, 'catalog-groups');
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });
});
