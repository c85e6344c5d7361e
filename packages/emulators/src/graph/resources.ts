import type { EntraGroup, EntraUser } from '../state/EntraDirectory';
import type { World } from '../state/World';

/* Graph representations of directory objects, with v1.0's default property sets. */

/** Returned when no $select is given. accountEnabled, department and employeeId are not among them. */
export const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export const USER_PROPERTIES = [
  ...USER_DEFAULT,
  'accountEnabled',
  'department',
  'employeeId',
  'createdDateTime',
  'deletedDateTime',
  'mailNickname',
  'userType',
  'companyName',
  'otherMails',
  'proxyAddresses',
  'usageLocation',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'manager',
] as const;

export const GROUP_DEFAULT = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'creationOptions',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
] as const;

export const GROUP_PROPERTIES = [
  ...GROUP_DEFAULT,
  'members',
  'owners',
] as const;

const iso = (ms: number | undefined) =>
  ms === undefined
    ? null
    : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function userResource(user: EntraUser): Record<string, unknown> {
  return {
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname ?? null,
    userPrincipalName: user.upn,
    accountEnabled: user.enabled,
    department: user.department ?? null,
    employeeId: user.employeeId ?? null,
    createdDateTime: iso(user.createdMs),
    deletedDateTime: iso(user.deletedMs),
    mailNickname: user.upn.split('@')[0],
    userType: 'Member',
    companyName: null,
    otherMails: [],
    proxyAddresses: [`SMTP:${user.mail}`],
    usageLocation: null,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
  };
}

export function groupResource(
  group: EntraGroup,
  domain: string,
): Record<string, unknown> {
  // Security groups are not mail-enabled in Entra; Microsoft 365 groups would be (groupTypes ['Unified']).
  return {
    id: group.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: iso(group.createdMs),
    creationOptions: [],
    description: group.description ?? null,
    displayName: group.name,
    expirationDateTime: null,
    groupTypes: [],
    isAssignableToRole: null,
    mail: group.securityEnabled ? null : `${group.mailNickname}@${domain}`,
    mailEnabled: !group.securityEnabled,
    mailNickname: group.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: iso(group.createdMs),
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: group.securityEnabled,
    securityIdentifier: `S-1-12-1-${parseInt(
      group.id.slice(0, 8),
      16,
    )}-${parseInt(group.id.slice(9, 13), 16)}`,
    theme: null,
    visibility: null,
  };
}

/** A directory object in a mixed collection (members, memberOf), typed with `@odata.type`. */
export function directoryObject(
  world: World,
  id: string,
): Record<string, unknown> | undefined {
  const object = world.entra.object(id);
  if (!object) return undefined;
  if (object.type === 'user')
    return {
      '@odata.type': '#microsoft.graph.user',
      ...userResource(object.user!),
    };
  return {
    '@odata.type': '#microsoft.graph.group',
    ...groupResource(object.group!, world.domain),
  };
}
