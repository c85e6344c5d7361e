import type { Browser, Page } from 'playwright-core';
import { api, eventually } from './harness/api';
import { launchBrowser, screenshot, signInAs } from './harness/browser';
import { appUrl } from './harness/paths';

/*
 * An access request in the browser against ./run start's stack: Aamir asks for DeveloperAdmin on payments-prod
 * (the requestable group AWS-Payments-Prod-Admin, owned by Maria) for an hour with a justification and an
 * incident ticket, Maria approves it from her queue, Aamir sees it usable once AWS shows it, and Revoke now ends
 * it once AWS no longer shows it. Every step is what the UI shows; the backend follows the request to AWS.
 */

const AAMIR = 'user:default/aamir_example.com';
const MARIA = 'user:default/maria_example.com';
const SARA = 'user:default/sara_example.com';
const GROUP = 'AWS-Payments-Prod-Admin';
// AWS showing the grant, or no longer showing it, after an Entra write (provision-on-demand and refreshes).
const FOLLOW_THROUGH_MS = 180_000;

/** The request's row in a list on the requests page (the only request of the group in this run). */
function requestRow(page: Page, list: 'my-requests' | 'approval-queue') {
  return page
    .getByTestId(list)
    .getByTestId('request-row')
    .filter({ hasText: GROUP })
    .first();
}

async function waitForState(
  page: Page,
  list: 'my-requests' | 'approval-queue',
  state: string,
  timeoutMs: number,
) {
  await eventually(
    `the request to be ${state}`,
    async () =>
      (await requestRow(page, list).getAttribute('data-state')) === state,
    timeoutMs,
  );
}

describe('An access request in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    await eventually(
      'the first snapshot',
      async () => (await api(SARA, '/sync/status')).snapshotVersion,
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('Aamir asks, Maria approves, AWS grants it, Revoke now takes it away', async () => {
    // Aamir asks for DeveloperAdmin on payments-prod by what it gives.
    const aamir = await signInAs(browser, AAMIR);
    await aamir.goto(`${appUrl}/aws-access/requests`);
    await aamir.getByRole('button', { name: 'Request access' }).click();
    const dialog = aamir.getByRole('dialog', { name: 'Request AWS access' });
    await dialog
      .getByRole('searchbox', { name: 'What do you need?' })
      .fill('DeveloperAdmin payments-prod');
    await dialog
      .getByRole('radio', { name: /DeveloperAdmin on payments-prod/ })
      .check();
    await dialog.getByLabel('Duration').selectOption('PT1H');
    await dialog
      .getByRole('textbox', { name: /Justification/ })
      .fill('Settlement job fails in production (INC-4711)');
    await dialog.getByRole('textbox', { name: /Ticket/ }).fill('INC-4711');
    await screenshot(aamir, 'request-aamir-asks');
    await dialog.getByRole('button', { name: 'Submit request' }).click();
    await dialog.getByTestId('request-submitted').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await waitForState(aamir, 'my-requests', 'submitted', 20_000);

    // Maria, the group's owner, approves it from her queue, with the request's context in front of her.
    const maria = await signInAs(browser, MARIA);
    await maria.goto(`${appUrl}/aws-access/requests`);
    const queued = requestRow(maria, 'approval-queue');
    await queued.waitFor();
    expect(await queued.textContent()).toContain('Aamir Siddiqui');
    await queued.getByRole('button', { name: 'Details' }).click();
    const details = maria.getByTestId('request-details');
    await details.getByTestId('request-history').waitFor();
    expect(await details.textContent()).toContain('INC-4711');
    // The requester's current access: the backend gives it to the request's approvers.
    await details.getByTestId('requester-access').locator('table').waitFor();
    await screenshot(maria, 'request-maria-approves');
    await queued.getByRole('button', { name: `Approve: ${GROUP}` }).click();
    const decision = maria.getByRole('dialog', { name: /^Approve Aamir/ });
    await decision
      .getByRole('textbox', { name: 'Note (optional)' })
      .fill('ok for INC-4711');
    await decision.getByRole('button', { name: 'Approve' }).click();
    await decision.waitFor({ state: 'hidden' });
    expect(await maria.getByTestId('request-action-error').count()).toBe(0);

    // Aamir's list follows the request by itself until AWS shows the grant.
    const approvedAt = Date.now();
    await aamir.reload();
    await waitForState(aamir, 'my-requests', 'active', FOLLOW_THROUGH_MS);
    const activeAfter = Math.round((Date.now() - approvedAt) / 1000);
    expect(
      await requestRow(aamir, 'my-requests')
        .getByTestId('request-expiry')
        .textContent(),
    ).toMatch(/^expires in \d+ minutes$/);
    await screenshot(aamir, 'request-aamir-active');

    // My AWS access shows the admin grant active, caused by the request.
    await aamir.goto(`${appUrl}/aws-access`);
    const adminRow = aamir.locator(
      '[data-testid="grant-row"][data-permission-set="DeveloperAdmin"][data-account-id="200000000003"]',
    );
    await adminRow.waitFor();
    expect(await adminRow.getAttribute('data-state')).toBe('active');

    // Revoke now: ended once AWS no longer shows it.
    await aamir.goto(`${appUrl}/aws-access/requests`);
    const revokedAt = Date.now();
    await requestRow(aamir, 'my-requests')
      .getByRole('button', { name: `Revoke now: ${GROUP}` })
      .click();
    await waitForState(aamir, 'my-requests', 'ended', FOLLOW_THROUGH_MS);
    const endedAfter = Math.round((Date.now() - revokedAt) / 1000);
    await requestRow(aamir, 'my-requests')
      .getByRole('button', { name: 'Details' })
      .click();
    await aamir.getByTestId('request-history').waitFor();
    await screenshot(aamir, 'request-aamir-ended');
    // eslint-disable-next-line no-console
    console.log(
      `approval → active in ${activeAfter} s, revoke → ended in ${endedAfter} s`,
    );
  });
});
