import { AccessIndex } from '../../snapshot/AccessIndex';
import {
  MINI_NOW,
  miniSnapshot,
} from '../../snapshot/__fixtures__/miniSnapshot';
import type { StoredRequest } from '../../governance/RequestStore';
import { userAccess } from './userAccess';

const index = AccessIndex.build({ snapshot: miniSnapshot(), version: 1 });
const minutes = (n: number) =>
  new Date(MINI_NOW.getTime() + n * 60_000).toISOString();

/** Aamir's request for ReadOnly (the joiner: intended in Entra, not yet in AWS), approved by Maria. */
function request(overrides: Partial<StoredRequest> = {}): StoredRequest {
  return {
    id: 'req-1',
    requester: 'user:default/aamir',
    requesterUserId: 'u-aamir',
    group: {
      entityRef: 'group:default/aws-developers-readonly',
      name: 'AWS-Developers-ReadOnly',
      id: 'g-ro',
    },
    mode: 'membership',
    state: 'granting',
    approvalsRequired: 1,
    approverGroups: [],
    approvals: [
      {
        by: 'user:default/maria',
        byName: 'Maria',
        at: minutes(-1),
        satisfies: [],
      },
    ],
    createdAt: minutes(-5),
    updatedAt: minutes(-1),
    decidedAt: minutes(-1),
    expiresAt: minutes(59),
    attempts: 1,
    ...overrides,
  };
}

function aamir(requests: StoredRequest[]) {
  const person = index.personByKey('u-aamir')!;
  return userAccess(index, person, MINI_NOW, 3_600_000, requests).grants;
}

describe('userAccess with access requests', () => {
  it('names the request behind a pending grant and expects it by the approval plus provisioning on demand', () => {
    const withoutRequest = aamir([]);
    const grants = aamir([request()]);
    expect(grants).toHaveLength(withoutRequest.length);
    for (const grant of grants) {
      expect(grant.state).toBe('pending');
      expect(grant.request).toEqual({
        id: 'req-1',
        state: 'granting',
        approvedBy: ['user:default/maria'],
        approvedByNames: ['Maria'],
        approvedAt: minutes(-1),
        expiresAt: minutes(59),
      });
      // Approved a minute ago: about a minute from now, not at the next 40-minute cycle.
      expect(grant.expectedBy).toBe(minutes(1));
    }
    expect(withoutRequest.every(g => g.expectedBy! > minutes(1))).toBe(true);
  });

  it('leaves grants alone that no open request explains', () => {
    const grants = aamir([
      request({ state: 'ended' }),
      request({ id: 'req-2', group: { ...request().group, id: 'g-pu' } }),
    ]);
    expect(grants.every(g => g.request === undefined)).toBe(true);
  });
});
