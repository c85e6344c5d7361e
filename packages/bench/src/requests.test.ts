import { loadScenario, normalizeScenario } from '@aws-access/emulators';
import { entraUserEntityRef } from '@aws-access/plugin-aws-access-common';
import { seedRequests } from './requests';
import { SEED_SCENARIO } from './scenarios';

describe('the access-request measurement', () => {
  it('asks, in the seed organisation, for groups the requesters are not in, approved by the groups’ Entra owners', () => {
    const scenario = normalizeScenario(loadScenario(SEED_SCENARIO));
    const { governance, requests } = seedRequests('http://backend', scenario);
    expect(governance.policies.map(p => p.mode)).toEqual(['membership', 'pim']);
    const refOf = (upn: string) => {
      const user = scenario.entra.users.find(u => u.upn === upn)!;
      return entraUserEntityRef({ mail: user.mail, userPrincipalName: upn });
    };
    requests.forEach((request, i) => {
      const policy = governance.policies[i];
      expect(request.group).toBe(policy.group);
      const group = scenario.entra.groups.find(g =>
        policy.group.endsWith(g.name.toLowerCase()),
      )!;
      expect(group.assignedToAwsApp).toBe(true);
      const member = group.members.map(refOf);
      const owners = (group.owners ?? []).map(refOf);
      expect(member).not.toContain(request.requester);
      expect(owners).toContain(request.approver);
      expect(request.approver).not.toBe(request.requester);
      expect(request.duration).toBe('PT1M');
    });
  });
});
