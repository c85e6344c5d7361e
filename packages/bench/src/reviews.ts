/*
 * A reviewer's work on a 200-member group (issue 17): the platform team starts a campaign over the group, and its
 * reviewer opens the Reviews page and keeps the whole group. Measured through the real backend's REST API with
 * dev sign-in tokens: the API calls one page load makes, their bytes and latency, the cloud (AWS and Graph) calls
 * the page loads cause, and the bulk keep. The page's calls are the ones the Reviews page makes for a reviewer
 * (the campaigns, then one call per open campaign with items for them); the browser test reviews.e2e.ts checks
 * that the page in the browser makes exactly these.
 */
import type { EmulatorControlClient } from '@aws-access/emulators';
import type {
  ReviewCampaign,
  ReviewItemPage,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import { call, devToken } from './requests';

export interface ReviewScenario {
  baseUrl: string;
  /** Who starts the campaign (holds `aws-access.review.manage`). */
  manager: string;
  /** The group's reviewer. */
  reviewer: string;
  /** Entity ref of the group under review. */
  group: string;
  /** Page loads to time. */
  loads?: number;
}

export interface ReviewPageCall {
  route: string;
  bytes: number;
}

export interface ReviewPageFigures {
  group: string;
  /** Items in the campaign (one per direct member). */
  items: number;
  /** Items on the reviewer's page, and members whose access the page shows (the matrix needs nothing else). */
  itemsOnPage: number;
  itemsWithAccess: number;
  /** The API calls of one page load, with their response bytes. */
  calls: ReviewPageCall[];
  bytes: number;
  loads: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** AWS and Graph calls the page loads caused (the emulator's counters; its control API is not a cloud). */
  cloudCalls: number;
  /** Keeping the whole group: one call. */
  bulkKeep: { calls: number; kept: number; ms: number };
  /** The campaign's progress afterwards. */
  decidedAfter: number;
}

async function timedGet(baseUrl: string, token: string, route: string) {
  const response = await fetch(`${baseUrl}/api/aws-access${route}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`GET ${route}: ${response.status} ${text.slice(0, 300)}`);
  return { route, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

/**
 * What the Reviews page reads for a reviewer (AwsAccessReviewsContent → MyReviews → CampaignReview): the
 * campaigns where they review, then the items of each open campaign with items for them, one call each.
 */
export async function loadReviewerPage(baseUrl: string, token: string) {
  const campaigns = await timedGet(baseUrl, token, '/reviews?role=reviewer');
  const open = (campaigns.body.items as ReviewCampaign[]).filter(
    c => c.state === 'open' && c.myProgress.total > 0,
  );
  const pages = await Promise.all(
    open.map(c =>
      timedGet(
        baseUrl,
        token,
        `/reviews/${encodeURIComponent(c.id)}/items?reviewer=me`,
      ),
    ),
  );
  return {
    calls: [campaigns, ...pages].map(({ route, bytes }) => ({ route, bytes })),
    pages: pages.map(p => p.body as ReviewItemPage),
  };
}

const cloudCalls = (totals: Record<string, number>) =>
  Object.entries(totals)
    .filter(([service]) => service !== 'control')
    .reduce((sum, [, n]) => sum + n, 0);

/** Starts a campaign over the group, times the reviewer's page loads, and keeps the whole group in one call. */
export async function measureReviewPage(
  scenario: ReviewScenario,
  control: EmulatorControlClient,
): Promise<ReviewPageFigures> {
  const { baseUrl } = scenario;
  const loads = scenario.loads ?? 20;
  const managerToken = await devToken(baseUrl, scenario.manager);
  const reviewerToken = await devToken(baseUrl, scenario.reviewer);
  const campaign: ReviewCampaign = await call(
    baseUrl,
    managerToken,
    '/reviews',
    {
      method: 'POST',
      body: {
        name: 'Bench: a 200-member group',
        groups: [scenario.group],
        dueAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      },
    },
  );
  // One load first (warm caches, as a second visit would), then the timed loads.
  let page = await loadReviewerPage(baseUrl, reviewerToken);
  const before = (await control.getCounters()).totals;
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const started = performance.now();
    page = await loadReviewerPage(baseUrl, reviewerToken);
    times.push(performance.now() - started);
  }
  const after = (await control.getCounters()).totals;
  const groupItems = page.pages
    .filter(p => p.campaign.id === campaign.id)
    .flatMap(p => p.groups)
    .filter(g => g.group.entityRef === scenario.group)
    .flatMap(g => g.items);

  const started = performance.now();
  const kept = await call(
    baseUrl,
    reviewerToken,
    `/reviews/${encodeURIComponent(campaign.id)}/decisions`,
    {
      method: 'POST',
      body: { group: scenario.group, decision: 'keep', note: 'bench' },
    },
  );
  const bulkMs = performance.now() - started;
  const afterKeep: ReviewCampaign = await call(
    baseUrl,
    managerToken,
    `/reviews/${encodeURIComponent(campaign.id)}`,
  );

  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  return {
    group: scenario.group,
    items: campaign.progress.total,
    itemsOnPage: groupItems.length,
    itemsWithAccess: groupItems.filter(i => i.access.length > 0).length,
    calls: page.calls,
    bytes: page.calls.reduce((sum, c) => sum + c.bytes, 0),
    loads,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: Math.round(times[times.length - 1]),
    cloudCalls: cloudCalls(after) - cloudCalls(before),
    bulkKeep: { calls: 1, kept: kept.items.length, ms: Math.round(bulkMs) },
    decidedAfter: afterKeep.progress.decided,
  };
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** The report's section on a reviewer's page for a 200-member group. */
export function renderReviewPage(figures?: ReviewPageFigures): string[] {
  const out = [
    "### 4c. A reviewer's page for a 200-member group (issue 17: one page load, no per-member requests)",
    '',
  ];
  if (!figures) return [...out, 'Not measured in this run.', ''];
  const f = figures;
  out.push(
    `The platform team starts a campaign over \`${f.group}\` (${f.items} items, one per direct member); its reviewer ` +
      `(the group's Entra owner) opens the Reviews page ${f.loads} times and then keeps the whole group. ` +
      "The calls are the page's for a reviewer (the browser test `reviews.e2e.ts` checks the page makes no others); " +
      'bytes are the JSON bodies, times are the whole page load as the harness sees it (the calls in order, as the page makes them).',
    '',
    '| page load | API calls | bytes | p50 / p95 / max | members on the page (with their AWS access) | AWS + Graph calls per load | keep the whole group |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${f.calls
      .map(
        c =>
          `\`GET ${c.route.replace(/\/reviews\/[^/?]+\//, '/reviews/:id/')}\``,
      )
      .join(' + ')} | ${f.calls.length} | ${kib(f.bytes)} | ${f.p50Ms} / ${
      f.p95Ms
    } / ${f.maxMs} ms | ${f.itemsOnPage} (${f.itemsWithAccess}) | ${
      f.cloudCalls / f.loads
    } | ${f.bulkKeep.calls} call, ${f.bulkKeep.kept} kept in ${(
      f.bulkKeep.ms / 1000
    ).toFixed(1)} s (${f.decidedAfter}/${f.items} decided) |`,
    '',
  );
  return out;
}

/**
 * Who does what in the bench's review: a member of the platform group starts the campaign, and the group's first
 * Entra owner reviews it (no policy names the team, so its owners are its reviewers).
 */
export function benchReview(
  baseUrl: string,
  scenario: {
    entra: {
      users: { upn: string; mail?: string }[];
      groups: {
        name: string;
        members: string[];
        owners?: string[];
        securityEnabled?: boolean;
        mailNickname?: string;
      }[];
    };
  },
  names: { group: string; platformGroup: string },
): ReviewScenario {
  const groupNamed = (name: string) => {
    const group = scenario.entra.groups.find(g => g.name === name);
    if (!group) throw new Error(`the scenario has no group ${name}`);
    return group;
  };
  const userRef = (upn: string) => {
    const user = scenario.entra.users.find(u => u.upn === upn)!;
    return entraUserEntityRef({ mail: user.mail, userPrincipalName: upn });
  };
  const group = groupNamed(names.group);
  const owner = group.owners?.[0];
  if (!owner) throw new Error(`${names.group} has no Entra owner to review it`);
  const manager = groupNamed(names.platformGroup).members.find(
    m => !group.members.includes(m),
  );
  if (!manager)
    throw new Error(`${names.platformGroup} has nobody outside ${names.group}`);
  return {
    baseUrl,
    manager: userRef(manager),
    reviewer: userRef(owner),
    group: entraGroupEntityRef({ displayName: group.name, ...group }),
  };
}

/** Issue 17's goal for the reviewer: whether it is met, and the line that says so. */
export function reviewPageGoal(f: ReviewPageFigures): [boolean, string] {
  const perMember = f.calls.filter(c => /\/(users|groups)\//.test(c.route));
  const met =
    f.itemsOnPage >= 200 && perMember.length === 0 && f.cloudCalls === 0;
  return [
    met,
    `Issue 17 reviewer: a ${f.itemsOnPage}-member group on one page load of ${
      f.calls.length
    } API calls (${perMember.length} per member), ${Math.round(
      f.bytes / 1024,
    )} KiB, p50 ${f.p50Ms} ms, ${f.cloudCalls} AWS or Graph calls over ${
      f.loads
    } loads; keeping the whole group is ${f.bulkKeep.calls} more call.`,
  ];
}
