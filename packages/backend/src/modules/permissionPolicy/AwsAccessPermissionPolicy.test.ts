import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  awsAccessAllReadPermission,
  awsAccessAssignmentWritePermission,
  awsAccessGroupReadPermission,
  awsAccessPermissions,
  awsAccessProvisionSelfPermission,
  awsAccessRequestApprovePermission,
  awsAccessRequestCreatePermission,
  awsAccessRequestManagePermission,
  awsAccessReviewManagePermission,
  awsAccessSyncTriggerPermission,
  awsAccessUserReadPermission,
} from '@aws-access/plugin-aws-access-common';
import { AwsAccessPermissionPolicy } from './AwsAccessPermissionPolicy';

function userWith(userEntityRef: string, groups: string[]): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
    token: 'token',
    expiresInSeconds: 3600,
  } as PolicyQueryUser;
}

const policy = AwsAccessPermissionPolicy.fromConfig(
  new ConfigReader({
    awsAccess: { platformGroups: ['group:default/Platform-Team'] },
  }),
);
const sara = userWith('user:default/sara_example.com', [
  'group:default/platform-team',
]);
const maria = userWith('user:default/maria_example.com', [
  'group:default/backend-team',
  'group:default/aws-developers-poweruser',
]);

const catalogRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const catalogDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});
const taskCreate = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});

describe('AwsAccessPermissionPolicy', () => {
  it.each(awsAccessPermissions.map(p => [p.name, p]))(
    'allows the platform group everything: %s',
    async (_name, permission) => {
      await expect(policy.handle({ permission }, sara)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it("allows other plugins' reads and running templates, denies other changes", async () => {
    await expect(
      policy.handle({ permission: catalogRead }, maria),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: taskCreate }, maria),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: catalogDelete }, maria),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: catalogDelete }, sara),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("lets members read their groups through a condition on the caller's groups", async () => {
    const decision = await policy.handle(
      { permission: awsAccessGroupReadPermission },
      maria,
    );

    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'aws-access',
      resourceType: 'aws-access-group',
      conditions: {
        rule: 'IS_GROUP_MEMBER',
        resourceType: 'aws-access-group',
        params: { claims: maria.info.ownershipEntityRefs },
      },
    });
  });

  it.each([
    awsAccessUserReadPermission,
    awsAccessAllReadPermission,
    awsAccessSyncTriggerPermission,
    awsAccessAssignmentWritePermission,
  ])('denies engineers and leads %s', async permission => {
    await expect(policy.handle({ permission }, maria)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets a signed-in person ask for their own provisioning, but not an anonymous caller', async () => {
    await expect(
      policy.handle({ permission: awsAccessProvisionSelfPermission }, maria),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(
      policy.handle({ permission: awsAccessProvisionSelfPermission }),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("lets every signed-in person request and approve as the governance policy allows; managing all requests is the platform team's", async () => {
    for (const permission of [
      awsAccessRequestCreatePermission,
      awsAccessRequestApprovePermission,
    ]) {
      await expect(policy.handle({ permission }, maria)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
    await expect(
      policy.handle({ permission: awsAccessRequestManagePermission }, maria),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    // Reviewers need no permission; starting campaigns and the evidence are the platform team's.
    await expect(
      policy.handle({ permission: awsAccessReviewManagePermission }, maria),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies everything aws-access when no platform group is configured', async () => {
    const strict = AwsAccessPermissionPolicy.fromConfig(new ConfigReader({}));
    await expect(
      strict.handle({ permission: awsAccessAllReadPermission }, sara),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
