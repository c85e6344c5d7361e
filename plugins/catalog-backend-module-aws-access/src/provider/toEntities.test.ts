import { mockServices } from '@backstage/backend-test-utils';
import type {
  Entity,
  GroupEntity,
  ResourceEntity,
  UserEntity,
} from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultGroupTransformer,
  defaultUserTransformer,
} from '@backstage/plugin-catalog-backend-module-msgraph';
import type {
  AwsAccount,
  CatalogProjection,
  PermissionSet,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_GROUP_ID,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';
import {
  READONLY_ACCOUNT_REFS,
  SEED_GROUP_IDS,
  SEED_PERMISSION_SET_ARNS,
  SEED_USER_IDS,
  seedProjection,
} from '../__fixtures__/seedProjection';
import {
  readWithMsGraph,
  seedTenant,
} from '../__testUtils__/fakeMicrosoftGraph';
import type { MappingOptions } from './toEntities';
import {
  ANNOTATION_AWS_ACCESS_PROJECTION_HASH,
  buildProjectionIndex,
  tagValueToEntityRef,
  validateEntity,
} from './toEntities';

const linkOptions: MappingOptions = {
  providerId: 'default',
  mode: 'link',
  ownerTag: 'owner',
  defaultOwner: 'group:default/platform-team',
  linkAccountsFromUpstream: false,
};
const emitOptions: MappingOptions = { ...linkOptions, mode: 'emit' };

const byRef = (entities: Entity[]) =>
  new Map(entities.map(e => [stringifyEntityRef(e), e]));

function account(overrides: Partial<AwsAccount> & { id: string }): AwsAccount {
  return {
    name: `acct-${overrides.id}`,
    email: 'x@example.com',
    arn: `arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/${overrides.id}`,
    status: 'ACTIVE',
    ouPath: 'Root',
    tags: {},
    ...overrides,
  };
}

function projectionWith(
  overrides: Partial<CatalogProjection>,
): CatalogProjection {
  return {
    ...seedProjection(),
    permissionSets: [],
    entraGroups: [],
    entraUsers: [],
    assignments: [],
    ...overrides,
  };
}

describe('buildProjectionIndex', () => {
  describe('cloud-account Resources', () => {
    it('should map the 12 seed accounts with annotations, labels, owner and OU', async () => {
      const index = await buildProjectionIndex(seedProjection(), linkOptions);
      const accounts = index.entities.filter(
        e => e.kind === 'Resource' && e.spec?.type === 'cloud-account',
      );
      expect(accounts).toHaveLength(12);
      expect(index.emitted).toEqual({
        accounts: 12,
        permissionSets: 5,
        groups: 0,
        users: 0,
      });
      expect(index.skipped).toBe(0);

      expect(byRef(accounts).get('resource:default/payments-prod')).toEqual({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'payments-prod',
          title: 'payments-prod',
          description: 'AWS account 200000000003 (Workloads/Prod, ACTIVE)',
          annotations: {
            'backstage.io/managed-by-location':
              'aws-access:default/resource/payments-prod',
            'backstage.io/managed-by-origin-location':
              'aws-access:default/resource/payments-prod',
            'amazonaws.com/account-id': '200000000003',
            'amazonaws.com/arn':
              'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/200000000003',
            'amazonaws.com/organization-id': 'o-a1b2c3d4e5',
          },
          labels: {
            'amazonaws.com/account-status': 'active',
            'amazonaws.com/organizational-unit': 'Workloads.Prod',
          },
        },
        spec: { type: 'cloud-account', owner: 'group:default/backend-team' },
      });
      // no owner tag → default owner
      expect(
        (byRef(accounts).get('resource:default/sandbox-1') as ResourceEntity)
          .spec.owner,
      ).toBe('group:default/platform-team');
    });

    it('should add a link to the access page when configured', async () => {
      const index = await buildProjectionIndex(seedProjection(), {
        ...linkOptions,
        accessPageUrl: 'http://localhost:3000/aws-access',
      });
      const entity = byRef(index.entities).get('resource:default/web-dev')!;
      expect(entity.metadata.links).toEqual([
        { url: 'http://localhost:3000/aws-access', title: 'AWS access' },
      ]);
    });

    it('should take owner and system from tags, and fall back to the default owner for unusable values', async () => {
      const projection = projectionWith({
        accounts: [
          account({
            id: '300000000001',
            tags: { owner: 'backend-team', system: 'payments' },
          }),
          account({
            id: '300000000002',
            tags: { owner: 'user:default/sara_example.com' },
          }),
          account({ id: '300000000003', tags: { owner: 'Data Team' } }),
          account({
            id: '300000000004',
            tags: { owner: 'component:default/x', system: 'api:x' },
          }),
          account({
            id: '300000000005',
            tags: { owner: '<script>', system: 'system:ops/billing' },
          }),
          account({ id: '300000000006', tags: { owner: '   ' } }),
        ],
      });
      const index = await buildProjectionIndex(projection, {
        ...linkOptions,
        systemTag: 'system',
      });
      const spec = (id: string) =>
        (
          index.entities.find(
            e => e.metadata.annotations?.['amazonaws.com/account-id'] === id,
          ) as ResourceEntity
        ).spec;

      expect(spec('300000000001')).toEqual({
        type: 'cloud-account',
        owner: 'group:default/backend-team',
        system: 'system:default/payments',
      });
      expect(spec('300000000002').owner).toBe('user:default/sara_example.com');
      expect(spec('300000000003').owner).toBe('group:default/data_team');
      expect(spec('300000000004')).toEqual({
        type: 'cloud-account',
        owner: 'group:default/platform-team',
      });
      expect(spec('300000000005')).toEqual({
        type: 'cloud-account',
        owner: 'group:default/platform-team',
        system: 'system:ops/billing',
      });
      expect(spec('300000000006').owner).toBe('group:default/platform-team');
      expect(index.issues.map(i => i.subject)).toEqual(
        expect.arrayContaining([
          'account 300000000004',
          'account 300000000005',
        ]),
      );
    });

    it('should make OU paths and statuses label-safe', async () => {
      const longOu = `${'Very Long OU/'.repeat(30)}End`;
      const index = await buildProjectionIndex(
        projectionWith({
          accounts: [
            account({
              id: '300000000001',
              ouPath: 'Workloads/Prod/EU (Frankfurt)',
            }),
            account({
              id: '300000000002',
              ouPath: longOu,
              status: 'PENDING_CLOSURE',
            }),
            account({ id: '300000000003', ouPath: '日本/開発', status: '' }),
          ],
        }),
        linkOptions,
      );
      const labels = index.entities.map(e => e.metadata.labels);
      expect(labels[0]).toEqual({
        'amazonaws.com/account-status': 'active',
        'amazonaws.com/organizational-unit': 'Workloads.Prod.EU--Frankfurt',
      });
      expect(labels[1]!['amazonaws.com/account-status']).toBe(
        'pending_closure',
      );
      expect(
        labels[1]!['amazonaws.com/organizational-unit'].length,
      ).toBeLessThanOrEqual(63);
      expect(labels[1]!['amazonaws.com/organizational-unit']).toMatch(
        /^Very-Long-OU\.Very/,
      );
      expect(labels[2]).toEqual({});
      for (const entity of index.entities) {
        await expect(validateEntity(entity)).resolves.toBeUndefined();
      }
    });

    it('should tell apart accounts whose names normalize to the same entity name, keeping the first seen', async () => {
      const index = await buildProjectionIndex(
        projectionWith({
          accounts: [
            account({
              id: '300000000002',
              name: 'Payments Prod',
              firstSeenAt: '2026-02-01T00:00:00Z',
            }),
            account({
              id: '300000000001',
              name: 'payments-prod',
              firstSeenAt: '2026-03-01T00:00:00Z',
            }),
            account({
              id: '300000000003',
              name: 'payments_prod',
              firstSeenAt: '2026-01-01T00:00:00Z',
            }),
          ],
        }),
        linkOptions,
      );
      expect(
        index.entities.map(e => [
          e.metadata.annotations!['amazonaws.com/account-id'],
          e.metadata.name,
        ]),
      ).toEqual([
        ['300000000002', 'payments-prod-300000000002'],
        ['300000000001', 'payments-prod-300000000001'],
        ['300000000003', 'payments-prod'],
      ]);
      expect(index.issues).toHaveLength(2);
      expect(index.skipped).toBe(0);
    });

    it('should survive hostile records without dropping the batch', async () => {
      const hostile: unknown[] = [
        account({ id: '300000000001', name: 'x'.repeat(256) }),
        account({ id: '300000000002', name: '日本語のアカウント' }),
        account({ id: '300000000003', name: '<img src=x onerror=alert(1)>' }),
        account({ id: '300000000004', name: '---' }),
        account({ id: '30000000000X' }),
        account({ id: '300000000001', name: 'duplicate id' }),
        null,
        { id: 42 },
        account({
          id: '300000000005',
          name: 'ok',
          tags: null as any,
          ouPath: null as any,
        }),
      ];
      const index = await buildProjectionIndex(
        projectionWith({ accounts: hostile as AwsAccount[] }),
        linkOptions,
      );
      const names = index.entities.map(e => e.metadata.name);
      expect(names).toEqual([
        'x'.repeat(63),
        'account-300000000002',
        'img-src-x-onerror-alert-1',
        'account-300000000004',
        'ok',
      ]);
      expect(index.entities[0].metadata.title).toHaveLength(200);
      expect(index.entities[2].metadata.title).toBe(
        '<img src=x onerror=alert(1)>',
      );
      expect(index.skipped).toBe(4);
      for (const entity of index.entities) {
        await expect(validateEntity(entity)).resolves.toBeUndefined();
      }
    });

    it('should not emit accounts when linking to the upstream AWS organization processor', async () => {
      const index = await buildProjectionIndex(seedProjection(), {
        ...linkOptions,
        linkAccountsFromUpstream: true,
      });
      expect(index.entities.map(e => e.spec?.type)).toEqual(
        Array(5).fill('aws-permission-set'),
      );
      expect(index.accountRefs.size).toBe(0);
      expect(index.accountPrincipals.get('200000000003')).toEqual([
        'group:default/aws-developers-admin',
        'group:default/aws-developers-poweruser',
        'group:default/aws-developers-readonly',
      ]);
      // the unmanaged break-glass group produces nothing
      expect(index.accountPrincipals.get('100000000001')).toEqual([
        'group:default/aws-developers-admin',
      ]);
      expect(
        index.groupAccess.get(SEED_GROUP_IDS['AWS-Developers-ReadOnly']),
      ).toEqual({
        accounts: [],
        permissionSets: ['resource:default/aws-ps-developerreadonly'],
      });
    });
  });

  describe('aws-permission-set Resources', () => {
    it('should map permission sets with ARN, session duration and a policy summary', async () => {
      const index = await buildProjectionIndex(seedProjection(), linkOptions);
      const ps = byRef(index.entities).get(
        'resource:default/aws-ps-developerpoweruser',
      );
      expect(ps).toEqual({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'aws-ps-developerpoweruser',
          title: 'DeveloperPowerUser',
          description:
            'Build and deploy, no IAM. Session duration PT8H. AWS managed policies: PowerUserAccess. ' +
            'Customer managed policies: none. Inline policy: yes. Permissions boundary: none.',
          annotations: {
            'backstage.io/managed-by-location':
              'aws-access:default/resource/aws-ps-developerpoweruser',
            'backstage.io/managed-by-origin-location':
              'aws-access:default/resource/aws-ps-developerpoweruser',
            'amazonaws.com/permission-set-arn':
              SEED_PERMISSION_SET_ARNS.DeveloperPowerUser,
            'amazonaws.com/arn': SEED_PERMISSION_SET_ARNS.DeveloperPowerUser,
            'amazonaws.com/session-duration': 'PT8H',
            'amazonaws.com/managed-policies': 'PowerUserAccess',
            'amazonaws.com/identity-center-instance-arn':
              'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6',
          },
        },
        spec: {
          type: 'aws-permission-set',
          owner: 'group:default/platform-team',
        },
      });
      expect(
        index.entities
          .filter(e => e.spec?.type === 'aws-permission-set')
          .map(e => e.metadata.name)
          .sort(),
      ).toEqual([
        'aws-ps-breakglassadmin',
        'aws-ps-dataanalyst',
        'aws-ps-developeradmin',
        'aws-ps-developerpoweruser',
        'aws-ps-developerreadonly',
      ]);
    });

    it('should summarize customer managed policies and boundaries, and disambiguate look-alike names', async () => {
      const base: PermissionSet = {
        name: 'Ops.Admin',
        arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-b',
        sessionDuration: 'PT2H',
        managedPolicies: [],
        customerManagedPolicies: [{ name: 'OpsBase', path: '/teams/' }],
        permissionsBoundary: {
          managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        },
        tags: { owner: 'ops' },
        provisionedAccountIds: [],
      };
      const index = await buildProjectionIndex(
        projectionWith({
          permissionSets: [
            base,
            {
              ...base,
              name: 'Ops-Admin',
              arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-a',
            },
          ],
        }),
        { ...linkOptions, linkAccountsFromUpstream: true },
      );
      const [b, a] = index.entities as ResourceEntity[];
      expect(a.metadata.name).toBe('aws-ps-ops-admin');
      expect(b.metadata.name).toMatch(/^aws-ps-ops-admin-[0-9a-f]{8}$/);
      expect(b.metadata.description).toBe(
        'Session duration PT2H. AWS managed policies: none. Customer managed policies: /teams/OpsBase. ' +
          'Inline policy: no. Permissions boundary: PowerUserAccess.',
      );
      expect(b.spec.owner).toBe('group:default/ops');
      expect(index.issues).toHaveLength(1);
    });
  });

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
      expect([...index.groupAccess.keys()]).toHaveLength(4);
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

  describe('emit mode: Groups and Users', () => {
    it('should emit the projected groups and enabled users with msgraph refs', async () => {
      const index = await buildProjectionIndex(seedProjection(), emitOptions);
      const refs = index.entities
        .filter(e => e.kind === 'Group' || e.kind === 'User')
        .map(e => stringifyEntityRef(e))
        .sort();
      expect(refs).toEqual([
        'group:default/aws-data-analysts',
        'group:default/aws-developers-admin',
        'group:default/aws-developers-poweruser',
        'group:default/aws-developers-readonly',
        'group:default/data-team',
        'user:default/aamir_example.com',
        'user:default/maria_example.com',
        'user:default/noah_example.com',
        'user:default/olu_example.com',
        'user:default/priya_example.com',
        'user:default/sara_example.com',
        'user:default/shen.li_example.com',
        'user:default/tom_example.com',
      ]);
      const entities = byRef(index.entities);
      const readOnly = entities.get(
        'group:default/aws-developers-readonly',
      ) as GroupEntity;
      expect(readOnly.metadata.annotations).toEqual({
        'graph.microsoft.com/group-id':
          SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
        'backstage.io/managed-by-location':
          'aws-access:default/group/aws-developers-readonly',
        'backstage.io/managed-by-origin-location':
          'aws-access:default/group/aws-developers-readonly',
        [ANNOTATION_AWS_ACCESS_PROJECTION_HASH]:
          expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(readOnly.spec).toEqual({
        type: 'team',
        profile: { displayName: 'AWS-Developers-ReadOnly' },
        children: [],
      });
      expect(
        (entities.get('group:default/aws-data-analysts') as GroupEntity).spec
          .children,
      ).toEqual(['group:default/data-team']);
      expect(
        (entities.get('group:default/data-team') as GroupEntity).spec.parent,
      ).toBe('group:default/aws-data-analysts');
      const noah = entities.get('user:default/noah_example.com') as UserEntity;
      expect(noah.spec).toEqual({
        profile: { displayName: 'Noah Kim', email: 'noah@example.com' },
        memberOf: [
          'group:default/data-team',
          'group:default/aws-developers-readonly',
        ],
      });
      expect(noah.metadata.annotations).toMatchObject({
        'graph.microsoft.com/user-id': SEED_USER_IDS['noah@example.com'],
        'microsoft.com/email': 'noah@example.com',
      });
    });

    it('should change the projection hash of a group exactly when its access changes', async () => {
      const hashOf = async (projection: CatalogProjection, ref: string) =>
        byRef(
          (await buildProjectionIndex(projection, emitOptions)).entities,
        ).get(ref)!.metadata.annotations![
          ANNOTATION_AWS_ACCESS_PROJECTION_HASH
        ];
      const before = seedProjection();
      const after = seedProjection({ snapshotVersion: 2 });
      after.assignments = after.assignments.filter(
        a =>
          !(
            a.principal.displayName === 'AWS-Developers-ReadOnly' &&
            a.accountId === '200000000005'
          ),
      );
      expect(
        await hashOf(before, 'group:default/aws-developers-readonly'),
      ).not.toBe(await hashOf(after, 'group:default/aws-developers-readonly'));
      expect(await hashOf(before, 'group:default/aws-developers-admin')).toBe(
        await hashOf(after, 'group:default/aws-developers-admin'),
      );
    });

    it('should skip (not rename) groups and users whose names collide or are invalid', async () => {
      const group = (id: string, displayName: string): ProjectedEntraGroup => ({
        id,
        displayName,
        securityEnabled: true,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      });
      const user = (id: string, mail: string): ProjectedEntraUser => ({
        id,
        displayName: `User ${id}`,
        userPrincipalName: mail,
        mail,
        accountEnabled: true,
      });
      const index = await buildProjectionIndex(
        projectionWith({
          entraGroups: [
            group('g2', 'Team A'),
            group('g1', 'team_a'),
            group('g3', '日本語'),
            group('g4', 'y'.repeat(256)),
          ],
          entraUsers: [
            user('u1', 'a@example.com'),
            user('u2', 'A@example.com'),
            user('u3', `${'z'.repeat(80)}@example.com`),
            { ...user('u4', 'off@example.com'), accountEnabled: false },
          ],
        }),
        emitOptions,
      );
      const principals = index.entities
        .filter(e => e.kind !== 'Resource')
        .map(e => [
          e.kind,
          e.metadata.name,
          e.metadata.annotations![
            e.kind === 'Group'
              ? ANNOTATION_MICROSOFT_GRAPH_GROUP_ID
              : ANNOTATION_MICROSOFT_GRAPH_USER_ID
          ],
        ]);
      expect(principals).toEqual([
        ['Group', 'team_a', 'g1'],
        ['User', 'a_example.com', 'u1'],
      ]);
      expect(index.issues.map(i => i.subject).sort()).toEqual([
        'group g2',
        'group g3',
        'group g4',
        'user u2',
        'user u3',
      ]);
    });
  });
});

describe('naming parity with the msgraph module', () => {
  it('should name and annotate groups exactly as defaultGroupTransformer does', async () => {
    const groups: ProjectedEntraGroup[] = [
      ...seedProjection().entraGroups,
      {
        id: 'm365',
        displayName: 'Payments Squad (M365)',
        mailNickname: 'payments.squad',
        mail: 'payments.squad@example.com',
        description: 'A Microsoft 365 group',
        securityEnabled: false,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      },
      {
        id: 'no-nick',
        displayName: 'No Nickname Group',
        securityEnabled: false,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      },
    ];
    const index = await buildProjectionIndex(
      projectionWith({ entraGroups: groups }),
      emitOptions,
    );
    for (const group of groups) {
      const theirs = (await defaultGroupTransformer({
        id: group.id,
        displayName: group.displayName,
        description: group.description,
        mail: group.mail,
        mailNickname: group.mailNickname,
        securityEnabled: group.securityEnabled,
      }))!;
      const ours = index.entities.find(
        e =>
          e.metadata.annotations?.[ANNOTATION_MICROSOFT_GRAPH_GROUP_ID] ===
          group.id,
      ) as GroupEntity;
      expect(stringifyEntityRef(ours)).toBe(stringifyEntityRef(theirs));
      expect(index.groupRefs.get(group.id)).toBe(stringifyEntityRef(theirs));
      expect(ours.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(ours.metadata.description).toBe(theirs.metadata.description);
      expect(ours.spec.type).toBe(theirs.spec.type);
      expect(ours.spec.profile).toEqual(theirs.spec.profile);
    }
  });

  it('should name and annotate users exactly as defaultUserTransformer does', async () => {
    const users: ProjectedEntraUser[] = [
      ...seedProjection().entraUsers.filter(u => u.accountEnabled),
      {
        id: 'guest',
        displayName: 'Guest User',
        userPrincipalName: 'guest_partner.com#EXT#@example.onmicrosoft.com',
        accountEnabled: true,
      },
      {
        id: 'mixed',
        displayName: 'Ümit Öz',
        userPrincipalName: 'umit@example.com',
        mail: 'Umit.Oz+AWS@Example.com',
        accountEnabled: true,
      },
    ];
    const index = await buildProjectionIndex(
      projectionWith({ entraUsers: users }),
      emitOptions,
    );
    for (const user of users) {
      const theirs = (await defaultUserTransformer({
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
        mail: user.mail,
      }))!;
      const ours = index.entities.find(
        e =>
          e.metadata.annotations?.[ANNOTATION_MICROSOFT_GRAPH_USER_ID] ===
          user.id,
      ) as UserEntity;
      expect(stringifyEntityRef(ours)).toBe(stringifyEntityRef(theirs));
      expect(index.userRefs.get(user.id)).toBe(stringifyEntityRef(theirs));
      expect(ours.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(ours.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL]).toBe(
        theirs.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL],
      );
      expect(ours.spec.profile).toEqual(theirs.spec.profile);
    }
  });

  it('should build the same hierarchy and memberships as the msgraph reader on the seed tenant', async () => {
    const msgraph = await readWithMsGraph(
      seedTenant(),
      mockServices.logger.mock(),
    );
    const index = await buildProjectionIndex(seedProjection(), emitOptions);
    const ours = byRef(index.entities);
    const projectedGroupRefs = new Set(index.groupRefs.values());

    // msgraph drops disabled users; so do we
    expect(msgraph.users.map(u => u.metadata.name)).not.toContain(
      'alex_example.com',
    );
    for (const theirs of msgraph.users) {
      const mine = ours.get(stringifyEntityRef(theirs)) as UserEntity;
      expect(mine).toBeDefined();
      expect(mine.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(mine.spec.profile).toEqual(theirs.spec.profile);
      // we only know the groups that matter for AWS; within those, memberships agree (same order)
      expect(mine.spec.memberOf).toEqual(
        (theirs.spec.memberOf ?? []).filter(ref => projectedGroupRefs.has(ref)),
      );
    }
    for (const theirs of msgraph.groups.filter(g =>
      projectedGroupRefs.has(stringifyEntityRef(g)),
    )) {
      const mine = ours.get(stringifyEntityRef(theirs)) as GroupEntity;
      expect(mine.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(mine.spec.type).toBe(theirs.spec.type);
      expect(mine.spec.profile).toEqual(theirs.spec.profile);
      expect(mine.spec.children).toEqual(theirs.spec.children);
      // msgraph parents top-level groups to its organization root group, which we do not emit
      const expectedParent = theirs.spec.parent?.startsWith(
        'group:default/example_corp',
      )
        ? undefined
        : theirs.spec.parent;
      expect(mine.spec.parent).toBe(expectedParent);
    }
  });
});

describe('tagValueToEntityRef', () => {
  it.each([
    ['backend-team', 'group:default/backend-team'],
    ['Backend Team', 'group:default/backend_team'],
    ['group:default/x', 'group:default/x'],
    ['default/x', 'group:default/x'],
    ['user:y', 'user:default/y'],
    ['component:z', undefined],
    ['', undefined],
    ['???', undefined],
    [`${'a'.repeat(64)}`, undefined],
  ])('%p → %p', (value, expected) => {
    expect(tagValueToEntityRef(value, 'group', ['group', 'user'])).toBe(
      expected,
    );
  });
});
