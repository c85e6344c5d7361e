import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { MINI_NOW } from '../snapshot/__fixtures__/miniSnapshot';
import { FakeClouds, workerDatabases } from './__testUtils__/fakeRequestWorld';
import type { GovernanceMode } from '@aws-access/plugin-aws-access-common';
import { RequestStore } from './RequestStore';
import type { NewReviewItem } from './ReviewStore';
import { ReviewStore } from './ReviewStore';
import { ReviewWorker } from './ReviewWorker';

jest.setTimeout(30_000);

const DAY = 24 * 3_600_000;
const POWER = {
  entityRef: 'group:default/aws-developers-poweruser',
  name: 'AWS-Developers-PowerUser',
  id: 'g-pu',
};
const OWNER = 'user:default/olu';

function item(name: string): NewReviewItem {
  return {
    group: POWER,
    member: { entityRef: `user:default/${name}`, name, userId: `u-${name}` },
    reviewers: [OWNER],
    reviewerSource: 'group-owners',
  };
}

/**
 * A review worker over real review and request stores and the fake clouds of the request worker's tests;
 * `policyMode` is the mode of a governance policy for PowerUser (none without it).
 */
async function fakeReviewWorld(
  databaseId: TestDatabaseId,
  options: { policyMode?: GovernanceMode } = {},
) {
  const clock = { now: new Date(MINI_NOW) };
  const knex = await workerDatabases.init(databaseId);
  const database = mockServices.database({
    knex,
    migrations: { skip: false },
  });
  const store = await ReviewStore.create({ database, now: () => clock.now });
  const requests = await RequestStore.create({
    database,
    now: () => clock.now,
  });
  const clouds = new FakeClouds(clock);
  const reminded: string[] = [];
  const audited: string[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId }) => ({
      success: async () => {
        audited.push(eventId);
      },
      fail: async () => {
        audited.push(`${eventId} failed`);
      },
    }),
  });
  const worker = new ReviewWorker({
    store,
    config: { closingPolicy: 'keep', reminders: ['P3D', 'P1D'] },
    writers: {
      membership: clouds.writer('membership'),
      pim: clouds.writer('pim'),
    },
    requests,
    policies: {
      policyFor: ref =>
        options.policyMode && ref === POWER.entityRef
          ? ({ mode: options.policyMode } as any)
          : undefined,
    },
    provisioning: clouds.provisioning,
    snapshots: clouds.snapshots,
    notifier: {
      recipients: reviewers => [...new Set(reviewers.flat())],
      remind: async (campaign, recipients, pending) => {
        reminded.push(`${campaign.name} ${recipients.join(',')} ${pending}`);
      },
    },
    auditor,
    logger: mockServices.logger.mock(),
    now: () => clock.now,
    recheckAfterMs: 15_000,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const campaign = (closingPolicy: 'keep' | 'remove', dueInMs = 10 * DAY) =>
    store.createCampaign(
      {
        name: 'Q4',
        dueAt: new Date(clock.now.getTime() + dueInMs).toISOString(),
        closingPolicy,
        createdBy: 'user:default/sara',
      },
      [item('alex'), item('maria'), item('shen')],
    );
  const remove = (campaignId: string, itemId: string) =>
    store.decide(campaignId, itemId, ['pending'], {
      decision: 'remove',
      by: OWNER,
      accessAtDecision: [],
      removalMode: 'membership',
    });
  const keep = (campaignId: string, itemId: string) =>
    store.decide(campaignId, itemId, ['pending'], {
      decision: 'keep',
      by: OWNER,
      accessAtDecision: [],
    });
  /** Maria's approved request for PowerUser: it holds her membership from now on. */
  const requested = async (mode: GovernanceMode) => {
    const submitted = await requests.insert({
      requester: 'user:default/maria',
      requesterUserId: 'u-maria',
      group: POWER,
      justification: 'INC-1',
      duration: 'PT8H',
      mode,
      approvalsRequired: 1,
      approverGroups: [],
    });
    return requests.transition(submitted.id, {
      from: ['submitted'],
      to: 'approved',
      by: OWNER,
      approval: { by: OWNER },
    });
  };
  return {
    clock,
    advance,
    store,
    requests,
    requested,
    clouds,
    worker,
    reminded,
    audited,
    campaign,
    remove,
    keep,
  };
}

describe.each(workerDatabases.eachSupportedId())(
  'ReviewWorker on %p',
  (databaseId: TestDatabaseId) => {
    it('removes the member from Entra, provisions it, and marks the item removed only once AWS shows it gone', async () => {
      const w = await fakeReviewWorld(databaseId);
      const { id } = await w.campaign('keep');
      const maria = (await w.store.items({ campaignIds: [id] }))[1];
      w.clouds.provisioningWorks = false;
      w.advance(1000);
      await w.remove(id, maria.id);

      await w.worker.runOnce();
      // Out of Entra, still in AWS: removing.
      expect(w.clouds.writes).toEqual(['remove u-maria g-pu']);
      expect(w.clouds.members('g-pu')).not.toContain('u-maria');
      expect(w.clouds.aws.get('ig-pu')).toContain('i-maria');
      expect((await w.store.item(id, maria.id))!.state).toBe('removing');

      // Asked again only after the interval; the removal is not written twice.
      await w.worker.runOnce();
      expect(w.clouds.provisioned).toHaveLength(1);
      w.advance(15_000);
      w.clouds.provisioningWorks = true;
      await w.worker.runOnce();
      expect(w.clouds.aws.get('ig-pu')).not.toContain('i-maria');
      expect(await w.store.item(id, maria.id)).toMatchObject({
        state: 'removed',
        removedAt: w.clock.now.toISOString(),
      });
      expect(w.clouds.writes).toEqual(['remove u-maria g-pu']);
      expect(w.clouds.provisioned).toEqual(['u-maria g-pu', 'u-maria g-pu']);
      expect(w.audited).toContain('access-review-removed');
    });

    it('records a failed Entra removal on the item and tries again later', async () => {
      const w = await fakeReviewWorld(databaseId);
      const { id } = await w.campaign('keep');
      const maria = (await w.store.items({ campaignIds: [id] }))[1];
      w.advance(1000);
      await w.remove(id, maria.id);
      w.clouds.failNextWrite =
        'Insufficient privileges to complete the operation.';
      await w.worker.runOnce();
      expect(await w.store.item(id, maria.id)).toMatchObject({
        state: 'removing',
        error:
          'Authorization_RequestDenied: graph: Insufficient privileges to complete the operation.',
      });
      expect(w.clouds.provisioned).toEqual([]);
      w.advance(15_000);
      await w.worker.runOnce();
      expect(await w.store.item(id, maria.id)).toMatchObject({
        state: 'removed',
      });
      expect((await w.store.item(id, maria.id))!.error).toBeUndefined();
    });

    it('closes a campaign once every item is decided', async () => {
      const w = await fakeReviewWorld(databaseId);
      const { id } = await w.campaign('keep');
      const items = await w.store.items({ campaignIds: [id] });
      await w.keep(id, items[0].id);
      await w.keep(id, items[1].id);
      await w.worker.runOnce();
      expect((await w.store.campaign(id))!.state).toBe('open');
      await w.keep(id, items[2].id);
      await w.worker.runOnce();
      expect(await w.store.campaign(id)).toMatchObject({
        state: 'closed',
        closedReason: 'decided',
      });
      expect(w.audited).toEqual(['access-review-close']);
    });

    it('at the due date removes what nobody decided (closing policy remove), with what AWS showed, and follows it to AWS', async () => {
      const w = await fakeReviewWorld(databaseId);
      const { id } = await w.campaign('remove', DAY / 2);
      const [alex, maria, shen] = await w.store.items({ campaignIds: [id] });
      await w.keep(id, alex.id);
      await w.keep(id, shen.id);
      w.advance(DAY / 2 + 1000);
      await w.worker.runOnce();

      expect(await w.store.campaign(id)).toMatchObject({
        state: 'closed',
        closedReason: 'due',
      });
      const closed = (await w.store.item(id, maria.id))!;
      expect(closed).toMatchObject({
        state: 'removed',
        decision: 'remove',
        decidedBy: 'system',
        undecidedAtDue: true,
      });
      expect(closed.note).toMatch(/Nobody decided by the due date/);
      // Maria was in sync: AWS showed her the group's grants at the close.
      expect(closed.accessAtDecision!.length).toBeGreaterThan(0);
      expect(closed.accessAtDecision!.every(a => a.state === 'active')).toBe(
        true,
      );
      expect(w.clouds.writes).toEqual(['remove u-maria g-pu']);
      expect((await w.store.item(id, alex.id))!.state).toBe('kept');
    });

    it.each(['membership', 'pim'] as const)(
      'at the due date ends a requested membership (%s mode) through its request’s revoke, not a removal of its own',
      async mode => {
        const w = await fakeReviewWorld(databaseId);
        const { id } = await w.campaign('remove', DAY / 2);
        const [alex, maria, shen] = await w.store.items({ campaignIds: [id] });
        await w.keep(id, alex.id);
        await w.keep(id, shen.id);
        const request = await w.requested(mode);
        w.advance(DAY / 2 + 1000);
        await w.worker.runOnce();

        const closed = (await w.store.item(id, maria.id))!;
        expect(closed).toMatchObject({
          decision: 'remove',
          decidedBy: 'system',
          undecidedAtDue: true,
        });
        expect(closed.removalMode).toBeUndefined();
        // The review wrote nothing: the request's worker removes her, in the request's mode.
        expect(w.clouds.writes).toEqual([]);
        const revoking = (await w.requests.get(request.id))!;
        expect(revoking).toMatchObject({ state: 'revoking', mode });
        const [last] = (await w.requests.history(request.id)).slice(-1);
        expect(last).toMatchObject({ by: 'system', to: 'revoking' });
        expect(last.note).toMatch(/closing policy of access review "Q4"/);
      },
    );

    it('at the due date removes a standing membership in the mode of the group’s policy', async () => {
      const w = await fakeReviewWorld(databaseId, { policyMode: 'pim' });
      const { id } = await w.campaign('remove', DAY / 2);
      const [alex, maria, shen] = await w.store.items({ campaignIds: [id] });
      await w.keep(id, alex.id);
      await w.keep(id, shen.id);
      w.advance(DAY / 2 + 1000);
      await w.worker.runOnce();
      expect((await w.store.item(id, maria.id))!.removalMode).toBe('pim');
      expect(w.clouds.writes).toEqual(['remove u-maria g-pu']);
    });

    it('reminds the reviewers with undecided items once per configured reminder', async () => {
      const w = await fakeReviewWorld(databaseId);
      const { id } = await w.campaign('keep', 10 * DAY);
      const [alex] = await w.store.items({ campaignIds: [id] });
      await w.keep(id, alex.id);
      await w.worker.runOnce();
      expect(w.reminded).toEqual([]);
      w.advance(7.5 * DAY);
      await w.worker.runOnce();
      await w.worker.runOnce();
      expect(w.reminded).toEqual([`Q4 ${OWNER} 2`]);
      w.advance(2 * DAY);
      await w.worker.runOnce();
      expect(w.reminded).toEqual([`Q4 ${OWNER} 2`, `Q4 ${OWNER} 2`]);
      expect((await w.store.campaign(id))!.remindersSent).toBe(2);
    });
  },
);
