import { emitOptions, linkOptions } from '../../__fixtures__/projections';
import {
  READONLY_ACCOUNT_REFS,
  SEED_GROUP_IDS,
  SEED_PERMISSION_SET_ARNS,
  SEED_USER_IDS,
  seedProjection,
} from '../../__fixtures__/seedProjection';
import { buildProjectionIndex } from './buildProjectionIndex';

describe('buildProjectionIndex', () => {
  describe('relations lookups', () => {
    it('should give each group the accounts and permission sets it is assigned', async () => {
      const index = await buildProjectionIndex(seedProjection(), emitOptions);
      expect(
        index.groupAccess.get(SEED_GROUP_IDS['AWS-Developers-ReadOnly']),
      ).toEqual({
        accounts: READONLY_ACCOUNT_REFS,
        permissionSets: ['resource:default/aws-ps-developerreadonly'],
      });
      expect(
        index.groupAccess.get(SEED_GROUP_IDS['AWS-Developers-PowerUser']),
      ).toEqual({
        accounts: READONLY_ACCOUNT_REFS,
        permissionSets: [
          'resource:default/aws-ps-developerpoweruser',
          'resource:default/aws-ps-developerreadonly',
        ],
      });
      expect(
        index.groupAccess.get(SEED_GROUP_IDS['AWS-Developers-Admin'])!.accounts,
      ).toHaveLength(12);
      expect(
        index.groupAccessByRef.get('group:default/aws-data-analysts'),
      ).toEqual({
        accounts: ['resource:default/data-lake'],
        permissionSets: ['resource:default/aws-ps-dataanalyst'],
      });
      // nested group: no access of its own (SCIM does not flatten nesting)
      expect(index.groupAccess.has(SEED_GROUP_IDS['Data-Team'])).toBe(false);
      // break-glass group has no Entra source
      expect(index.unmanagedAssignments).toBe(1);
      expect([...index.groupAccess.keys()]).toHaveLength(5);
    });

    it('should give users their direct user assignments only', async () => {
      const projection = seedProjection();
      projection.assignments.push({
        accountId: '200000000007',
        permissionSetArn: SEED_PERMISSION_SET_ARNS.DeveloperAdmin,
        principal: {
          type: 'USER',
          identityCenterId: 'idc-user-tom',
          entraId: SEED_USER_IDS['tom@example.com'],
          displayName: 'Tom Becker',
        },
      });
      const index = await buildProjectionIndex(projection, linkOptions);
      expect(index.userAccess.get(SEED_USER_IDS['tom@example.com'])).toEqual({
        accounts: ['resource:default/sandbox-1'],
        permissionSets: [],
      });
      expect(
        index.userAccessByRef.get('user:default/tom_example.com'),
      ).toBeDefined();
      expect(index.userAccess.has(SEED_USER_IDS['aamir@example.com'])).toBe(
        false,
      );
    });
  });

  describe('the relations setting (every catalog reader sees relations)', () => {
    const withTomDirect = () => {
      const projection = seedProjection();
      projection.assignments.push({
        accountId: '200000000007',
        permissionSetArn: SEED_PERMISSION_SET_ARNS.DeveloperAdmin,
        principal: {
          type: 'USER',
          identityCenterId: 'idc-user-tom',
          entraId: SEED_USER_IDS['tom@example.com'],
          displayName: 'Tom Becker',
        },
      });
      return projection;
    };

    it('should relate no principal by default (none)', async () => {
      const index = await buildProjectionIndex(withTomDirect(), {
        ...linkOptions,
        relations: 'none',
      });
      expect(index.groupAccess.size).toBe(0);
      expect(index.userAccess.size).toBe(0);
      expect(index.relationSignatures.size).toBe(0);
    });

    it('should relate groups but not direct user assignments with groups', async () => {
      const index = await buildProjectionIndex(withTomDirect(), {
        ...linkOptions,
        relations: 'groups',
      });
      expect([...index.groupAccess.keys()]).toHaveLength(5);
      expect(index.userAccess.size).toBe(0);
    });
  });
});
