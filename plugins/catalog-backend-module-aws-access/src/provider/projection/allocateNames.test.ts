import type { ProjectedEntraGroup } from '@aws-access/plugin-aws-access-common';
import {
  account,
  linkOptions,
  projectionWith,
} from '../../__fixtures__/projections';
import { allocateNames, entraRefs } from './allocateNames';
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
