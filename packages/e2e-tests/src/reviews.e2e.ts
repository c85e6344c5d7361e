import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { api, eventually } from './harness/api';
import { launchBrowser, screenshot, signInAs } from './harness/browser';
import { appUrl } from './harness/paths';

/*
 * An access review in the browser against ./run start's stack: Sara (platform team) starts a campaign over the
 * AWS groups of Backend-Team that Maria owns (Backend-Team itself gives no AWS access), Maria follows the
 * notification's link and reviews them (ReadOnly as its request policy's approver, PowerUser as its Entra owner), and
 * removes Priya from AWS-Developers-ReadOnly with a note, the item turns `removed` once AWS no longer shows
 * Priya's access through the group, and the evidence Sara exports holds the decision and when it reached AWS.
 */

const MARIA = 'user:default/maria_example.com';
const SARA = 'user:default/sara_example.com';
const PRIYA = 'user:default/priya_example.com';
const READONLY = 'group:default/aws-developers-readonly';
const CAMPAIGN = 'Backend-Team Q4 access review';
const NOTE = 'Priya moved to the data team';
// AWS no longer showing the access after the Entra removal (provision-on-demand and refreshes).
const FOLLOW_THROUGH_MS = 180_000;

/** A day a week from now, as the date field takes it. */
function dueDay(): string {
  return new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
}

function priyaItem(page: Page) {
  return page
    .locator(`[data-testid="review-group"][data-group="${READONLY}"]`)
    .locator(`[data-testid="review-item"][data-member="${PRIYA}"]`);
}

/** Priya's grants that come through AWS-Developers-ReadOnly, as the backend serves them to the platform team. */
async function priyaGrantsThroughReadOnly(): Promise<number> {
  const access = await api(SARA, `/users/${encodeURIComponent(PRIYA)}`);
  return access.grants.filter((grant: any) =>
    grant.via.some((path: any) => path.name === 'AWS-Developers-ReadOnly'),
  ).length;
}

