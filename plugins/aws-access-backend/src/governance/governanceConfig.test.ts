import { ConfigReader } from '@backstage/config';
import {
  GovernanceConfigError,
  readGovernanceConfig,
} from './governanceConfig';

/** Governance needs an identity source; its keys are another reader's (readAwsAccessConfig) to check. */
const entra = { tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001' };
const read = (governance: unknown) =>
  readGovernanceConfig(
    new ConfigReader({
      awsAccess: governance === undefined ? { entra } : { entra, governance },
    }),
  );

const problemsOf = (governance: unknown): string[] => {
  try {
    read(governance);
  } catch (error) {
    expect(error).toBeInstanceOf(GovernanceConfigError);
    return (error as GovernanceConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
};

describe('readGovernanceConfig', () => {
  it('is off without awsAccess.governance', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('refuses governance without an identity source (Identity Center alone)', () => {
    expect(() =>
      readGovernanceConfig(
        new ConfigReader({ awsAccess: { governance: { policies: [] } } }),
      ),
    ).toThrow(
      'awsAccess.governance: needs an identity source: configure awsAccess.entra (access requests add people to Entra groups), or remove awsAccess.governance',
    );
  });

  it('reads a policy with its defaults, canonical refs and the global mode', () => {
    const config = read({
      mode: 'pim',
      policies: [
        {
          group: 'group:default/AWS-*-Admin',
          approvers: [
            'group-owners',
            'account-owners',
            'Group:default/Platform-Team',
            'user:default/sara',
          ],
          maxDuration: 'PT1H',
          ticketPattern: '^(INC|CHG)-\\d+$',
        },
        {
          group: 'group:default/ro',
          approvers: [],
          autoApprove: true,
          mode: 'membership',
        },
      ],
    });
    expect(config).toEqual({
      mode: 'pim',
      policies: [
        {
          group: 'group:default/aws-*-admin',
          requesters: 'everyone',
          approvers: [
            { kind: 'group-owners' },
            { kind: 'account-owners' },
            { kind: 'group', ref: 'group:default/platform-team' },
            { kind: 'user', ref: 'user:default/sara' },
          ],
          approvals: 1,
          maxDuration: 'PT1H',
          defaultDuration: undefined,
          justification: 'optional',
          ticketPattern: '^(INC|CHG)-\\d+$',
          autoApprove: false,
          approvalTimeout: undefined,
          mode: 'pim',
        },
        expect.objectContaining({ autoApprove: true, mode: 'membership' }),
      ],
      reviews: { closingPolicy: 'keep', reminders: ['P3D', 'P1D'] },
    });
  });

  it('names every bad key in one error, one line each', () => {
    const problems = problemsOf({
      mode: 'sometimes',
      policies: [
        {
          group: 'group:default/a',
          approvers: ['managers', 'group-owners'],
          approvals: 3,
          maxDuration: 'PT1X',
          defaultDuration: 'PT2H',
          ticketPattern: '^(INC',
          justification: 'maybe',
          colour: 'red',
        },
        {
          group: 'group:default/b',
          approvers: ['group-owners'],
          maxDuration: 'PT1H',
          defaultDuration: 'PT2H',
        },
        { approvers: [] },
      ],
    });
    expect(problems).toEqual([
      'awsAccess.governance.mode: must be membership or pim, got "sometimes"',
      'awsAccess.governance.policies[0].colour: is not a policy key (group, requesters, approvers, approvals, maxDuration, defaultDuration, justification, ticketPattern, autoApprove, approvalTimeout, mode)',
      'awsAccess.governance.policies[0].approvers[0]: unknown approver kind "managers": use group-owners, account-owners, or a user or group entity ref',
      'awsAccess.governance.policies[0].approvals: must be 1 or 2, got 3',
      'awsAccess.governance.policies[0].maxDuration: "PT1X" is not a positive ISO 8601 duration (like PT1H, PT30M or P2D)',
      'awsAccess.governance.policies[0].justification: must be one of required, optional, got "maybe"',
      expect.stringMatching(
        /^awsAccess\.governance\.policies\[0\]\.ticketPattern: is not a valid regular expression/,
      ),
      'awsAccess.governance.policies[1].defaultDuration: PT2H is longer than maxDuration PT1H',
      'awsAccess.governance.policies[2].group: is required (a group entity ref or a glob)',
      'awsAccess.governance.policies[2].approvers: is empty and autoApprove is off: nobody could approve a request',
    ]);
    expect(() => read({ policies: [{ group: 'x' }] })).toThrow(
      /^Invalid configuration at awsAccess\.governance:\n {2}- /,
    );
  });

  it('reads the reviews settings with their defaults (keep undecided items; remind 3 days before and on the due day)', () => {
    expect(read({ policies: [] })!.reviews).toEqual({
      closingPolicy: 'keep',
      reminders: ['P3D', 'P1D'],
    });
    expect(
      read({
        policies: [],
        reviews: { closingPolicy: 'remove', reminders: ['PT4H', 'P7D'] },
      })!.reviews,
    ).toEqual({ closingPolicy: 'remove', reminders: ['P7D', 'PT4H'] });
    expect(
      problemsOf({
        policies: [],
        reviews: { closingPolicy: 'delete', reminders: ['soon'], colour: 1 },
      }),
    ).toEqual([
      'awsAccess.governance.reviews.colour: is not a reviews key (closingPolicy, reminders)',
      'awsAccess.governance.reviews.closingPolicy: must be one of keep, remove, got "delete"',
      'awsAccess.governance.reviews.reminders[0]: "soon" is not a positive ISO 8601 duration (like P3D or PT4H)',
    ]);
  });
});
