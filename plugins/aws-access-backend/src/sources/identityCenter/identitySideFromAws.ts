import type {
  AwsSide,
  IdcGroup,
  IdcUser,
  IdentityGroup,
  IdentitySide,
  IdentityUser,
} from '../../snapshot/model';

/**
 * The identity side when there is no identity source: Identity Center's own users and groups intend exactly the
 * access they have, so every grant is active through its Identity Center group. Users and groups keep the ids
 * the AWS side is joined by (their ExternalIds when a directory created them, else their Identity Center ids and
 * user names), and nothing is read a second time. There is no provisioning job to watch.
 */
export function identitySideFromAws(aws: AwsSide): IdentitySide {
  const idOf = (principal: IdcUser | IdcGroup) =>
    principal.externalId ?? principal.id;
  const userIds = new Map(aws.users.map(user => [user.id, idOf(user)]));
  const users = aws.users.map(
    (user): IdentityUser => ({
      id: idOf(user),
      userPrincipalName: user.userName,
      ...(user.email ? { mail: user.email } : {}),
      displayName: user.displayName ?? user.userName,
      accountEnabled: user.status === 'ENABLED',
    }),
  );
  const groups = aws.groups.map(
    (group): IdentityGroup => ({
      id: idOf(group),
      displayName: group.displayName,
      securityEnabled: true,
      memberUserIds: group.memberUserIds.flatMap(id => userIds.get(id) ?? []),
      memberGroupIds: [],
    }),
  );
  return {
    source: 'identity-center',
    tenantId: aws.identityStoreId,
    app: {
      appId: '',
      servicePrincipalId: '',
      displayName: 'IAM Identity Center',
    },
    provisioningScope: [
      ...groups.map(g => ({
        principalId: g.id,
        principalType: 'Group' as const,
      })),
      ...users.map(u => ({
        principalId: u.id,
        principalType: 'User' as const,
      })),
    ],
    users,
    groups,
    provisioning: { status: 'NotConfigured' },
    provisioningLog: [],
    changes: [],
  };
}