describe('An access review in the browser', () => {
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

  it('Sara starts a campaign, Maria removes Priya, AWS shows it gone, the evidence says when', async () => {
    expect(await priyaGrantsThroughReadOnly()).toBeGreaterThan(0);

    // Sara starts the campaign over Maria's AWS groups.
    const sara = await signInAs(browser, SARA);
    await sara.goto(`${appUrl}/aws-access/reviews`);
    await sara.getByRole('button', { name: 'Start a campaign' }).click();
    const dialog = sara.getByRole('dialog', {
      name: 'Start an access review campaign',
    });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(CAMPAIGN);
    await dialog
      .getByRole('textbox', { name: 'Groups' })
      .fill('AWS-Developers-ReadOnly, AWS-Developers-PowerUser');
    await dialog.getByRole('textbox', { name: 'Due date' }).fill(dueDay());
    await screenshot(sara, 'review-sara-starts');
    await dialog.getByRole('button', { name: 'Start campaign' }).click();
    await sara.getByTestId('campaign-created').waitFor();
    const campaignRow = sara
      .getByTestId('review-campaign-row')
      .filter({ hasText: CAMPAIGN })
      .first();
    await campaignRow.waitFor();
    const campaignId = await campaignRow.getAttribute('data-campaign-id');

    // Maria reviews: the matrix and each member's access and origin, from one call per campaign.
    const maria = await signInAs(browser, MARIA);
    const itemReads: string[] = [];
    maria.on('request', request => {
      if (request.url().includes('/api/aws-access/'))
        itemReads.push(request.url());
    });
    // She follows the link of the notification the campaign sent her: it focuses that campaign.
    await maria.goto(
      `${appUrl}/aws-access/reviews?campaign=${encodeURIComponent(
        campaignId!,
      )}`,
    );
    const item = priyaItem(maria);
    await item.waitFor();
    expect(
      await maria
        .locator(`[data-testid="review-campaign"][data-focused="true"]`)
        .getAttribute('data-campaign-id'),
    ).toBe(campaignId);
    // Why she reviews each group: ReadOnly's request policy names its owners as approvers; PowerUser has no
    // policy, so its Entra owners review it. Maria owns both in Entra.
    const reason = (group: string) =>
      maria
        .locator(`[data-testid="review-group"][data-group="${group}"]`)
        .getByTestId('review-reason')
        .getAttribute('data-source');
    expect(await reason(READONLY)).toBe('policy');
    expect(await reason('group:default/aws-developers-poweruser')).toBe(
      'group-owners',
    );
    expect(await item.textContent()).toContain('Backend-Team');
    expect(await item.getByTestId('review-access').textContent()).toContain(
      'DeveloperReadOnly on',
    );
    await maria
      .locator(`[data-testid="review-group"][data-group="${READONLY}"]`)
      .getByTestId('access-matrix')
      .waitFor();
    await screenshot(maria, 'review-maria-reviews');
    const perMember = itemReads.filter(url => /\/(users|groups)\//.test(url));
    expect(perMember).toEqual([]);
    expect(
      itemReads.filter(url => url.includes(`/reviews/${campaignId}/items`)),
    ).toHaveLength(1);
    // The page's calls are the campaigns and one items call per open campaign: what the bench times.
    const routes = itemReads.map(url =>
      new URL(url).pathname.replace(/^.*\/api\/aws-access/, ''),
    );
    expect(
      routes.filter(
        route =>
          route !== '/reviews' && !/^\/reviews\/[^/]+\/items$/.test(route),
      ),
    ).toEqual([]);

    await item.getByRole('button', { name: 'Remove: Priya Nair' }).click();
    const decision = maria.getByRole('dialog', {
      name: 'Remove Priya Nair from AWS-Developers-ReadOnly?',
    });
    await decision.getByRole('textbox', { name: 'Note (optional)' }).fill(NOTE);
    const decidedAt = Date.now();
    await decision.getByRole('button', { name: 'Remove' }).click();
    await decision.waitFor({ state: 'hidden' });
    expect(await maria.getByTestId('request-action-error').count()).toBe(0);

    // The item follows the removal until AWS shows it gone.
    await eventually(
      'the item to be removed',
      async () => (await item.getAttribute('data-state')) === 'removed',
      FOLLOW_THROUGH_MS,
    );
    const removedAfter = Math.round((Date.now() - decidedAt) / 1000);
    expect(await item.getByTestId('review-removed-at').textContent()).toMatch(
      /^AWS showed it gone at \d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    expect(await priyaGrantsThroughReadOnly()).toBe(0);
    await screenshot(maria, 'review-maria-removed');

    // Sara exports the evidence: the decision, its note, and when the removal reached AWS.
    await sara.reload();
    const row = sara.locator(
      `[data-testid="review-campaign-row"][data-campaign-id="${campaignId}"]`,
    );
    await row.getByRole('button', { name: 'Progress per reviewer' }).click();
    await sara.getByTestId('campaign-reviewer').first().waitFor();
    await screenshot(sara, 'review-sara-evidence');
    const [download] = await Promise.all([
      sara.waitForEvent('download'),
      row
        .getByRole('button', {
          name: `Export the evidence of ${CAMPAIGN} as CSV`,
        })
        .click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const evidence = await api(
      SARA,
      `/reviews/${encodeURIComponent(campaignId!)}/evidence?format=json`,
    );
    const priyaRow = evidence.rows.find(
      (r: any) => r.member === PRIYA && r.group === READONLY,
    );
    expect(priyaRow).toMatchObject({
      decision: 'remove',
      note: NOTE,
      decidedBy: MARIA,
      state: 'removed',
    });
    expect(priyaRow.accessAtDecision.length).toBeGreaterThan(0);
    expect(Date.parse(priyaRow.removedAt)).toBeGreaterThanOrEqual(
      Date.parse(priyaRow.decidedAt),
    );
    const csvLine = csv
      .split('\r\n')
      .find(line => line.includes(PRIYA) && line.includes(READONLY));
    expect(csvLine).toContain('"remove"');
    expect(csvLine).toContain(NOTE);
    expect(csvLine).toContain(priyaRow.removedAt);
    // eslint-disable-next-line no-console
    console.log(`review remove → removed in ${removedAfter} s`);
  });
});
