import type {
  OverdueReviewItem,
  ReviewAccess,
  ReviewCampaign,
  ReviewGroupItems,
  ReviewItem,
  ReviewItemPage,
  ReviewProgress,
} from '@aws-access/plugin-aws-access-common';

/*
 * Access reviews in the seed world: the platform team (Sara) reviews Backend-Team's AWS groups; Maria owns
 * AWS-Developers-ReadOnly and AWS-Developers-PowerUser and so reviews their direct members.
 */

export const MARIA = 'user:default/maria_example.com';
export const SARA = 'user:default/sara_example.com';

const backendTeam = {
  entityRef: 'group:default/backend-team',
  name: 'Backend-Team',
};

export const readOnlyGroup = {
  entityRef: 'group:default/aws-developers-readonly',
  name: 'AWS-Developers-ReadOnly',
};

export const powerUserGroup = {
  entityRef: 'group:default/aws-developers-poweruser',
  name: 'AWS-Developers-PowerUser',
};

const permissionSet = (name: string, n: number, sessionDuration: string) => ({
  name,
  arn: `arn:aws:sso:::permissionSet/ssoins-1/ps-${n}`,
  sessionDuration,
});

export function readOnlyOn(
  accountId: string,
  accountName: string,
  overrides: Partial<ReviewAccess> = {},
): ReviewAccess {
  return {
    accountId,
    accountName,
    permissionSet: permissionSet('DeveloperReadOnly', 1, 'PT4H'),
    state: 'active',
    alsoVia: [],
    ...overrides,
  };
}

export function progress(
  counts: Partial<ReviewProgress> & { total: number },
): ReviewProgress {
  const kept = counts.kept ?? 0;
  const removing = counts.removing ?? 0;
  const removed = counts.removed ?? 0;
  const decided = kept + removing + removed;
  return {
    pending: counts.total - decided,
    kept,
    removing,
    removed,
    decided,
    ...counts,
  };
}

export function campaign(
  overrides: Partial<ReviewCampaign> = {},
): ReviewCampaign {
  return {
    id: 'rev-1',
    name: 'Q4 Backend-Team review',
    state: 'open',
    groups: [readOnlyGroup.entityRef],
    dueAt: '2026-12-31T17:00:00.000Z',
    closingPolicy: 'keep',
    createdAt: '2026-12-01T09:00:00.000Z',
    createdBy: SARA,
    createdByName: 'Sara Lindqvist',
    progress: progress({ total: 2 }),
    myProgress: progress({ total: 2 }),
    overdueItems: 0,
    ...overrides,
  };
}

/** Priya's standing membership of AWS-Developers-ReadOnly, which also reaches payments-dev another way. */
export function priyaItem(overrides: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id: 'item-priya',
    campaignId: 'rev-1',
    group: readOnlyGroup,
    member: {
      entityRef: 'user:default/priya_example.com',
      displayName: 'Priya Nair',
    },
    teams: [backendTeam],
    reviewers: [MARIA],
    reviewerSource: 'group-owners',
    state: 'pending',
    access: [
      readOnlyOn('200000000001', 'payments-dev', {
        alsoVia: [
          {
            type: 'group',
            name: 'AWS-Payments-Readers',
            entityRef: 'group:default/aws-payments-readers',
            state: 'active',
          },
        ],
      }),
      readOnlyOn('300000000001', 'checkout-dev'),
    ],
    origin: { kind: 'standing', since: '2026-03-02T08:00:00.000Z' },
    outOfSync: [],
    actions: { decide: true, delegate: true },
    ...overrides,
  };
}

/** Aamir joined AWS-Developers-ReadOnly by an approved request; AWS has not received it yet. */
export function aamirItem(overrides: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id: 'item-aamir',
    campaignId: 'rev-1',
    group: readOnlyGroup,
    member: {
      entityRef: 'user:default/aamir_example.com',
      displayName: 'Aamir Siddiqui',
    },
    teams: [backendTeam],
    reviewers: [MARIA],
    reviewerSource: 'group-owners',
    state: 'pending',
    access: [readOnlyOn('200000000001', 'payments-dev', { state: 'pending' })],
    origin: {
      kind: 'request',
      requestId: 'req-7',
      requestedAt: '2026-11-20T10:00:00.000Z',
      requestedBy: 'user:default/aamir_example.com',
      approvedBy: [MARIA],
      approvedByNames: ['Maria Gonzalez'],
      approvedAt: '2026-11-20T10:30:00.000Z',
    },
    outOfSync: [],
    actions: { decide: true, delegate: true },
    ...overrides,
  };
}

export function groupItems(
  items: ReviewItem[],
  overrides: Partial<ReviewGroupItems> = {},
): ReviewGroupItems {
  return {
    group: readOnlyGroup,
    assignments: [],
    reviewers: [MARIA],
    reviewerSource: 'group-owners',
    items,
    nestedMembers: [],
    ...overrides,
  };
}

export function itemPage(
  groups: ReviewGroupItems[],
  overrides: Partial<ReviewCampaign> = {},
): ReviewItemPage {
  return { campaign: campaign(overrides), groups };
}

export function overdueItem(
  overrides: Partial<OverdueReviewItem> = {},
): OverdueReviewItem {
  return {
    campaign: {
      id: 'rev-0',
      name: 'Q3 review',
      dueAt: '2026-10-01T17:00:00.000Z',
      state: 'open',
    },
    itemId: 'item-tom',
    group: readOnlyGroup,
    member: {
      entityRef: 'user:default/tom_example.com',
      displayName: 'Tom Becker',
    },
    reviewers: [MARIA],
    reviewerSource: 'group-owners',
    state: 'pending',
    ...overrides,
  };
}
