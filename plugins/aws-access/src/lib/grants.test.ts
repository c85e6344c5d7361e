import {
  groupGrantsByAccount,
  hasUnprovisionedGrants,
  pathsInState,
} from './grants';
import {
  activeGrant,
  nestedGrant,
  pendingGrant,
  revokingGrant,
  twoPathGrant,
} from '../__testUtils__/fixtures';

describe('grant helpers', () => {
  it('groups grants by account name, strongest first', () => {
    const groups = groupGrantsByAccount([
      activeGrant,
      revokingGrant,
      nestedGrant,
      pendingGrant,
    ]);
    expect(groups.map(group => group.accountName)).toEqual([
      'analytics',
      'payments-dev',
      'payments-prod',
    ]);
    expect(groups[1].grants.map(grant => grant.permissionSet.name)).toEqual([
      'DeveloperPowerUser',
      'DeveloperReadOnly',
    ]);
  });

  it('knows when provisioning has not caught up', () => {
    expect(hasUnprovisionedGrants([activeGrant, revokingGrant])).toBe(false);
    expect(hasUnprovisionedGrants([activeGrant, pendingGrant])).toBe(true);
    expect(hasUnprovisionedGrants([{ ...pendingGrant, state: 'stuck' }])).toBe(
      true,
    );
  });

  it('picks the paths in a state, else all', () => {
    expect(
      pathsInState(twoPathGrant, ['revoking']).map(path => path.name),
    ).toEqual(['AWS-Developers-ReadOnly']);
    expect(pathsInState(twoPathGrant, ['pending'])).toHaveLength(2);
  });
});
