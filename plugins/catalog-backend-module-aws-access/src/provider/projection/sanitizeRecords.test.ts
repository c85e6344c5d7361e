import type {
  AwsAccount,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import { account, projectionWith } from '../../__fixtures__/projections';
import { MappingReport } from './MappingReport';
import { sanitizeRecords } from './sanitizeRecords';

const user = (
  id: string,
  overrides: Partial<ProjectedEntraUser> = {},
): ProjectedEntraUser => ({
  id,
  displayName: `User ${id}`,
  userPrincipalName: `${id}@example.com`,
  accountEnabled: true,
  ...overrides,
});

describe('sanitizeRecords', () => {
  it('should keep each well-formed record once, count what was received and say what it skipped', () => {
    const report = new MappingReport();
    const records = sanitizeRecords(
      projectionWith({
        accounts: [
          account({ id: '300000000001' }),
          account({ id: '300000000001', name: 'second copy' }),
          account({ id: '3000' }),
          null as unknown as AwsAccount,
          { ...account({ id: '300000000002' }), name: 7 as unknown as string },
        ],
        entraGroups: [
          {
            id: 'g1',
            displayName: 'Team',
            securityEnabled: true,
            assignedToApp: true,
            memberUserIds: [],
            memberGroupIds: [],
          },
          { id: 'g2' } as any,
        ],
        entraUsers: [
          user('u1'),
          user('u2', { mail: '', userPrincipalName: '' }),
        ],
        assignments: 'not an array' as any,
      }),
      report,
    );

    expect(records.accounts.map(a => [a.id, a.name])).toEqual([
      ['300000000001', 'acct-300000000001'],
      ['300000000002', ''],
    ]);
    expect(records.groups.map(g => g.id)).toEqual(['g1']);
    expect(records.users.map(u => u.id)).toEqual(['u1']);
    expect(records.assignments).toEqual([]);
    expect(records.received).toEqual({
      accounts: 5,
      permissionSets: 0,
      entraGroups: 2,
      entraUsers: 2,
      assignments: 0,
    });
    expect(report.skipped).toBe(5);
    expect(report.issues.map(i => i.subject)).toEqual([
      'account 300000000001',
      'account 3000',
      'account undefined',
      'group g2',
      'user u2',
    ]);
  });

  it('should leave disabled users out without an issue, and still count a later copy of one as a duplicate', () => {
    const report = new MappingReport();
    const records = sanitizeRecords(
      projectionWith({
        entraUsers: [
          user('off', { accountEnabled: false }),
          user('off'),
          user('on'),
        ],
      }),
      report,
    );

    expect(records.users.map(u => u.id)).toEqual(['on']);
    expect(report.issues).toEqual([
      { subject: 'user off', message: 'listed twice; later copy skipped' },
    ]);
    expect(report.skipped).toBe(1);
  });
});
