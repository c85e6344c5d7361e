import { mockServices } from '@backstage/backend-test-utils';
import { AccessIndex } from '../snapshot/AccessIndex';
import { MINI_NOW, miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../snapshot/model';
import { MembershipFollowThrough } from './MembershipFollowThrough';

const MINUTE = 60_000;
const at = (minutes: number) =>
  new Date(MINI_NOW.getTime() + minutes * MINUTE).toISOString();

/** Maria's read-only membership, changed (written to Entra) one minute after the fixture's full read. */
const membership = {
  key: 'request-1/granting',
  groupId: 'g-ro',
  userId: 'u-maria',
  since: at(1),
  label: 'access request request-1',
};

/** A follow-through serving `snapshot`; provisioning succeeds and refreshes nothing of its own. */
function followThrough(snapshot: Snapshot) {
  const index = AccessIndex.build({ snapshot, version: 2 });
  const provisioned: string[] = [];
  const follow = new MembershipFollowThrough({
    writers: {},
    provisioning: {
      provisionMembership: async ({ person, groupId }) => {
        provisioned.push(`${person.key} ${groupId}`);
        return { outcome: 'success', message: 'exported' };
      },
    },
    snapshots: { tryCurrent: async () => index },
    logger: mockServices.logger.mock(),
    now: () => new Date(at(2)),
  });
  return { follow, provisioned };
}

describe('MembershipFollowThrough', () => {
  // Entra's own refresh committed after the write: readAt moved, the AWS side is the full read's, before the write.
  const identityOnly: Snapshot = {
    ...miniSnapshot(),
    readAt: at(2),
    sidesReadAt: { identity: at(2), aws: at(0) },
  };

  it('does not conclude on a refresh of the identity side alone: AWS was last read before the change', async () => {
    const { follow, provisioned } = followThrough(identityOnly);
    expect(await follow.shown(membership)).toBeUndefined();

    const settle = jest.fn(async () => true);
    await follow.follow(membership, settle);
    expect(settle).not.toHaveBeenCalled();
    // Not concluded: it provisioned and asks again on the next round.
    expect(provisioned).toEqual(['u-maria g-ro']);
  });

  it('concludes on a refresh of the person on both sides after the change', async () => {
    const { follow, provisioned } = followThrough({
      ...identityOnly,
      peopleReadAt: { 'u-maria': at(2) },
    });
    expect(await follow.shown(membership)).toBeDefined();

    const settle = jest.fn(async () => true);
    await follow.follow(membership, settle);
    expect(settle).toHaveBeenCalledTimes(1);
    expect(provisioned).toEqual([]);
  });

  it("does not count another person's refresh, nor one before the change", async () => {
    const cases: Array<Record<string, string>> = [
      { 'u-tom': at(2) },
      { 'u-maria': at(0.5) },
    ];
    for (const peopleReadAt of cases) {
      const { follow } = followThrough({ ...identityOnly, peopleReadAt });
      expect(await follow.shown(membership)).toBeUndefined();
    }
  });

  it('concludes on a full read of both sides after the change', async () => {
    const { follow } = followThrough({
      ...miniSnapshot(),
      readAt: at(2),
      sidesReadAt: { identity: at(2), aws: at(2) },
    });
    expect(await follow.shown(membership)).toBeDefined();
  });
});
