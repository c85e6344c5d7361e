import { AccessIndex } from '../snapshot/AccessIndex';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../snapshot/model';
import { membershipInSnapshot } from './membershipInSnapshot';

/** Maria's ReadOnly membership (g-ro: DeveloperReadOnly on payments-dev and payments-prod) in a changed world. */
function shown(change: (snapshot: Snapshot) => void) {
  const snapshot = miniSnapshot();
  change(snapshot);
  const index = AccessIndex.build({ snapshot, version: 1 });
  return membershipInSnapshot(index, { groupId: 'g-ro', userId: 'u-maria' });
}

const group = (s: Snapshot, side: 'identity' | 'aws', id: string) =>
  (s[side].groups as Array<{ id: string; memberUserIds: string[] }>).find(
    g => g.id === id,
  )!;

describe('membershipInSnapshot', () => {
  it('counts only the path through the requested group: the same grant through another group is not it', () => {
    // Maria has DeveloperReadOnly on payments-prod through PowerUser already.
    expect(shown(() => undefined)).toEqual({
      intended: false,
      usable: false,
      gone: true,
      grants: 2,
    });
  });

  it('is usable once AWS has the membership, intended or not yet read from Entra', () => {
    expect(
      shown(s => {
        group(s, 'identity', 'g-ro').memberUserIds.push('u-maria');
        group(s, 'aws', 'ig-ro').memberUserIds.push('i-maria');
      }),
    ).toEqual({ intended: true, usable: true, gone: false, grants: 2 });
    expect(
      shown(s => group(s, 'aws', 'ig-ro').memberUserIds.push('i-maria')),
    ).toMatchObject({ intended: false, usable: true, gone: false });
  });

  it('is not usable while Identity Center has the user disabled, whatever the groups say', () => {
    expect(
      shown(s => {
        group(s, 'aws', 'ig-ro').memberUserIds.push('i-maria');
        s.aws.users.find(u => u.id === 'i-maria')!.status = 'DISABLED';
      }),
    ).toMatchObject({ usable: false, gone: true });
  });

  it('waits rather than claims access when the group is not in Identity Center yet', () => {
    expect(
      shown(s => {
        s.aws.groups = s.aws.groups.filter(g => g.id !== 'ig-ro');
        group(s, 'identity', 'g-ro').memberUserIds.push('u-maria');
      }),
    ).toEqual({ intended: true, usable: false, gone: true, grants: 0 });
  });
});
