import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  awsAccessAllReadPermission,
  awsAccessGroupReadPermission,
} from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import { AccessControl } from './AccessControl';

const MAYA = 'user:default/maya';

/** A request with the person's token; another `signIn` is another token of the same person. */
function requestAs(userEntityRef: string, signIn?: number) {
  const header = signIn
    ? `Bearer mock-user-token:${JSON.stringify({ sub: userEntityRef, signIn })}`
    : mockCredentials.user.header(userEntityRef);
  return { headers: { authorization: header } } as unknown as Request;
}

function accessControl(permissionDecisionTtlMs: number) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
  permissions.authorizeConditional.mockResolvedValue([
    { result: AuthorizeResult.DENY },
  ]);
  // The decisions here are never conditional, so no rule is ever looked up.
  const permissionsRegistry = mockServices.permissionsRegistry.mock();
  permissionsRegistry.getPermissionRuleset.mockReturnValue({
    getRuleByName: jest.fn(),
  } as any);
  const access = AccessControl.create({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    permissions,
    permissionsRegistry,
    permissionDecisionTtlMs,
  });
  return { access, permissions };
}

describe('AccessControl permission decisions', () => {
  it('asks the permission framework once per token and permission within the TTL', async () => {
    const { access, permissions } = accessControl(5000);
    for (let i = 0; i < 3; i++) {
      const caller = await access.caller(requestAs(MAYA));
      await expect(
        access.can(caller, awsAccessAllReadPermission),
      ).resolves.toBe(true);
      expect((await access.groupReader(caller))('group:default/team')).toBe(
        false,
      );
    }
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
  });

  it('decides again for another token, and on every request with a TTL of 0', async () => {
    const { access, permissions } = accessControl(5000);
    await access.can(
      await access.caller(requestAs(MAYA, 1)),
      awsAccessAllReadPermission,
    );
    await access.can(
      await access.caller(requestAs(MAYA, 2)),
      awsAccessAllReadPermission,
    );
    expect(permissions.authorize).toHaveBeenCalledTimes(2);

    const never = accessControl(0);
    for (let i = 0; i < 2; i++) {
      const caller = await never.access.caller(requestAs(MAYA));
      await never.access.groupReader(caller);
      await never.access.groupDecider(caller, awsAccessGroupReadPermission);
    }
    expect(never.permissions.authorizeConditional).toHaveBeenCalledTimes(4);
  });
});
