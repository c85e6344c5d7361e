import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import {
  startGovernanceBackend,
  user,
} from '../__testUtils__/governanceBackend';

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
const ANALYSTS = 'group:default/aws-data-analysts';

const GOVERNANCE = {
  mode: 'membership',
  policies: [
    {
      group: POWER,
      approvers: ['group-owners', 'account-owners'],
      maxDuration: 'PT1H',
      defaultDuration: 'PT1H',
      justification: 'required',
      ticketPattern: '^(INC|CHG)-\\d+$',
      approvalTimeout: 'P2D',
    },
    // No maxDuration on an admin group: the lint says so.
    {
      group: ADMIN,
      requesters: ['group:default/backend-team'],
      approvers: ['account-owners'],
      justification: 'required',
    },
    {
      group: READONLY,
      approvers: ['group-owners'],
      autoApprove: true,
      maxDuration: 'PT8H',
    },
    {
      group: 'group:default/aws-data-*',
      approvers: ['group:default/platform-team'],
      approvals: 2,
      maxDuration: 'P1D',
    },
    { group: 'group:default/nothing-*', approvers: ['group-owners'] },
    { group: 'group:default/backend-team', approvers: ['group-owners'] },
  ],
};

describe.each(databases.eachSupportedId())(
  'access requests on %p',
  (databaseId: TestDatabaseId) => {
    let world: Awaited<ReturnType<typeof startGovernanceBackend>>;
    const get = (url: string, who: string) => world.get(url, who);
    const submit = (who: string, body: object) => world.submit(who, body);
    const act = (id: string, action: string, who: string, note?: string) =>
      world.act(id, action, who, note);

    beforeAll(async () => {
      world = await startGovernanceBackend({
        knex: await databases.init(databaseId),
        governance: GOVERNANCE,
        // The permission framework narrows: Alex may not approve, whatever the policy says.
        decideFirst: (permission, claims) =>
          permission.name === 'aws-access.request.approve' &&
          claims.includes(ALEX)
            ? { result: AuthorizeResult.DENY }
            : undefined,
      });
    });

    afterAll(async () => {
      await world?.stop();
    });

    it('offers the groups a person may request, with what each gives, searchable by what they need', async () => {
      const res = await get('/requestables', AAMIR).expect(200);
      const byGroup = new Map<string, any>(
        res.body.items.map((item: any) => [item.group.entityRef, item]),
      );
      expect([...byGroup.keys()].sort()).toEqual(
        [ADMIN, ANALYSTS, POWER, READONLY].sort(),
      );
      expect(byGroup.get(READONLY).member).toBe(true);
      expect(byGroup.get(POWER)).toMatchObject({
        member: false,
        policy: {
          maxDuration: 'PT1H',
          justification: 'required',
          approvals: 1,
          autoApprove: false,
          mode: 'membership',
        },
      });
      expect(byGroup.get(POWER).grants).toContainEqual({
        accountId: '200000000001',
        accountName: 'payments-dev',
        permissionSet: expect.objectContaining({
          name: 'DeveloperPowerUser',
          sessionDuration: 'PT8H',
        }),
      });

      const search = await get(
        `/requestables?q=${encodeURIComponent('PowerUser payments-dev')}`,
        AAMIR,
      ).expect(200);
      expect(search.body.items.map((i: any) => i.group.entityRef)).toEqual([
        POWER,
      ]);
      // Tom is not in backend-team, the admin policy's requesters.
      const tom = await get('/requestables', TOM).expect(200);
      expect(tom.body.items.map((i: any) => i.group.entityRef)).not.toContain(
        ADMIN,
      );
    });

    it('refuses a bad submission with a 400 naming the field', async () => {
      const good = {
        group: POWER,
        justification: 'INC-7 deploy is stuck',
        ticket: 'INC-7',
      };
      const cases: Array<[object, string, RegExp]> = [
        [{ ...good, justification: ' ' }, 'justification', /required/],
        [{ ...good, duration: 'PT2H' }, 'duration', /longer than .*PT1H/],
        [{ ...good, duration: 'an hour' }, 'duration', /ISO 8601/],
        [{ ...good, ticket: 'JIRA-1' }, 'ticket', /does not match/],
        [{ ...good, ticket: undefined }, 'ticket', /required/],
        [
          { ...good, group: 'group:default/backend-team' },
          'group',
          /not a group that gives AWS access/,
        ],
      ];
      for (const [body, field, message] of cases) {
        const res = await submit(AAMIR, body).expect(400);
        expect(res.body.error).toMatchObject({ field });
        expect(res.body.error.message).toMatch(message);
        expect(res.body.error.message).toContain(`Invalid ${field}`);
      }
      // What the body's schema refuses names the field too.
      const missing = await submit(AAMIR, { justification: 'x' }).expect(400);
      expect(missing.body.error).toMatchObject({
        field: 'group',
        message: 'Invalid body.group: is required',
      });
      const notARef = await submit(AAMIR, {
        group: 'user:default/maria',
      }).expect(400);
      expect(notARef.body.error).toMatchObject({ field: 'group' });
      await submit(TOM, { group: ADMIN, justification: 'x' }).expect(403);
      // Aamir is in AWS-Developers-ReadOnly already.
      await submit(AAMIR, { group: READONLY }).expect(409);
      expect(await world.store.list()).toEqual([]);
    });

    let powerRequest: AccessRequest;
    it('submits, notifies the approvers, and lets an approver (never the requester) approve once', async () => {
      const res = await submit(AAMIR, {
        group: POWER,
        justification: 'INC-42 payments are failing',
        ticket: 'INC-42',
        duration: 'PT30M',
      }).expect(201);
      powerRequest = res.body;
      expect(powerRequest).toMatchObject({
        requester: AAMIR,
        requesterName: 'Aamir Siddiqui',
        group: { entityRef: POWER, name: 'AWS-Developers-PowerUser' },
        state: 'submitted',
        duration: 'PT30M',
        approvalsRequired: 1,
        actions: { approve: false, cancel: true, revoke: false },
      });
      expect(world.sent).toContainEqual(
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: expect.arrayContaining([
              MARIA,
              'group:default/backend-team',
            ]),
            excludeEntityRef: AAMIR,
          },
          payload: expect.objectContaining({
            link: `/aws-access/requests?request=${powerRequest.id}`,
          }),
        }),
      );
      await submit(AAMIR, {
        group: POWER,
        justification: 'again',
        ticket: 'INC-42',
      }).expect(409);

      const own = await act(powerRequest.id, 'approve', AAMIR).expect(403);
      expect(own.body.error.message).toMatch(/your own request/);
      await act(powerRequest.id, 'approve', TOM).expect(403);
      // Alex owns the accounts (backend-team), but the permission framework narrows him out.
      await act(powerRequest.id, 'approve', ALEX).expect(403);

      const queue = await get(
        '/requests?role=approver&state=submitted',
        MARIA,
      ).expect(200);
      const queued = queue.body.items.find(
        (r: any) => r.id === powerRequest.id,
      );
      expect(queued.actions).toMatchObject({ approve: true, deny: true });
      expect((await get('/requests?role=approver', TOM)).body.items).toEqual(
        [],
      );

      const approved = await act(
        powerRequest.id,
        'approve',
        MARIA,
        'ok for 30 min',
      ).expect(200);
      expect(approved.body).toMatchObject({
        state: 'approved',
        approvals: [{ by: MARIA, note: 'ok for 30 min' }],
        actions: { approve: false, revoke: true },
      });
      await act(powerRequest.id, 'approve', MARIA).expect(409);
      expect(world.sent.at(-1)).toMatchObject({
        recipients: { entityRef: [AAMIR] },
        payload: { title: expect.stringContaining('was approved') },
      });

      const detail = await get(`/requests/${powerRequest.id}`, AAMIR).expect(
        200,
      );
      expect(detail.body.history).toEqual([
        expect.objectContaining({ by: AAMIR, to: 'submitted' }),
        expect.objectContaining({
          by: MARIA,
          from: 'submitted',
          to: 'approved',
          note: 'ok for 30 min',
        }),
      ]);
      // The requester's current grants are context for those who decide, not for the requester.
      expect(detail.body.requesterGrants).toBeUndefined();
      const decided = await get(`/requests/${powerRequest.id}`, MARIA).expect(
        200,
      );
      expect(decided.body.requesterGrants).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            accountName: 'payments-dev',
            permissionSet: expect.objectContaining({
              name: 'DeveloperReadOnly',
            }),
          }),
        ]),
      );
      expect(world.backend.auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'user-access-read',
          meta: expect.objectContaining({
            subject: AAMIR,
            purpose: 'access-request-decision',
          }),
        }),
      );
      await get(`/requests/${powerRequest.id}`, TOM).expect(404);
      expect(world.backend.auditEvents).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'access-request-submit',
            outcome: 'success',
          }),
          expect.objectContaining({
            eventId: 'access-request-approve',
            outcome: 'success',
            meta: expect.objectContaining({
              from: 'submitted',
              to: 'approved',
            }),
          }),
          expect.objectContaining({
            eventId: 'access-request-approve',
            outcome: 'fail',
          }),
        ]),
      );
    });

    it('lets the requester cancel before the grant, and nobody else', async () => {
      await act(powerRequest.id, 'cancel', MARIA).expect(403);
      const res = await act(powerRequest.id, 'cancel', AAMIR).expect(200);
      expect(res.body.state).toBe('cancelled');
      await act(powerRequest.id, 'cancel', AAMIR).expect(409);
      await act(powerRequest.id, 'revoke', AAMIR).expect(409);
    });

    it('lets only one of two concurrent approvers approve', async () => {
      const { body } = await submit(PRIYA, {
        group: POWER,
        justification: 'CHG-9 release',
        ticket: 'CHG-9',
      }).expect(201);
      const [a, b] = await Promise.all([
        act(body.id, 'approve', MARIA),
        act(body.id, 'approve', SHEN),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const stored = await world.store.get(body.id);
      expect(stored?.state).toBe('approved');
      expect(stored?.approvals).toHaveLength(1);
    });

    it('denies, and a denied request does not block the next one', async () => {
      const first = await submit(NOAH, {
        group: POWER,
        justification: 'INC-1',
        ticket: 'INC-1',
      }).expect(201);
      const denied = await act(
        first.body.id,
        'deny',
        MARIA,
        'use read-only',
      ).expect(200);
      expect(denied.body.state).toBe('denied');
      await act(first.body.id, 'approve', SHEN).expect(409);
      const second = await submit(NOAH, {
        group: POWER,
        justification: 'INC-2',
        ticket: 'INC-2',
      }).expect(201);
      expect(second.body.id).not.toBe(first.body.id);
    });

    it('approves at once where the policy says so, still audited, with the policy ceiling as duration', async () => {
      const res = await submit(SHEN, { group: READONLY }).expect(201);
      expect(res.body).toMatchObject({ state: 'approved', duration: 'PT8H' });
      const detail = await get(`/requests/${res.body.id}`, SHEN).expect(200);
      expect(detail.body.history.at(-1)).toMatchObject({
        by: 'system',
        from: 'submitted',
        to: 'approved',
      });
    });

    it('needs two different people for approvals: 2', async () => {
      const { body } = await submit(TOM, { group: ANALYSTS }).expect(201);
      expect(body.approvalsRequired).toBe(2);
      const first = await act(body.id, 'approve', SARA).expect(200);
      expect(first.body.state).toBe('submitted');
      await act(body.id, 'approve', SARA).expect(409);
      const second = await act(body.id, 'approve', OLU).expect(200);
      expect(second.body.state).toBe('approved');
      expect(second.body.approvals.map((a: any) => a.by)).toEqual([SARA, OLU]);
    });

    let adminRequest: AccessRequest;
    it('needs one approval from each owner group when the accounts have several owners', async () => {
      const { body } = await submit(AAMIR, {
        group: ADMIN,
        justification: 'INC-77 outage',
      }).expect(201);
      adminRequest = body;
      // platform-team, backend-team and data-team own the accounts AWS-Developers-Admin reaches.
      expect(body.approvalsRequired).toBe(3);
      expect(
        (await act(body.id, 'approve', MARIA).expect(200)).body.state,
      ).toBe('submitted');
      // Shen counts for backend-team too, which Maria has covered: not enough on its own.
      expect((await act(body.id, 'approve', SHEN).expect(200)).body.state).toBe(
        'submitted',
      );
      expect((await act(body.id, 'approve', OLU).expect(200)).body.state).toBe(
        'submitted',
      );
      await act(body.id, 'approve', TOM).expect(403);
      const done = await act(body.id, 'approve', NOAH).expect(200);
      expect(done.body.state).toBe('approved');
    });

    it('revokes active access (requester, approver or platform team) and retries a failed write', async () => {
      const { id } = adminRequest;
      await world.store.transition(id, {
        from: ['approved'],
        to: 'granting',
        by: 'system',
      });
      await world.store.transition(id, {
        from: ['granting'],
        to: 'active',
        by: 'system',
      });
      await act(id, 'revoke', TOM).expect(403);
      const revoked = await act(id, 'revoke', AAMIR, 'done').expect(200);
      expect(revoked.body.state).toBe('revoking');
      await act(id, 'revoke', SARA).expect(409);

      // The worker failed to remove the member: a retry resumes the removal, not the grant.
      await world.store.transition(id, {
        from: ['revoking'],
        to: 'failed',
        by: 'system',
        patch: { error: 'Graph answered 503' },
      });
      const failed = await get(`/requests/${id}`, SARA).expect(200);
      expect(failed.body).toMatchObject({
        state: 'failed',
        error: 'Graph answered 503',
        actions: { retry: true },
      });
      const retried = await act(id, 'retry', SARA).expect(200);
      expect(retried.body.state).toBe('revoking');
      expect(retried.body.error).toBeUndefined();
      await act(id, 'retry', SARA).expect(409);
    });

    it('lists by role: mine, approver, and all for the platform team only', async () => {
      const mine = await get('/requests', AAMIR).expect(200);
      expect(new Set(mine.body.items.map((r: any) => r.requester))).toEqual(
        new Set([AAMIR]),
      );
      await get('/requests?role=all', AAMIR).expect(403);
      const all = await get('/requests?role=all', SARA).expect(200);
      expect(all.body.items.length).toBe((await world.store.list()).length);
      const bad = await get('/requests?state=pending', SARA).expect(400);
      expect(bad.body.error.message).toMatch(/^Invalid query.state/);
    });

    it('exports a period as formula-safe CSV or JSON for the platform team', async () => {
      const { body } = await submit(PRIYA, {
        group: ANALYSTS,
        justification: '=HYPERLINK("http://evil")',
      }).expect(201);
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const query = `from=${from}&to=${to}`;
      await get(`/requests/export?${query}`, AAMIR).expect(403);
      await get(`/requests/export?from=${to}&to=${from}`, SARA).expect(400);
      const json = await get(`/requests/export?${query}`, SARA).expect(200);
      expect(json.body.items.length).toBe((await world.store.list()).length);
      expect(json.body.items[0].history.length).toBeGreaterThan(0);
      const csv = await get(
        `/requests/export?${query}&format=csv`,
        SARA,
      ).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toMatch(/^id,created_at,requester,/);
      const row = lines.find(line => line.startsWith(`"${body.id}"`));
      expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(world.backend.auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'access-request-export',
          outcome: 'success',
        }),
      );
    });

    it('lints the policies for the platform team', async () => {
      await get('/governance/lint', AAMIR).expect(403);
      const res = await get('/governance/lint', SARA).expect(200);
      const codes = res.body.findings.map((f: any) => [
        f.code,
        f.group ?? f.policy,
      ]);
      expect(codes).toEqual(
        expect.arrayContaining([
          ['admin-without-max-duration', ADMIN],
          ['unknown-group', 'group:default/nothing-*'],
          ['not-requestable', 'group:default/backend-team'],
        ]),
      );
      expect(codes.filter(([, about]: string[]) => about === POWER)).toEqual(
        [],
      );
    });

    it('answers every route as openapi.yaml says', () => {
      expect(world.openApiProblems()).toEqual([]);
    });
  },
);
