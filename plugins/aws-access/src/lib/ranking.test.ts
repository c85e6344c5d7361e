import type { Grant } from '@aws-access/plugin-aws-access-common';
import {
  compareGrantStrength,
  permissionSetStrength,
  strongestGrant,
} from './ranking';

function grant(name: string, sessionDuration = 'PT4H'): Grant {
  return {
    accountId: '200000000003',
    accountName: 'payments-prod',
    permissionSet: { name, arn: `arn:${name}`, sessionDuration },
    via: [],
    state: 'active',
  };
}

describe('permission set ranking', () => {
  it.each([
    ['DeveloperAdmin', 3],
    ['AdministratorAccess', 3],
    ['PlatformAdmin', 3],
    ['DeveloperPowerUser', 2],
    ['power-user', 2],
    ['DeveloperReadOnly', 1],
    ['read-only-prod', 1],
    ['ViewOnly', 1],
    ['DataAnalyst', 0],
    ['Billing', 0],
  ])('ranks %s as %d', (name, strength) => {
    expect(permissionSetStrength(name)).toBe(strength);
  });

  it('picks Admin over PowerUser over ReadOnly over others', () => {
    const grants = [
      grant('DataAnalyst'),
      grant('DeveloperReadOnly'),
      grant('DeveloperAdmin'),
      grant('DeveloperPowerUser'),
    ];
    expect(
      [...grants].sort(compareGrantStrength).map(g => g.permissionSet.name),
    ).toEqual([
      'DeveloperAdmin',
      'DeveloperPowerUser',
      'DeveloperReadOnly',
      'DataAnalyst',
    ]);
  });

  it('breaks ties by the longer session, then by name', () => {
    expect(
      strongestGrant([
        grant('BReadOnly', 'PT1H'),
        grant('AReadOnly', 'PT1H'),
        grant('CReadOnly', 'PT8H'),
      ])?.permissionSet.name,
    ).toBe('CReadOnly');
    expect(
      strongestGrant([grant('BReadOnly'), grant('AReadOnly')])?.permissionSet
        .name,
    ).toBe('AReadOnly');
  });

  it('has no strongest grant among none', () => {
    expect(strongestGrant([])).toBeUndefined();
  });
});
