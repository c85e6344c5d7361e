import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type {
  ReviewCampaign,
  ReviewItem,
  ReviewItemPage,
} from '@aws-access/plugin-aws-access-common';
import {
  startGovernanceBackend,
  user,
} from '../__testUtils__/governanceBackend';
import { ReviewStore } from '../governance/ReviewStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const AAMIR = user('aamir');
const SHEN = user('shen.li');
const ALEX = user('alex');
const MARIA = user('maria');
const PRIYA = user('priya');
const TOM = user('tom');
const NOAH = user('noah');
const OLU = user('olu');
const SARA = user('sara');
const POWER = 'group:default/aws-developers-poweruser';
const ADMIN = 'group:default/aws-developers-admin';
const READONLY = 'group:default/aws-developers-readonly';
const PLATFORM = 'group:default/platform-team';

const GOVERNANCE = {
  mode: 'membership',
  policies: [
    { group: READONLY, approvers: ['group-owners'], autoApprove: true },
    { group: ADMIN, approvers: [PLATFORM] },
  ],
};

const DUE = '2099-01-31T17:00:00.000Z';

describe.each(databases.eachSupportedId())(
  'access reviews on %p',
  (databaseId: TestDatabaseId) => {
    let world: Awaited<ReturnType<typeof startGovernanceBackend>>;
    let store: ReviewStore;
    let campaign: ReviewCampaign;
    const get = (url: string, who: string) => world.get(url, who);
    const post = (url: string, who: string, body: object = {}) =>
      world.post(url, who, body);
    const itemsOf = async (who: string, query = '') =>
      (await get(`/reviews/${campaign.id}/items${query}`, who).expect(200))
        .body as ReviewItemPage;
    const itemFor = async (who: string, member: string, group: string) => {
      const page = await itemsOf(who, who === SARA ? '?reviewer=all' : '');
      const item = page.groups
        .flatMap(g => g.items)
        .find(
          i => i.member.entityRef === member && i.group.entityRef === group,
        );
      if (!item) throw new Error(`no item for ${member} in ${group}`);
      return item;
    };
    const decide = (item: ReviewItem, who: string, body: object) =>
      post(`/reviews/${campaign.id}/items/${item.id}/decision`, who, body);

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      world = await startGovernanceBackend({ knex, governance: GOVERNANCE });
      // The worker's view of the same database: tests close campaigns as the worker would.
      store = await ReviewStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
    });

    afterAll(async () => {
      await world?.stop();
    });

    it('lets only the platform team start a campaign, and refuses bad bodies naming the field', async () => {
      const body = { name: 'Q4 2026', dueAt: DUE };
      const refused = await post('/reviews', MARIA, body).expect(403);
      expect(refused.body.error.message).toMatch(
        /missing permission aws-access\.review\.manage/,
      );
      const bad = async (b: object, field: string, message: RegExp) => {
        const res = await post('/reviews', SARA, b).expect(400);
        expect(res.body.error.message).toMatch(message);
        // Every refusal names the field in `field` too, for a form (none for the body as a whole).
        expect(res.body.error.field).toBe(field || undefined);
      };
      await bad(
        { ...body, dueAt: '2020-01-01T00:00:00Z' },
        'dueAt',
        /is not in the future/,
      );
      await bad({ ...body, dueAt: 'next week' }, 'dueAt', /ISO 8601 timestamp/);
      await bad(
        { ...body, groups: ['group:default/backend-team'] },
        'groups',
        /backend-team is not a group that gives AWS access/,
      );
      await bad({ dueAt: DUE }, 'name', /^Invalid body\.name: is required/);
      await bad(
        { ...body, closingPolicy: 'delete' },
        'closingPolicy',
        /body\.closingPolicy/,
      );
      await bad({ ...body, colour: 'red' }, '', /^Invalid body/);
      expect(await get('/reviews?role=all', SARA).expect(200)).toMatchObject({
        body: { items: [] },
      });
    });

    it('starts a campaign over every AWS group: one item per direct member, reviewed by policy approvers, else owners, else the platform team', async () => {
      const sentBefore = world.sent.length;
      const res = await post('/reviews', SARA, {
        name: 'Q4 2026',
        dueAt: DUE,
      }).expect(201);
      campaign = res.body;
      expect(campaign).toMatchObject({
        name: 'Q4 2026',
        state: 'open',
        dueAt: DUE,
        closingPolicy: 'keep',
        createdBy: SARA,
        createdByName: 'Sara Lindqvist',
        // ReadOnly 4, PowerUser 3, Admin 2; Data-Analysts has only a nested member, Payments-Prod-Admin none.
        progress: { total: 9, pending: 9, decided: 0 },
        overdueItems: 0,
      });
      expect(campaign.groups).toBeUndefined();
      const groups = new Map(
        campaign.campaignGroups!.map(g => [g.group.entityRef, g]),
      );
      expect([...groups.keys()].sort()).toEqual([ADMIN, POWER, READONLY]);
      expect(groups.get(READONLY)).toMatchObject({
        reviewers: [MARIA],
        reviewerSource: 'policy',
      });
      // PowerUser has no policy: its Entra owner reviews, but never her own membership (the platform team does).
      expect(groups.get(POWER)).toMatchObject({
        reviewers: [MARIA],
        reviewerSource: 'group-owners',
      });
      expect(groups.get(ADMIN)).toMatchObject({
        reviewers: [PLATFORM],
        reviewerSource: 'policy',
      });
      expect(
        campaign.reviewers!.map(r => [
          r.reviewer,
          r.reviewerName,
          r.progress.total,
        ]),
      ).toEqual([
        [PLATFORM, 'Platform-Team', 2],
        ['platform', undefined, 1],
        [MARIA, 'Maria Gonzalez', 6],
      ]);
      const started = world.sent.slice(sentBefore);
      expect(started).toHaveLength(1);
      expect(started[0].recipients).toMatchObject({
        entityRef: [PLATFORM, MARIA],
      });
      expect(started[0].payload).toMatchObject({
        title: 'Access review "Q4 2026": please review by 2099-01-31',
        link: `/aws-access/reviews?campaign=${campaign.id}`,
      });
    });

    it('gives a reviewer their campaigns and their whole page in one call: what each membership gives in AWS, and how it came', async () => {
      const mine = (await get('/reviews', MARIA).expect(200)).body.items;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        id: campaign.id,
        myProgress: { total: 6, pending: 6 },
      });
      expect((await get('/reviews', NOAH).expect(200)).body.items).toEqual([]);
      await get('/reviews?role=all', MARIA).expect(403);
      await get(`/reviews/${campaign.id}`, NOAH).expect(404);
      await get('/reviews/no-such-campaign', SARA).expect(404);

      const page = await itemsOf(MARIA);
      expect(page.groups.map(g => g.group.entityRef)).toEqual([
        POWER,
        READONLY,
      ]);
      const [power, readOnly] = page.groups;
      expect(readOnly.items.map(i => i.member.displayName)).toEqual([
        'Aamir Siddiqui',
        'Noah Kim',
        'Priya Nair',
        'Tom Becker',
      ]);
      // Maria's own PowerUser membership is not on her page.
      expect(power.items.map(i => i.member.entityRef)).toEqual([ALEX, SHEN]);
      expect(readOnly.assignments).toHaveLength(5);
      expect(readOnly.assignments[0].permissionSet).toMatchObject({
        name: 'DeveloperReadOnly',
        sessionDuration: 'PT4H',
      });
      const priya = readOnly.items.find(i => i.member.entityRef === PRIYA)!;
      expect(priya).toMatchObject({
        state: 'pending',
        reviewers: [MARIA],
        origin: { kind: 'standing' },
        actions: { decide: true, delegate: true },
        outOfSync: [],
      });
      expect(priya.access).toHaveLength(5);
      expect(priya.access.every(a => a.state === 'active')).toBe(true);
      // The joiner: Entra has him, AWS does not yet.
      const aamir = readOnly.items.find(i => i.member.entityRef === AAMIR)!;
      expect(new Set(aamir.access.map(a => a.state))).toEqual(
        new Set(['pending']),
      );
      // The leaver: disabled in Entra, AWS still lets him in.
      const alex = power.items.find(i => i.member.entityRef === ALEX)!;
      expect(alex.access.every(a => a.state === 'revoking')).toBe(true);
      expect(alex.outOfSync.length).toBeGreaterThan(0);
      expect(alex.outOfSync.every(g => g.state === 'revoking')).toBe(true);
      // The mover: ReadOnly on payments-prod also comes through his old group.
      const shen = power.items.find(i => i.member.entityRef === SHEN)!;
      const prod = shen.access.find(a => a.accountName === 'payments-prod')!;
      expect(prod.alsoVia.map(v => v.entityRef)).toContain(READONLY);

      const one = await itemsOf(MARIA, `?group=${encodeURIComponent(POWER)}`);
      expect(one.groups.map(g => g.group.entityRef)).toEqual([POWER]);
      await get(`/reviews/${campaign.id}/items?reviewer=all`, MARIA).expect(
        403,
      );
      await get(`/reviews/${campaign.id}/items?group=nope:x/y`, MARIA).expect(
        400,
      );
    });

    it('records keep and remove with a note and what AWS showed, and refuses what is not the caller’s to decide', async () => {
      const priya = await itemFor(MARIA, PRIYA, READONLY);
      const unknown = await decide(priya, MARIA, { decision: 'maybe' }).expect(
        400,
      );
      expect(unknown.body.error.message).toMatch(/keep, remove/);
      await decide(priya, MARIA, {}).expect(400);
      await decide(priya, MARIA, {
        decision: 'keep',
        note: 'x'.repeat(2001),
      }).expect(400);
      const notReviewer = await decide(priya, TOM, { decision: 'keep' }).expect(
        403,
      );
      expect(notReviewer.body.error.message).toMatch(
        /not a reviewer of Priya Nair/,
      );
      const mariaOwn = await itemFor(SARA, MARIA, POWER);
      expect(mariaOwn).toMatchObject({
        reviewers: [],
        reviewerSource: 'platform',
      });
      const own = await decide(mariaOwn, MARIA, { decision: 'keep' }).expect(
        403,
      );
      expect(own.body.error.message).toMatch(/your own membership/);
      // Sara is in Admin herself: Olu reviews her, she reviews Olu.
      const sara = await itemFor(SARA, SARA, ADMIN);
      await decide(sara, SARA, { decision: 'keep' }).expect(403);
      await decide(sara, OLU, { decision: 'keep' }).expect(200);

      const kept = (
        await decide(priya, MARIA, {
          decision: 'keep',
          note: 'on call',
        }).expect(200)
      ).body as ReviewItem;
      expect(kept).toMatchObject({
        state: 'kept',
        decision: 'keep',
        note: 'on call',
        decidedBy: MARIA,
        decidedByName: 'Maria Gonzalez',
      });
      expect(kept.accessAtDecision).toHaveLength(5);
      // A kept item may be decided again while the campaign is open.
      const again = await decide(priya, MARIA, {
        decision: 'keep',
        note: '=HYPERLINK("http://x")',
      }).expect(200);
      expect(again.body.note).toBe('=HYPERLINK("http://x")');

      const shen = await itemFor(MARIA, SHEN, POWER);
      const removing = await decide(shen, MARIA, {
        decision: 'remove',
        note: 'moved teams',
      }).expect(200);
      expect(removing.body).toMatchObject({
        state: 'removing',
        decision: 'remove',
        actions: { decide: false, delegate: false },
      });
      const late = await decide(shen, MARIA, { decision: 'keep' }).expect(409);
      expect(late.body.error.message).toMatch(
        /is removing; it cannot be decided now/,
      );
      await decide(mariaOwn, SARA, { decision: 'keep' }).expect(200);
    });

    it('keeps a whole group in one call (keep only), and hands an item to someone else', async () => {
      const alex = await itemFor(MARIA, ALEX, POWER);
      const toSelf = await post(
        `/reviews/${campaign.id}/items/${alex.id}/delegate`,
        MARIA,
        { to: ALEX },
      ).expect(400);
      expect(toSelf.body.error.message).toMatch(/is the member/);
      await post(`/reviews/${campaign.id}/items/${alex.id}/delegate`, TOM, {
        to: PRIYA,
      }).expect(403);
      await post(`/reviews/${campaign.id}/items/${alex.id}/delegate`, MARIA, {
        to: 'group:default/backend-team',
      }).expect(400);
      const delegated = await post(
        `/reviews/${campaign.id}/items/${alex.id}/delegate`,
        MARIA,
        { to: PRIYA, note: 'she worked with him' },
      ).expect(200);
      expect(delegated.body).toMatchObject({
        reviewers: [PRIYA],
        delegatedBy: MARIA,
        actions: { decide: false, delegate: false },
      });
      await decide(alex, MARIA, { decision: 'keep' }).expect(403);
      expect(
        (await get('/reviews', PRIYA).expect(200)).body.items,
      ).toHaveLength(1);

      const bulkRemove = await post(
        `/reviews/${campaign.id}/decisions`,
        MARIA,
        {
          group: READONLY,
          decision: 'remove',
        },
      ).expect(400);
      expect(bulkRemove.body.error.message).toMatch(/body\.decision/);
      await post(`/reviews/${campaign.id}/decisions`, TOM, {
        group: READONLY,
        decision: 'keep',
      }).expect(404);
      const bulk = await post(`/reviews/${campaign.id}/decisions`, MARIA, {
        group: READONLY,
        decision: 'keep',
        note: 'team is unchanged',
      }).expect(200);
      // Priya was decided already: Aamir, Noah and Tom.
      expect(
        bulk.body.items.map((i: ReviewItem) => i.member.entityRef),
      ).toEqual([AAMIR, NOAH, TOM]);
      expect(bulk.body.items.every((i: ReviewItem) => i.state === 'kept')).toBe(
        true,
      );
      const decidedDelegation = await post(
        `/reviews/${campaign.id}/items/${bulk.body.items[0].id}/delegate`,
        MARIA,
        { to: PRIYA },
      ).expect(409);
      expect(decidedDelegation.body.error.message).toMatch(
        /only a pending item/,
      );

      const view = (await get(`/reviews/${campaign.id}`, SARA).expect(200))
        .body;
      expect(view.progress).toEqual({
        total: 9,
        pending: 2,
        kept: 6,
        removing: 1,
        removed: 0,
        decided: 7,
      });
    });

    it('exports the evidence for the platform team only, formula-safe, and keeps it after the close; a closed campaign refuses decisions', async () => {
      await get(`/reviews/${campaign.id}/evidence`, MARIA).expect(403);
      const json = (
        await get(`/reviews/${campaign.id}/evidence`, SARA).expect(200)
      ).body;
      expect(json.rows).toHaveLength(9);
      const shen = json.rows.find((r: any) => r.member === SHEN);
      expect(shen).toMatchObject({
        group: POWER,
        groupName: 'AWS-Developers-PowerUser',
        reviewers: [MARIA],
        decision: 'remove',
        decidedBy: MARIA,
        note: 'moved teams',
        state: 'removing',
      });
      expect(shen.accessAtDecision.length).toBeGreaterThan(0);
      const csv = await get(
        `/reviews/${campaign.id}/evidence?format=csv`,
        SARA,
      ).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'campaign_id,campaign,group,group_ref,member,member_ref,reviewers,delegated_by,decision,decided_by,note,decided_at,aws_at_decision,state,removed_from_aws_at',
      );
      expect(lines).toHaveLength(10);
      expect(csv.text).toContain('"\'=HYPERLINK(""http://x"")"');

      // Close as the worker does at the due date: the undecided are kept by the closing policy.
      expect(
        await store.close(campaign.id, 'due', () => ({
          decision: 'keep',
          by: 'system',
          accessAtDecision: [],
        })),
      ).toBe(true);
      const priya = await itemFor(SARA, PRIYA, READONLY);
      const closed = await decide(priya, MARIA, { decision: 'remove' }).expect(
        409,
      );
      expect(closed.body.error.message).toMatch(/"Q4 2026" is closed/);
      await post(`/reviews/${campaign.id}/decisions`, MARIA, {
        group: READONLY,
        decision: 'keep',
      }).expect(409);
      await post(`/reviews/${campaign.id}/items/${priya.id}/delegate`, SARA, {
        to: TOM,
      }).expect(409);
      const after = (
        await get(`/reviews/${campaign.id}/evidence`, SARA).expect(200)
      ).body;
      expect(after.campaign).toMatchObject({
        state: 'closed',
        closedReason: 'due',
      });
      expect(
        after.rows.filter((r: any) => r.decidedBy === 'system'),
      ).toHaveLength(2);

      const overdue = (await get('/reviews/overdue', SARA).expect(200)).body
        .items;
      expect(overdue.map((o: any) => o.member.entityRef).sort()).toEqual(
        [ALEX, OLU].sort(),
      );
      expect(overdue[0]).toMatchObject({
        campaign: { id: campaign.id, state: 'closed' },
        state: 'kept',
      });
      await get('/reviews/overdue', MARIA).expect(403);
    });

    it('documents every response in openapi.yaml', () => {
      expect(world.openApiProblems()).toEqual([]);
    });
  },
);
