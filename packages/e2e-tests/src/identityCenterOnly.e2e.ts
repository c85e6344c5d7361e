import path from 'node:path';
import type { Browser } from 'playwright-core';
import { api, eventually } from './harness/api';
import { launchBrowser, screenshot, signInAs } from './harness/browser';
import { appUrl, repoRoot } from './harness/paths';
import { startStack, stopStack } from './harness/stack';

/*
 * Identity Center alone: the stack started with examples/scenarios/identity-center-only.yaml (no Entra tenant;
 * ./run picks app-config.identity-center-only.yaml). Runs after every file that uses globalSetup's stack
 * (harness/ownStackLastSequencer.js), because it replaces that stack on the same ports. With E2E_REUSE_STACK=1
 * it uses the stack you started: `SCENARIO=examples/scenarios/identity-center-only.yaml ./run start`.
 */

const SCENARIO = path.join(
  repoRoot,
  'examples/scenarios/identity-center-only.yaml',
);
const MARIA = 'user:default/maria';
const SARA = 'user:default/sara';
const TOM = 'user:default/tom';

describe('AWS access with Identity Center alone, in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!process.env.E2E_REUSE_STACK) {
      await stopStack();
      await startStack({ scenario: SCENARIO });
    }
    browser = await launchBrowser();
    const status = await eventually('the first snapshot', async () => {
      const s = await api(SARA, '/sync/status');
      return s.snapshotVersion ? s : undefined;
    });
    // A stack with Entra would make every check below meaningless: say so rather than fail obscurely.
    if (status.identitySource !== 'none')
      throw new Error(
        `The stack reads identity source ${status.identitySource}; start it with SCENARIO=examples/scenarios/identity-center-only.yaml`,
      );
  }, 8 * 60_000);

  afterAll(async () => {
    await browser?.close();
    // globalTeardown stops whichever stack the pid file names: this one.
  });

  it('shows an engineer their access, all of it active, and says what it cannot know', async () => {
    const page = await signInAs(browser, MARIA);
    await page.goto(`${appUrl}/aws-access`);
    await page.getByTestId('grant-row').first().waitFor();
    const states = await page
      .getByTestId('grant-state-chip')
      .evaluateAll(chips => chips.map(c => c.getAttribute('data-state')));
    expect(states.length).toBe(2);
    expect(new Set(states)).toEqual(new Set(['active']));
    expect(await page.getByTestId('grant-launch').count()).toBe(2);
    expect(
      await page.getByTestId('identity-center-only-note').textContent(),
    ).toContain('Read from IAM Identity Center alone');
    expect(await page.getByTestId('request-provisioning').count()).toBe(0);
    expect(await page.getByTestId('sync-banner').textContent()).not.toContain(
      'Entra provisioning job',
    );
    await screenshot(page, 'my-access-identity-center-only-maria');
  });

  it('refuses to guess who someone is when two Identity Center users share their email', async () => {
    const page = await signInAs(browser, TOM);
    await page.goto(`${appUrl}/aws-access`);
    const error = page.getByTestId('access-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(
      'has the email tom@example.com, which 2 Identity Center users share (tom.becker, tom.becker-admin)',
    );
  });

  it('shows the platform team the mode instead of Entra drift and provisioning', async () => {
    const page = await signInAs(browser, SARA);
    await page.goto(`${appUrl}/aws-access/platform`);
    await page.getByTestId('drift-needs-identity-source').waitFor();
    expect(await page.getByTestId('sync-health').textContent()).toContain(
      'None: IAM Identity Center is read alone',
    );
    expect(await page.getByTestId('revoking-list').count()).toBe(0);
    expect(await page.getByTestId('deprovision-now').count()).toBe(0);
    await screenshot(page, 'platform-board-identity-center-only-sara');
  });
});
