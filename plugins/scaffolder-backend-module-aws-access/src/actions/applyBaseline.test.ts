import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  ApplyResult,
  AssignmentCall,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import { createApplyBaselineAction } from './applyBaseline';

const call = (description: string): AssignmentCall => ({
  operation: 'CreateAccountAssignment',
  input: {
    InstanceArn: 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6',
    TargetId: '300000000001',
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn:
      'arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000001',
    PrincipalType: 'GROUP',
    PrincipalId: '9067a1b2c3-11111111-2222-3333-4444-555555555555',
  },
  description,
});

const plan: OnboardingPlan = {
  accountId: '300000000001',
  accountName: 'checkout-dev',
  snapshotVersion: 4,
  planId: 'plan-1',
  create: [
    call('AWS-Developers-ReadOnly → DeveloperReadOnly'),
    call('AWS-Developers-Admin → DeveloperAdmin'),
  ],
  delete: [],
  blocked: [],
};

function service(result?: ApplyResult) {
  return {
    getCatalogProjection: jest.fn(),
    getSyncStatus: jest.fn(),
    planAccountBaseline: jest.fn(async () => plan),
    applyAccountBaseline: jest.fn(async () => result!),
  } satisfies AwsAccessService;
}

describe('aws-access:account:apply-baseline', () => {
  const initiator = mockCredentials.user('user:default/sara_example.com');

  it('plans as the user who runs the template and writes nothing in plan mode', async () => {
    const awsAccess = service();
    const ctx = {
      ...createMockActionContext({
        input: {
          accountId: '300000000001',
          mode: 'plan',
          removeForbidden: false,
          confirmRemoval: false,
        },
      }),
      getInitiatorCredentials: async () => initiator,
    };
    await createApplyBaselineAction({ awsAccess }).handler(ctx as any);

    expect(awsAccess.planAccountBaseline).toHaveBeenCalledWith({
      accountId: '300000000001',
      removeForbidden: false,
      credentials: initiator,
    });
    expect(awsAccess.applyAccountBaseline).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('planId', 'plan-1');
    expect(ctx.output).toHaveBeenCalledWith('creates', 2);
  });

  it('applies the reviewed plan id and reports every call', async () => {
    const awsAccess = service({
      accountId: '300000000001',
      planId: 'plan-1',
      results: plan.create.map(c => ({
        call: c,
        outcome: 'succeeded' as const,
        attempts: 1,
      })),
      snapshotVersion: 5,
    });
    const ctx = {
      ...createMockActionContext({
        input: {
          accountId: '300000000001',
          mode: 'apply',
          removeForbidden: false,
          confirmRemoval: false,
        },
      }),
      getInitiatorCredentials: async () => initiator,
    };
    await createApplyBaselineAction({ awsAccess }).handler(ctx as any);

    expect(awsAccess.applyAccountBaseline).toHaveBeenCalledWith({
      accountId: '300000000001',
      planId: 'plan-1',
      removeForbidden: false,
      confirmRemoval: false,
      credentials: initiator,
    });
    expect(ctx.output).toHaveBeenCalledWith('succeeded', 2);
  });

  it('fails the step, naming the calls, when any call failed', async () => {
    const awsAccess = service({
      accountId: '300000000001',
      planId: 'plan-1',
      results: [
        { call: plan.create[0], outcome: 'succeeded', attempts: 1 },
        {
          call: plan.create[1],
          outcome: 'failed',
          reason: 'ThrottlingException (retries exhausted)',
          attempts: 5,
        },
      ],
    });
    const ctx = {
      ...createMockActionContext({
        input: {
          accountId: '300000000001',
          mode: 'apply',
          removeForbidden: false,
          confirmRemoval: false,
        },
      }),
      getInitiatorCredentials: async () => initiator,
    };
    await expect(
      createApplyBaselineAction({ awsAccess }).handler(ctx as any),
    ).rejects.toThrow(
      '1 of 2 assignment calls failed: AWS-Developers-Admin → DeveloperAdmin',
    );
  });

  it('does not apply during a template dry run', async () => {
    const awsAccess = service();
    const ctx = {
      ...createMockActionContext({
        input: {
          accountId: '300000000001',
          mode: 'apply',
          removeForbidden: false,
          confirmRemoval: false,
        },
      }),
      getInitiatorCredentials: async () => initiator,
      isDryRun: true,
    };
    await createApplyBaselineAction({ awsAccess }).handler(ctx as any);
    expect(awsAccess.applyAccountBaseline).not.toHaveBeenCalled();
  });

  it('declares a 12-digit account id in its input schema', () => {
    const action = createApplyBaselineAction({ awsAccess: service() });
    expect((action.schema?.input as any).properties.accountId).toMatchObject({
      type: 'string',
      pattern: '^\\d{12}$',
    });
  });
});
