import type { ProjectedEntraGroup } from '@aws-access/plugin-aws-access-common';
import {
  account,
  linkOptions,
  projectionWith,
} from '../../__fixtures__/projections';
import { allocateNames, allocateNamesSliced, entraRefs } from './allocateNames';
import { MappingReport } from './MappingReport';
import { sanitizeRecords } from './sanitizeRecords';

const group = (id: string, displayName: string): ProjectedEntraGroup => ({
  id,
  displayName,
  securityEnabled: true,
  assignedToApp: true,
  memberUserIds: [],
  memberGroupIds: [],
});

function namesOf(
  projection: Parameters<typeof projectionWith>[0],
  options = linkOptions,
) {
  const report = new MappingReport();
  const records = sanitizeRecords(projectionWith(projection), report);
  return { names: allocateNames(records, options, report), report };
}

describe('allocateNames', () => {
  it('sorts the users in steps of a few thousand comparisons, not in one piece (issue 18)', () => {
    const report = new MappingReport();
    const records = sanitizeRecords(
      projectionWith({
        entraUsers: Array.from({ length: 20_000 }, (_, i) => ({
          id: `u-${(i * 7919) % 20_000}`,
          displayName: `User ${i}`,
          userPrincipalName: `user${i}@example.com`,
          accountEnabled: true,
        })),
      }),
      report,
    );
    // Every comparison of the sort reads two ids: count the reads in each step.
    let idReads = 0;
    const users = records.users.map(({ id, ...rest }) =>
      Object.defineProperty(rest, 'id', {
        enumerable: true,
        get: () => {
          idReads++;
          return id;
        },
      }),
    ) as typeof records.users;
    const work = allocateNamesSliced(
      { ...records, users },
      linkOptions,
      report,
    );
    let most = 0;
    let step = work.next();
    for (; !step.done; step = work.next()) {
      most = Math.max(most, idReads);
      idReads = 0;
    }

    expect(step.value.users.size).toBe(20_000);
    // One sort() of 20,000 users reads ~500,000 ids in one step; a sliced step sorts 512 or merges 1,024.
    expect(most).toBeLessThanOrEqual(2 * 512 * 10);
  });

  it('should name no accounts when the upstream AWS organization processor emits them', () => {
    const { names, report } = namesOf(
      {
        accounts: [
          account({ id: '300000000001', name: 'same' }),
          account({ id: '300000000002', name: 'same' }),
        ],
      },
      { ...linkOptions, linkAccountsFromUpstream: true },
    );

    expect(names.accounts.size).toBe(0);
    // no look-alike issue either: there is nothing of ours to tell apart
    expect(report.issues).toEqual([]);
  });

  it('should name accounts without a usable name after their id', () => {
    const { names } = namesOf({
      accounts: [account({ id: '300000000001', name: '---' })],
    });

    expect(names.accounts.get('300000000001')).toBe('account-300000000001');
  });

  it('should give an Entra name to the lower id and leave the look-alike unnamed, as refs must match msgraph', () => {
    const { names, report } = namesOf({
      entraGroups: [group('g2', 'Team A'), group('g1', 'team_a')],
    });

    expect([...names.groups]).toEqual([['g1', 'team_a']]);
    expect(report.issues).toEqual([
      {
        subject: 'group g2',
        message: "entity name 'team_a' is already used by group g1; skipped",
      },
    ]);
    // unnamed is not yet skipped: the entity step counts it
    expect(report.skipped).toBe(0);
    expect(entraRefs(names).groupRefs.get('g1')).toBe('group:default/team_a');
  });
});
