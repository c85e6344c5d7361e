import { mockCredentials } from '@backstage/backend-test-utils';
import type { OnboardingPlan } from '@aws-access/plugin-aws-access-common';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { openApiProblems } from '../__testUtils__/openapi';

jest.setTimeout(120_000);

const SARA = mockCredentials.user.header('user:default/sara_example.com');
const MARIA = mockCredentials.user.header('user:default/maria_example.com');
const BASELINE = {
  rules: [
    {
      name: 'workloads',
      accounts: { ouPath: 'Workloads/*' },
      require: [
        {
          group: 'AWS-Developers-ReadOnly',
          permissionSet: 'DeveloperReadOnly',
        },
        { group: 'AWS-Developers-Admin', permissionSet: 'DeveloperAdmin' },
      ],
    },
    {
      name: 'prod-no-poweruser',
      accounts: { tags: { env: 'prod' } },
      forbid: [{ permissionSet: 'DeveloperPowerUser' }],
    },
  ],
};

describe('account onboarding against the emulators', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  let api: ReturnType<typeof request>;
  const responses: Array<{
    method: string;
    url: string;
    status: number;
    type?: string;
    body: unknown;
  }> = [];

  /** Triggers a sync and waits until it committed a newer snapshot. */
  async function syncAndWait() {
    const before = (
      await api.get('/api/aws-access/sync/status').set('Authorization', SARA)
    ).body.snapshotVersion;
    expect(
      (await api.post('/api/aws-access/sync').set('Authorization', SARA))
        .status,
    ).toBe(202);
    for (let i = 0; i < 200; i++) {
      const status = (
        await api.get('/api/aws-access/sync/status').set('Authorization', SARA)
      ).body;
      if (status.snapshotVersion > before) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error('sync did not commit');
  }

  beforeAll(async () => {
    world = await startEmulatorWorld();
    await world.emulators.control.updateSettings({ assignmentDelayMs: 30 });
    // The new account joins before the first sync; it is new (first seen now) and has no assignment at all.
    await world.emulators.control.createAccount({
      id: '300000000001',
      name: 'checkout-dev',
      email: 'aws+checkout-dev@example.com',
      ou: 'Workloads/Dev',
      tags: { env: 'dev' },
    });
    backend = await startAccessBackend(world.emulators, {
      configOverrides: {
        baseline: BASELINE,
        write: { maxOutstanding: 10, pollInterval: { milliseconds: 20 } },
      },
    });
    const raw = request(backend.server);
    // Every response here is also checked against openapi.yaml at the end.
    api = new Proxy(raw, {
      get: (target, method: string) => (url: string) =>
        (target as any)[method](url).on('response', (res: any) =>
          responses.push({
            method: method.toUpperCase(),
            url,
            status: res.status,
            type: res.headers['content-type'],
            body: res.body,
          }),
        ),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  it('shows a new account as non-compliant, plans exactly the missing pairs, applies them and is idempotent', async () => {
    const overview = await api
      .get('/api/aws-access/onboarding/accounts')
      .set('Authorization', SARA);
    expect(overview.status).toBe(200);
    expect(overview.body.problems).toEqual([]);
    expect(overview.body.canApply).toBe(true);
    const checkout = overview.body.accounts.find(
      (a: any) => a.account.id === '300000000001',
    );
    expect(checkout).toMatchObject({
      compliant: false,
      unassigned: true,
      isNew: true,
      rules: ['workloads'],
      missing: [
        {
          group: 'AWS-Developers-ReadOnly',
          permissionSet: 'DeveloperReadOnly',
        },
        { group: 'AWS-Developers-Admin', permissionSet: 'DeveloperAdmin' },
      ],
    });
    // data-lake and ml-platform lack ReadOnly in the seed; the prod accounts carry no PowerUser.
    expect(
      overview.body.accounts
        .filter((a: any) => !a.compliant)
        .map((a: any) => a.account.name)
        .sort(),
    ).toEqual(['checkout-dev', 'data-lake', 'ml-platform']);

    const plan: OnboardingPlan = (
      await api
        .post('/api/aws-access/onboarding/accounts/300000000001/plan')
        .set('Authorization', SARA)
        .send({})
    ).body;
    expect(plan.delete).toEqual([]);
    expect(plan.blocked).toEqual([]);
    expect(
      plan.create.map(c => [
        c.operation,
        c.description,
        c.input.TargetId,
        c.input.TargetType,
        c.input.PrincipalType,
      ]),
    ).toEqual([
      [
        'CreateAccountAssignment',
        'AWS-Developers-ReadOnly → DeveloperReadOnly',
        '300000000001',
        'AWS_ACCOUNT',
        'GROUP',
      ],
      [
        'CreateAccountAssignment',
        'AWS-Developers-Admin → DeveloperAdmin',
        '300000000001',
        'AWS_ACCOUNT',
        'GROUP',
      ],
    ]);

    // Only people with the write permission apply; Maria may not.
    const denied = await api
      .post('/api/aws-access/onboarding/accounts/300000000001/apply')
      .set('Authorization', MARIA)
      .send({ planId: plan.planId });
    expect(denied.status).toBe(403);

    const applied = await api
      .post('/api/aws-access/onboarding/accounts/300000000001/apply')
      .set('Authorization', SARA)
      .send({ planId: plan.planId });
    expect(applied.status).toBe(200);
    expect(applied.body.results.map((r: any) => r.outcome)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(applied.body.snapshotVersion).toBeGreaterThan(plan.snapshotVersion);
    expect(
      backend.auditEvents.filter(
        e => e.eventId === 'account-assignment-create',
      ),
    ).toHaveLength(2);
    expect(
      backend.auditEvents.find(e => e.eventId === 'account-assignment-create')!
        .meta,
    ).toMatchObject({
      actor: 'user:default/sara_example.com',
      accountId: '300000000001',
      outcome: 'succeeded',
    });

    const compliance = await api
      .get('/api/aws-access/onboarding/accounts/300000000001')
      .set('Authorization', SARA);
    expect(compliance.body).toMatchObject({
      compliant: true,
      missing: [],
      unassigned: false,
    });

    // Re-applying the reviewed plan changes nothing: the calls are skipped, nothing is written twice.
    const again = await api
      .post('/api/aws-access/onboarding/accounts/300000000001/apply')
      .set('Authorization', SARA)
      .send({ planId: plan.planId });
    expect(again.status).toBe(409);
    const emptyPlan: OnboardingPlan = (
      await api
        .post('/api/aws-access/onboarding/accounts/300000000001/plan')
        .set('Authorization', SARA)
        .send({})
    ).body;
    expect(emptyPlan.create).toEqual([]);
    const noop = await api
      .post('/api/aws-access/onboarding/accounts/300000000001/apply')
      .set('Authorization', SARA)
      .send({ planId: emptyPlan.planId });
    expect(noop.body.results).toEqual([]);
  });

  it('reports a failing create per pair and retries a throttled one', async () => {
    const plan: OnboardingPlan = (
      await api
        .post('/api/aws-access/onboarding/accounts/200000000009/plan')
        .set('Authorization', SARA)
        .send({})
    ).body;
    expect(plan.create.map(c => c.description)).toEqual([
      'AWS-Developers-ReadOnly → DeveloperReadOnly',
    ]);
    // One throttle (retried) then a persistent server error for the only create: reported, not silent.
    await world.emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'CreateAccountAssignment',
      kind: 'http500',
      times: 10,
    });
    const failed = await api
      .post('/api/aws-access/onboarding/accounts/200000000009/apply')
      .set('Authorization', SARA)
      .send({ planId: plan.planId });
    expect(failed.status).toBe(200);
    expect(failed.body.results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: expect.stringMatching(/InternalServerException/),
      }),
    ]);
    expect(backend.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'account-assignment-create',
        outcome: 'fail',
      }),
    );
    await world.emulators.control.clearFaults();

    await world.emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'CreateAccountAssignment',
      kind: 'throttle',
      times: 1,
      retryAfterSeconds: 0,
    });
    const retried = await api
      .post('/api/aws-access/onboarding/accounts/200000000009/apply')
      .set('Authorization', SARA)
      .send({ planId: plan.planId });
    expect(retried.body.results).toEqual([
      expect.objectContaining({ outcome: 'succeeded' }),
    ]);
    await world.emulators.control.clearFaults();
  });

  it('removes forbidden pairs only with an explicit confirmation, and skips what is already in place', async () => {
    const { emulators } = world;
    const client = new SSOAdminClient({
      region: 'us-east-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const ps = (name: string) =>
      emulators.scenario.identityCenter.permissionSets.find(
        p => p.name === name,
      )!.arn;
    const groups = (
      await api
        .get('/api/aws-access/catalog/projection')
        .set('Authorization', mockCredentials.service.header())
    ).body.assignments;
    const powerUserGroup = groups.find(
      (a: any) => a.principal.displayName === 'AWS-Developers-PowerUser',
    ).principal.identityCenterId;
    // Someone gives PowerUser on web-prod by hand, out of band.
    await client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: emulators.scenario.identityCenter.instanceArn,
        TargetId: '200000000005',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: ps('DeveloperPowerUser'),
        PrincipalType: 'GROUP',
        PrincipalId: powerUserGroup,
      }),
    );
    await syncAndWait();

    const compliance = (
      await api
        .get('/api/aws-access/onboarding/accounts/200000000005')
        .set('Authorization', SARA)
    ).body;
    expect(compliance).toMatchObject({
      compliant: false,
      forbidden: [
        {
          group: 'AWS-Developers-PowerUser',
          permissionSet: 'DeveloperPowerUser',
          principalType: 'GROUP',
        },
      ],
    });
    const withoutRemoval: OnboardingPlan = (
      await api
        .post('/api/aws-access/onboarding/accounts/200000000005/plan')
        .set('Authorization', SARA)
        .send({})
    ).body;
    expect(withoutRemoval.delete).toEqual([]);
    const plan: OnboardingPlan = (
      await api
        .post('/api/aws-access/onboarding/accounts/200000000005/plan')
        .set('Authorization', SARA)
        .send({ removeForbidden: true })
    ).body;
    expect(plan.delete.map(c => [c.operation, c.description])).toEqual([
      [
        'DeleteAccountAssignment',
        'AWS-Developers-PowerUser → DeveloperPowerUser',
      ],
    ]);

    const unconfirmed = await api
      .post('/api/aws-access/onboarding/accounts/200000000005/apply')
      .set('Authorization', SARA)
      .send({ planId: plan.planId, removeForbidden: true });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toMatch(/confirmRemoval: true/);

    // Meanwhile someone removes it by hand too: the apply skips it instead of failing or writing twice.
    const deletion = await client.send(
      new DeleteAccountAssignmentCommand({
        InstanceArn: emulators.scenario.identityCenter.instanceArn,
        TargetId: '200000000005',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: ps('DeveloperPowerUser'),
        PrincipalType: 'GROUP',
        PrincipalId: powerUserGroup,
      }),
    );
    let status = deletion.AccountAssignmentDeletionStatus!.Status;
    while (status === 'IN_PROGRESS') {
      status = (
        await client.send(
          new DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn: emulators.scenario.identityCenter.instanceArn,
            AccountAssignmentDeletionRequestId:
              deletion.AccountAssignmentDeletionStatus!.RequestId,
          }),
        )
      ).AccountAssignmentDeletionStatus!.Status;
    }
    expect(status).toBe('SUCCEEDED');
    const applied = await api
      .post('/api/aws-access/onboarding/accounts/200000000005/apply')
      .set('Authorization', SARA)
      .send({
        planId: plan.planId,
        removeForbidden: true,
        confirmRemoval: true,
      });
    expect(applied.status).toBe(200);
    expect(applied.body.results).toEqual([
      expect.objectContaining({
        outcome: 'skipped',
        reason: 'already removed',
        attempts: 0,
      }),
    ]);
    expect(
      (
        await api
          .get('/api/aws-access/onboarding/accounts/200000000005')
          .set('Authorization', SARA)
      ).body.compliant,
    ).toBe(true);
  });

  it('validates input and the write credentials', async () => {
    const bad = await api
      .post('/api/aws-access/onboarding/accounts/300000000001/apply')
      .set('Authorization', SARA)
      .send({});
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid body.planId/);
    const unknown = await api
      .get('/api/aws-access/onboarding/accounts/999999999999')
      .set('Authorization', SARA);
    expect(unknown.status).toBe(404);
  });

  it('documents every onboarding response in openapi.yaml', () => {
    const onboarding = responses.filter(r => r.url.includes('/onboarding/'));
    expect(onboarding.length).toBeGreaterThan(10);
    expect(
      onboarding.flatMap(r =>
        openApiProblems(
          r.method,
          r.url.replace(/^\/api\/aws-access/, ''),
          r.status,
          r.type,
          r.body,
        ),
      ),
    ).toEqual([]);
  });
});
