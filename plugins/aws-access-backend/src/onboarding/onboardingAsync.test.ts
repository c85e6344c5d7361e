import { mockCredentials } from '@backstage/backend-test-utils';
import type { OnboardingPlan } from '@aws-access/plugin-aws-access-common';
import {
  CreateAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const SARA = mockCredentials.user.header('user:default/sara_example.com');
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
      ],
    },
    {
      name: 'prod-no-poweruser',
      accounts: { tags: { env: 'prod' } },
      forbid: [{ permissionSet: 'DeveloperPowerUser' }],
    },
  ],
};

/*
 * Identity Center's assignment operations take seconds to minutes and can end FAILED, deletes as well as creates.
 * The onboarding apply waits for a slow one and reports a failed delete as failed (audited), not as done.
 */
describe('onboarding apply against slow and failing assignment operations', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  let api: ReturnType<typeof request>;

  async function syncAndWait() {
    const version = async () =>
      (await api.get('/api/aws-access/sync/status').set('Authorization', SARA))
        .body.snapshotVersion;
    const before = await version();
    await api.post('/api/aws-access/sync').set('Authorization', SARA);
    for (let i = 0; i < 200 && (await version()) <= before; i++)
      await new Promise(resolve => setTimeout(resolve, 50));
    expect(await version()).toBeGreaterThan(before);
  }

  /** The apply, with the emulator clock moved on 10 s at a time while it waits for the operations. */
  async function applyAdvancingClock(accountId: string, body: object) {
    let done = false;
    const applying = api
      .post(`/api/aws-access/onboarding/accounts/${accountId}/apply`)
      .set('Authorization', SARA)
      .send(body)
      .then(res => {
        done = true;
        return res;
      });
    let advanced = 0;
    while (!done) {
      await new Promise(resolve => setTimeout(resolve, 100));
      if (!done) {
        await world.emulators.control.advanceClock(10);
        advanced += 10;
      }
    }
    return { response: await applying, advanced };
  }

  const plan = async (accountId: string, body: object = {}) =>
    (
      await api
        .post(`/api/aws-access/onboarding/accounts/${accountId}/plan`)
        .set('Authorization', SARA)
        .send(body)
    ).body as OnboardingPlan;

  beforeAll(async () => {
    world = await startEmulatorWorld();
    // Two minutes per operation on the emulator clock: longer than any poll interval, well within AWS's range.
    await world.emulators.control.updateSettings({
      assignmentDelayMs: 120_000,
    });
    backend = await startAccessBackend(world.emulators, {
      configOverrides: {
        baseline: BASELINE,
        write: { maxOutstanding: 10, pollInterval: { milliseconds: 20 } },
      },
    });
    api = request(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  it('waits for a create that takes minutes', async () => {
    const create = await plan('200000000009');
    expect(create.create.map(c => c.description)).toEqual([
      'AWS-Developers-ReadOnly → DeveloperReadOnly',
    ]);
    const { response, advanced } = await applyAdvancingClock('200000000009', {
      planId: create.planId,
    });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      expect.objectContaining({ outcome: 'succeeded' }),
    ]);
    expect(advanced).toBeGreaterThanOrEqual(120);
  });

  it('reports a delete that ends FAILED as failed, and leaves the assignment for the next apply', async () => {
    const { emulators } = world;
    const instanceArn = emulators.scenario.identityCenter.instanceArn;
    const powerUser = emulators.scenario.identityCenter.permissionSets.find(
      p => p.name === 'DeveloperPowerUser',
    )!.arn;
    const projection = (
      await api
        .get('/api/aws-access/catalog/projection')
        .set('Authorization', mockCredentials.service.header())
    ).body.assignments;
    const group = projection.find(
      (a: any) => a.principal.displayName === 'AWS-Developers-PowerUser',
    ).principal.identityCenterId;
    // PowerUser on web-prod by hand, out of band.
    const client = new SSOAdminClient({
      region: 'us-east-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const created = await client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: '200000000005',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: powerUser,
        PrincipalType: 'GROUP',
        PrincipalId: group,
      }),
    );
    await emulators.control.advanceClock(120);
    const status = await client.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: instanceArn,
        AccountAssignmentCreationRequestId:
          created.AccountAssignmentCreationStatus!.RequestId,
      }),
    );
    expect(status.AccountAssignmentCreationStatus!.Status).toBe('SUCCEEDED');
    await syncAndWait();

    const removal = await plan('200000000005', { removeForbidden: true });
    expect(removal.delete.map(c => c.description)).toEqual([
      'AWS-Developers-PowerUser → DeveloperPowerUser',
    ]);
    await emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'DeleteAccountAssignment',
      kind: 'async-failure',
    });
    const body = {
      planId: removal.planId,
      removeForbidden: true,
      confirmRemoval: true,
    };
    const failed = await applyAdvancingClock('200000000005', body);
    expect(failed.response.status).toBe(200);
    expect(failed.response.body.results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: expect.stringMatching(/^Received a 500 status error/),
        requestId: expect.any(String),
      }),
    ]);
    expect(backend.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'account-assignment-delete',
        outcome: 'fail',
      }),
    );
    await syncAndWait();
    const after = await api
      .get('/api/aws-access/onboarding/accounts/200000000005')
      .set('Authorization', SARA);
    expect(after.body).toMatchObject({
      compliant: false,
      forbidden: [{ permissionSet: 'DeveloperPowerUser' }],
    });

    // The fault is spent: the same plan applied again removes it.
    const retried = await applyAdvancingClock('200000000005', body);
    expect(retried.response.body.results).toEqual([
      expect.objectContaining({ outcome: 'succeeded' }),
    ]);
    expect(backend.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'account-assignment-delete',
        outcome: 'success',
      }),
    );
  });
});
