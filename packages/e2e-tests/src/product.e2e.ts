import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, emulator, eventually, syncNow } from './harness/api';
import { launchBrowser, screenshot, signInAs } from './harness/browser';
import { appUrl, backendUrl, resultsDir } from './harness/paths';

/*
 * The product in the browser against ./run start's stack (emulators, backend, app). One file, in order: the
 * views first, then the lifecycle flows, which change the emulated world (the mover's SCIM cycle resolves
 * everyone's drift, so it runs last).
 */

const AAMIR = 'user:default/aamir_example.com';
const SHEN = 'user:default/shen.li_example.com';
const MARIA = 'user:default/maria_example.com';
const SARA = 'user:default/sara_example.com';
const TOM = 'user:default/tom_example.com';
const JOINER = 'user:default/jo.iner_example.com';

const timings: Record<string, unknown> = {};
const seconds = (from: number) => Math.round((Date.now() - from) / 100) / 10;

async function grantStates(page: Page): Promise<string[]> {
  return page
    .getByTestId('grant-state-chip')
    .evaluateAll(chips => chips.map(c => c.getAttribute('data-state') ?? ''));
}

/** Reloads the page until the predicate holds on it, once the element with test id `loaded` shows the page's data. */
async function reloadUntil(
  page: Page,
  loaded: string,
  what: string,
  predicate: () => Promise<boolean>,
  timeoutMs = 60_000,
) {
  await eventually(
    what,
    async () => {
      await page.reload();
      await page.getByTestId(loaded).first().waitFor({ timeout: 20_000 });
      return predicate();
    },
    timeoutMs,
  );
}

