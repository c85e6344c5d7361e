import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ReviewAccess } from '@aws-access/plugin-aws-access-common';
import type { NewReviewItem } from './ReviewStore';
import { ReviewStore } from './ReviewStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const clock = { now: new Date('2026-12-06T09:00:00.000Z') };
  const store = await ReviewStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { store, advance, clock };
}

const MARIA = 'user:default/maria';
const SARA = 'user:default/sara';
const READ_ONLY = {
  entityRef: 'group:default/aws-developers-readonly',
  name: 'AWS-Developers-ReadOnly',
  id: 'g-ro',
};

function member(name: string, group = READ_ONLY): NewReviewItem {
  return {
    group,
    member: { entityRef: `user:default/${name}`, name, userId: `u-${name}` },
    reviewers: [MARIA],
    reviewerSource: 'group-owners',
  };
}

const ACCESS: ReviewAccess[] = [
  {
    accountId: '200000000001',
    accountName: 'payments-dev',
    permissionSet: {
      name: 'DeveloperReadOnly',
      arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      sessionDuration: 'PT4H',
    },
    state: 'active',
    alsoVia: [],
  },
];

const keep = { decision: 'keep' as const, by: MARIA, accessAtDecision: ACCESS };

describe.each(databases.eachSupportedId())('ReviewStore on %p', databaseId => {
  it('stores a campaign with one pending item per membership and reads them back, by group then member', async () => {
    const { store } = await createStore(databaseId);
    // More items than one insert statement takes, so the chunking is exercised.
    const names = Array.from({ length: 95 }, (_, i) => `p${1000 - i}`);
    const campaign = await store.createCampaign(
      {
        name: 'Q4',
        dueAt: '2026-12-20T00:00:00.000Z',
        closingPolicy: 'keep',
        createdBy: SARA,
        groups: [READ_ONLY.entityRef],
      },
      names.map(name => member(name)),
    );
    expect(campaign).toMatchObject({
      name: 'Q4',
      state: 'open',
      groups: [READ_ONLY.entityRef],
      createdAt: '2026-12-06T09:00:00.000Z',
      remindersSent: 0,
    });
    expect(await store.campaign(campaign.id)).toEqual(campaign);
    const items = await store.items({ campaignIds: [campaign.id] });
    expect(items).toHaveLength(95);
    expect(items[0]).toMatchObject({
      campaignId: campaign.id,
      member: { entityRef: 'user:default/p1000', userId: 'u-p1000' },
      reviewers: [MARIA],
      reviewerSource: 'group-owners',
      state: 'pending',
      undecidedAtDue: false,
    });
    expect(items.map(i => i.member.name)).toEqual([...names].sort());
    await expect(store.campaign('nope')).resolves.toBeUndefined();
  });

  it('records a decision with what AWS showed, and refuses one from a state the caller did not see', async () => {
    const { store, advance } = await createStore(databaseId);
    const campaign = await store.createCampaign(
      {
        name: 'Q4',
        dueAt: '2026-12-20T00:00:00.000Z',
        closingPolicy: 'keep',
        createdBy: SARA,
      },
      [member('aamir'), member('priya')],
    );
    const [aamir, priya] = await store.items({ campaignIds: [campaign.id] });
    advance(60_000);
    const removing = await store.decide(campaign.id, aamir.id, ['pending'], {
      decision: 'remove',
      note: 'left the team',
      by: MARIA,
      byName: 'Maria Gonzalez',
      accessAtDecision: ACCESS,
      removalMode: 'membership',
    });
    expect(removing).toMatchObject({
      state: 'removing',
      decision: 'remove',
      note: 'left the team',
      decidedBy: MARIA,
      decidedAt: '2026-12-06T09:01:00.000Z',
      accessAtDecision: ACCESS,
      removalMode: 'membership',
    });
    expect(await store.item(campaign.id, aamir.id)).toEqual(removing);
    await expect(
      store.decide(campaign.id, aamir.id, ['pending', 'kept'], keep),
    ).rejects.toThrow(ConflictError);
    await expect(
      store.decide(campaign.id, 'no-item', ['pending'], keep),
    ).rejects.toThrow(NotFoundError);

    // A kept item can be decided again; the decision's time moves with it.
    await store.decide(campaign.id, priya.id, ['pending'], keep);
    advance(1000);
    const again = await store.decide(campaign.id, priya.id, ['kept'], {
      ...keep,
      note: 'still needs it',
    });
    expect(again).toMatchObject({
      state: 'kept',
      note: 'still needs it',
      decidedAt: '2026-12-06T09:01:01.000Z',
    });

    // removing → removed once; the time is kept for the evidence.
    advance(30_000);
    expect(await store.markRemoved(aamir.id)).toBe(true);
    expect(await store.markRemoved(aamir.id)).toBe(false);
    expect(await store.item(campaign.id, aamir.id)).toMatchObject({
      state: 'removed',
      removedAt: '2026-12-06T09:01:31.000Z',
    });
  });

  it('delegates a pending item to one reviewer, and nothing that is decided', async () => {
    const { store } = await createStore(databaseId);
    const campaign = await store.createCampaign(
      {
        name: 'Q4',
        dueAt: '2026-12-20T00:00:00.000Z',
        closingPolicy: 'keep',
        createdBy: SARA,
      },
      [member('aamir'), member('priya')],
    );
    const [aamir, priya] = await store.items({ campaignIds: [campaign.id] });
    expect(
      await store.delegate(campaign.id, aamir.id, { to: SARA, by: MARIA }),
    ).toMatchObject({
      reviewers: [SARA],
      delegatedBy: MARIA,
      delegatedAt: '2026-12-06T09:00:00.000Z',
      state: 'pending',
    });
    await store.decide(campaign.id, priya.id, ['pending'], keep);
    await expect(
      store.delegate(campaign.id, priya.id, { to: SARA, by: MARIA }),
    ).rejects.toThrow(/only a pending item can be delegated/);
  });

  it('closes at the due date with the closing policy for undecided items, and nothing lands on a closed campaign', async () => {
    const { store } = await createStore(databaseId);
    const campaign = await store.createCampaign(
      {
        name: 'Q4',
        dueAt: '2026-12-20T00:00:00.000Z',
        closingPolicy: 'remove',
        createdBy: SARA,
      },
      [member('aamir'), member('priya')],
    );
    const [aamir, priya] = await store.items({ campaignIds: [campaign.id] });
    await store.decide(campaign.id, aamir.id, ['pending'], keep);
    // Not every item is decided: closing as "decided" is refused.
    expect(await store.close(campaign.id, 'decided')).toBe(false);
    expect(
      await store.campaigns({ dueBefore: '2026-12-21T00:00:00.000Z' }),
    ).toHaveLength(1);

    expect(
      await store.close(campaign.id, 'due', () => ({
        decision: 'remove',
        by: 'system',
        note: 'Undecided at the due date',
        accessAtDecision: ACCESS,
        removalMode: 'membership',
      })),
    ).toBe(true);
    expect(await store.campaign(campaign.id)).toMatchObject({
      state: 'closed',
      closedReason: 'due',
      closedAt: '2026-12-06T09:00:00.000Z',
    });
    expect(await store.item(campaign.id, priya.id)).toMatchObject({
      state: 'removing',
      decidedBy: 'system',
      undecidedAtDue: true,
    });
    expect(await store.item(campaign.id, aamir.id)).toMatchObject({
      state: 'kept',
      undecidedAtDue: false,
    });
    expect(await store.items({ undecidedAtDue: true })).toHaveLength(1);

    await expect(
      store.decide(campaign.id, aamir.id, ['kept'], keep),
    ).rejects.toThrow(/Review campaign Q4 is closed \(due at/);
    await expect(
      store.delegate(campaign.id, aamir.id, { to: SARA, by: MARIA }),
    ).rejects.toThrow(ConflictError);
    expect(await store.close(campaign.id, 'due')).toBe(false);
    // The removal still reaches AWS after the close.
    expect(await store.markRemoved(priya.id)).toBe(true);
    expect(
      await store.campaigns({ dueBefore: '2026-12-21T00:00:00.000Z' }),
    ).toEqual([]);
  });

  it('sends each reminder once whoever races for it', async () => {
    const { store } = await createStore(databaseId);
    const campaign = await store.createCampaign(
      {
        name: 'Q4',
        dueAt: '2026-12-20T00:00:00.000Z',
        closingPolicy: 'keep',
        createdBy: SARA,
      },
      [member('aamir')],
    );
    const raced = await Promise.all([
      store.markReminders(campaign.id, 0, 1),
      store.markReminders(campaign.id, 0, 1),
    ]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect((await store.campaign(campaign.id))!.remindersSent).toBe(1);
  });
});
