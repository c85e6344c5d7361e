import type { ResourceEntity } from '@backstage/catalog-model';
import type {
  AwsAccount,
  PermissionSet,
} from '@aws-access/plugin-aws-access-common';
import {
  account,
  byRef,
  linkOptions,
  projectionWith,
} from '../../__fixtures__/projections';
import {
  SEED_GROUP_IDS,
  SEED_PERMISSION_SET_ARNS,
  seedProjection,
} from '../../__fixtures__/seedProjection';
import { buildProjectionIndex } from './buildProjectionIndex';
import { validateEntity } from './validateEntity';

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
        'group:default/aws-payments-prod-admin',
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
});
