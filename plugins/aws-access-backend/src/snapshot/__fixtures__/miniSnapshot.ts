import type { Snapshot } from '../model';
import { SNAPSHOT_SCHEMA_VERSION } from '../model';

export const RO =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-00000000000000a1';
export const PU =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-00000000000000a2';
export const DA =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-00000000000000a3';
export const BG =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-00000000000000a4';

const NOW = '2026-11-30T09:00:00.000Z';
const minutesBefore = (minutes: number) =>
  new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

/**
 * A small world with the seed article's cases: joiner aamir (in Entra, not yet in AWS), mover shen (moved from
 * ReadOnly to PowerUser in Entra, AWS still has the old group), leaver alex (disabled in Entra, active in AWS),
 * noah (only nested into the data group), maria (in sync), a break-glass user (unmanaged).
 */
export function miniSnapshot(
  overrides: Partial<Snapshot['identity']['provisioning']> = {},
): Snapshot {
  const user = (id: string, name: string, enabled = true) => ({
    id,
    userPrincipalName: `${name}@example.com`,
    mail: `${name}@example.com`,
    displayName: name[0].toUpperCase() + name.slice(1),
    accountEnabled: enabled,
  });
  const group = (
    id: string,
    displayName: string,
    memberUserIds: string[],
    memberGroupIds: string[] = [],
  ) => ({
    id,
    displayName,
    securityEnabled: true,
    memberUserIds,
    memberGroupIds,
  });
  const account = (id: string, name: string) => ({
    id,
    name,
    email: `aws+${name}@example.com`,
    arn: `arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/${id}`,
    status: 'ACTIVE',
    ouPath: 'Workloads',
    tags: {},
    firstSeenAt: NOW,
  });
  const ps = (arn: string, name: string, sessionDuration: string) => ({
    arn,
    name,
    sessionDuration,
    managedPolicies: [],
    customerManagedPolicies: [],
    tags: {},
    detailsReadAt: NOW,
  });
  const idcUser = (
    id: string,
    entraId: string | undefined,
    userName: string,
    status: 'ENABLED' | 'DISABLED' = 'ENABLED',
  ) => ({
    id,
    userName,
    status,
    externalId: entraId,
  });
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    readAt: NOW,
    sidesReadAt: { identity: NOW, aws: NOW },
    identity: {
      source: 'entra',
      tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
      app: {
        appId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
        servicePrincipalId: 'sp-1',
        displayName: 'AWS',
      },
      provisioningScope: [
        { principalId: 'g-ro', principalType: 'Group' },
        { principalId: 'g-pu', principalType: 'Group' },
        { principalId: 'g-da', principalType: 'Group' },
      ],
      users: [
        user('u-aamir', 'aamir'),
        user('u-shen', 'shen'),
        user('u-alex', 'alex', false),
        user('u-noah', 'noah'),
        user('u-maria', 'maria'),
      ],
      groups: [
        group('g-ro', 'AWS-Developers-ReadOnly', ['u-aamir']),
        group('g-pu', 'AWS-Developers-PowerUser', [
          'u-shen',
          'u-alex',
          'u-maria',
        ]),
        group('g-da', 'AWS-Data-Analysts', [], ['g-data']),
        group('g-data', 'Data-Team', ['u-noah']),
      ],
      provisioning: {
        status: 'Active',
        intervalSeconds: 2400,
        lastCycleStartedAt: minutesBefore(15),
        lastCycleEndedAt: minutesBefore(14),
        ...overrides,
      },
      provisioningLog: [],
      changes: [
        { at: minutesBefore(10), kind: 'user-created', userId: 'u-aamir' },
        {
          at: minutesBefore(10),
          kind: 'member-added',
          userId: 'u-aamir',
          groupId: 'g-ro',
        },
        {
          at: minutesBefore(12),
          kind: 'member-removed',
          userId: 'u-shen',
          groupId: 'g-ro',
        },
        {
          at: minutesBefore(12),
          kind: 'member-added',
          userId: 'u-shen',
          groupId: 'g-pu',
        },
        { at: minutesBefore(30), kind: 'user-disabled', userId: 'u-alex' },
      ],
    },
    aws: {
      instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000001',
      identityStoreId: 'd-9067a1b2c3',
      region: 'us-east-1',
      accessPortalUrl: 'https://d-9067a1b2c3.awsapps.com/start',
      accounts: [
        account('200000000001', 'payments-dev'),
        account('200000000003', 'payments-prod'),
        account('200000000006', 'data-lake'),
        account('100000000001', 'management'),
      ],
      permissionSets: [
        ps(RO, 'DeveloperReadOnly', 'PT4H'),
        ps(PU, 'DeveloperPowerUser', 'PT8H'),
        ps(DA, 'DataAnalyst', 'PT4H'),
        ps(BG, 'BreakGlassAdmin', 'PT1H'),
      ],
      provisionedPairs: [],
      provisioningFailures: [],
      users: [
        idcUser('i-shen', 'u-shen', 'shen@example.com'),
        idcUser('i-alex', 'u-alex', 'alex@example.com'),
        idcUser('i-maria', 'u-maria', 'maria@example.com'),
        idcUser('i-bg', undefined, 'breakglass-1'),
      ],
      groups: [
        {
          id: 'ig-ro',
          displayName: 'AWS-Developers-ReadOnly',
          externalId: 'g-ro',
          memberUserIds: ['i-shen'],
        },
        {
          id: 'ig-pu',
          displayName: 'AWS-Developers-PowerUser',
          externalId: 'g-pu',
          memberUserIds: ['i-alex', 'i-maria'],
        },
        {
          id: 'ig-da',
          displayName: 'AWS-Data-Analysts',
          externalId: 'g-da',
          memberUserIds: [],
        },
      ],
      assignments: [
        {
          accountId: '200000000001',
          permissionSetArn: RO,
          principalType: 'GROUP',
          principalId: 'ig-ro',
        },
        {
          accountId: '200000000003',
          permissionSetArn: RO,
          principalType: 'GROUP',
          principalId: 'ig-ro',
        },
        {
          accountId: '200000000001',
          permissionSetArn: PU,
          principalType: 'GROUP',
          principalId: 'ig-pu',
        },
        {
          accountId: '200000000003',
          permissionSetArn: RO,
          principalType: 'GROUP',
          principalId: 'ig-pu',
        },
        {
          accountId: '200000000006',
          permissionSetArn: DA,
          principalType: 'GROUP',
          principalId: 'ig-da',
        },
        {
          accountId: '100000000001',
          permissionSetArn: BG,
          principalType: 'USER',
          principalId: 'i-bg',
        },
      ],
    },
    gapsFirstSeen: {},
    findings: [],
    stats: {},
  };
}

export const MINI_NOW = new Date(NOW);