describe('AWS access in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The first snapshot is committed a few seconds after the backend starts.
    await eventually(
      'the first snapshot',
      async () => (await api(SARA, '/sync/status')).snapshotVersion,
    );
  });

  afterAll(async () => {
    await browser?.close();
    fs.writeFileSync(
      path.join(resultsDir, 'lifecycle-timings.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
  });

  it('shows the joiner his pending ReadOnly access and when it will arrive', async () => {
    const page = await signInAs(browser, AAMIR);
    await page.goto(`${appUrl}/aws-access`);
    const sentence = page.getByTestId('grant-sentence').first();
    await sentence.waitFor();
    expect(await sentence.textContent()).toMatch(
      /^You were added to AWS-Developers-ReadOnly; AWS has not received it yet\. Expected by ≈ \d{1,2}:\d{2}/,
    );
    expect(new Set(await grantStates(page))).toEqual(new Set(['pending']));
    expect(await page.getByTestId('grant-launch').count()).toBe(0);
    await screenshot(page, 'my-access-aamir-pending');
  });

  it('shows the mover what stays, what is coming and what is going', async () => {
    const page = await signInAs(browser, SHEN);
    await page.goto(`${appUrl}/aws-access`);
    await page.getByTestId('grant-row').first().waitFor();
    expect(new Set(await grantStates(page))).toEqual(
      new Set(['pending', 'active', 'revoking']),
    );
    await screenshot(page, 'my-access-shen-moving');
  });

  it('shows the team lead her team as a members × accounts matrix', async () => {
    const page = await signInAs(browser, MARIA);
    await page.goto(`${appUrl}/catalog/default/group/backend-team`);
    const cell = page
      .locator(
        '[data-testid="matrix-cell"][data-member="user:default/aamir_example.com"]',
      )
      .first();
    await cell.waitFor();
    expect(await cell.getAttribute('data-state')).toBe('pending');
    expect(await page.getByTestId('matrix-row').count()).toBe(5);
    await screenshot(page, 'team-access-maria');
  });

  it('shows the platform team the leaver still active in AWS', async () => {
    const page = await signInAs(browser, SARA);
    await page.goto(`${appUrl}/aws-access/platform`);
    const revoking = page.getByTestId('revoking-list');
    await revoking.getByText('Alex Morgan').first().waitFor();
    expect(
      await page
        .getByRole('button', { name: 'Deprovision Alex Morgan now' })
        .isEnabled(),
    ).toBe(true);
    await screenshot(page, 'platform-board-sara');
  });

  it('joiner: new in Entra → pending → provision on demand → active with launch links', async () => {
    const t0 = Date.now();
    await emulator.createEntraUser({
      upn: 'jo.iner@example.com',
      displayName: 'Jo Iner',
      givenName: 'Jo',
      surname: 'Iner',
    });
    await emulator.addGroupMember(
      'AWS-Developers-ReadOnly',
      'jo.iner@example.com',
    );
    // The msgraph module puts the new person into the catalog (every 30 s in the demo); our sync sees the change.
    await eventually('the joiner in the catalog', async () => {
      const users = (
        await (await fetch(`${backendUrl}/api/auth/dev-sign-in/users`)).json()
      ).users;
      return users.some((u: { entityRef: string }) => u.entityRef === JOINER);
    });
    await syncNow();

    const page = await signInAs(browser, JOINER);
    await page.goto(`${appUrl}/aws-access`);
    await page.getByTestId('grant-sentence').first().waitFor();
    expect(new Set(await grantStates(page))).toEqual(new Set(['pending']));
    timings.joinerPendingVisibleSeconds = seconds(t0);
    await screenshot(page, 'lifecycle-joiner-1-pending');

    await page
      .getByRole('button', { name: 'Request provisioning now' })
      .click();
    await page.getByTestId('provision-result').waitFor();
    await eventually(
      'active grants after provisioning',
      async () => {
        const states = await grantStates(page);
        return states.length === 5 && states.every(s => s === 'active');
      },
      30_000,
    );
    expect(
      await page.getByTestId('grant-launch').first().getAttribute('href'),
    ).toMatch(
      /^https:\/\/d-9067a1b2c3\.awsapps\.com\/start\/#\/console\?account_id=\d{12}&role_name=DeveloperReadOnly$/,
    );
    timings.joinerActiveWithProvisionOnDemandSeconds = seconds(t0);
    const status = await api(SARA, '/sync/status');
    timings.joinerWithoutProvisionOnDemand = {
      nextScimCycleAt: status.provisioning.nextCycleAt,
      scimIntervalSeconds: status.provisioning.intervalSeconds,
      note: 'without provision-on-demand the grant waits for the next SCIM cycle, then our next sync',
    };
    await screenshot(page, 'lifecycle-joiner-2-active');
  });

  it('leaver: disabled in Entra → being removed → deprovision now → no access', async () => {
    const t0 = Date.now();
    await emulator.setEntraUserEnabled('tom@example.com', false);
    await syncNow();
    const page = await signInAs(browser, SARA);
    await page.goto(`${appUrl}/aws-access/platform`);
    const revoking = page.getByTestId('revoking-list');
    await revoking.getByText('Tom Becker').first().waitFor();
    timings.leaverRevokingVisibleSeconds = seconds(t0);
    await screenshot(page, 'lifecycle-leaver-1-revoking');

    await page
      .getByRole('button', { name: 'Deprovision Tom Becker now' })
      .click();
    await eventually(
      'Tom gone from AWS',
      async () => {
        const access = await api(SARA, `/users/${encodeURIComponent(TOM)}`);
        return (
          access.grants.length === 0 &&
          access.identityCenter?.status === 'DISABLED'
        );
      },
      30_000,
    );
    timings.leaverRemovedWithDeprovisionNowSeconds = seconds(t0);
    await reloadUntil(
      page,
      'revoking-list',
      'Tom gone from the board',
      async () => (await revoking.getByText('Tom Becker').count()) === 0,
    );
    await screenshot(page, 'lifecycle-leaver-2-removed');

    // Alex, the seed's leaver, the same way.
    await page
      .getByRole('button', { name: 'Deprovision Alex Morgan now' })
      .click();
    await eventually(
      'Alex gone from AWS',
      async () =>
        (
          await api(
            SARA,
            `/users/${encodeURIComponent('user:default/alex_example.com')}`,
          )
        ).grants.length === 0,
      30_000,
    );
    const tom = await api(SARA, `/users/${encodeURIComponent(TOM)}`);
    expect(tom).toMatchObject({
      grants: [],
      identityCenter: { status: 'DISABLED' },
    });
  });

  it('mover: the next SCIM cycle moves Shen from ReadOnly to PowerUser', async () => {
    const page = await signInAs(browser, SHEN);
    await page.goto(`${appUrl}/aws-access`);
    await page.getByTestId('grant-row').first().waitFor();
    expect(await grantStates(page)).toContain('revoking');

    const t0 = Date.now();
    await emulator.runScimCycle();
    await syncNow();
    await reloadUntil(
      page,
      'sync-banner',
      'only PowerUser access',
      async () => {
        const states = await grantStates(page);
        return states.length === 5 && states.every(s => s === 'active');
      },
    );
    const rows = await page
      .getByTestId('grant-row')
      .evaluateAll(r =>
        r.map(
          row =>
            `${row.getAttribute('data-account-id')}/${row.getAttribute(
              'data-permission-set',
            )}`,
        ),
      );
    expect(rows.sort()).toEqual([
      '200000000001/DeveloperPowerUser',
      '200000000002/DeveloperPowerUser',
      '200000000003/DeveloperReadOnly',
      '200000000004/DeveloperPowerUser',
      '200000000005/DeveloperReadOnly',
    ]);
    timings.moverFromCycleToPageSeconds = seconds(t0);
    await screenshot(page, 'lifecycle-mover-2-moved');
  });
});
