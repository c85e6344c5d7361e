import type { EntraGroup, EntraUser } from '../state/EntraDirectory';
import type { IdcGroup, IdcUser } from '../state/IdentityStore';

/*
 * The attribute mapping of Entra's "AWS IAM Identity Center" gallery app: userName ← userPrincipalName,
 * name ← givenName/surname (required by AWS, so derived from displayName when Entra has none), emails[work] ← mail,
 * title ← jobTitle, enterprise department/manager, externalId ← objectId, active ← accountEnabled.
 */

export type MappedUser = Pick<
  IdcUser,
  | 'userName'
  | 'displayName'
  | 'givenName'
  | 'familyName'
  | 'email'
  | 'title'
  | 'department'
  | 'managerId'
  | 'status'
  | 'externalId'
>;

export function mapUser(
  user: EntraUser,
  options: { issuer: string; managerIdcId?: string },
): MappedUser {
  const [first, ...rest] = user.displayName.trim().split(/\s+/);
  return {
    userName: user.upn,
    displayName: user.displayName,
    givenName: user.givenName ?? first,
    familyName: user.surname ?? (rest.length ? rest.join(' ') : first),
    email: user.mail,
    ...(user.jobTitle !== undefined && { title: user.jobTitle }),
    ...(user.department !== undefined && { department: user.department }),
    ...(options.managerIdcId !== undefined && {
      managerId: options.managerIdcId,
    }),
    status:
      user.enabled && user.deletedMs === undefined ? 'ENABLED' : 'DISABLED',
    externalId: { Issuer: options.issuer, Id: user.id },
  };
}

export function mapGroup(
  group: EntraGroup,
  options: { issuer: string },
): Pick<IdcGroup, 'displayName' | 'externalId'> {
  return {
    displayName: group.name,
    externalId: { Issuer: options.issuer, Id: group.id },
  };
}

const USER_FIELDS: [keyof MappedUser, string][] = [
  ['userName', 'userName'],
  ['displayName', 'displayName'],
  ['givenName', 'name.givenName'],
  ['familyName', 'name.familyName'],
  ['email', 'emails[type eq "work"].value'],
  ['title', 'title'],
  [
    'department',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  ],
  [
    'managerId',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
  ],
  ['status', 'active'],
];

/** The SCIM attributes that differ between the Identity Store user and what Entra would send now. */
export function userDifferences(
  current: IdcUser,
  desired: MappedUser,
): { displayName: string; oldValue: string | null; newValue: string | null }[] {
  const out = [];
  for (const [key, scimName] of USER_FIELDS) {
    const before = current[key] as string | undefined;
    const after = desired[key] as string | undefined;
    if (before !== after) {
      const render = (v: string | undefined) => {
        if (v === undefined) return null;
        return key === 'status' ? String(v === 'ENABLED') : v;
      };
      out.push({
        displayName: scimName,
        oldValue: render(before),
        newValue: render(after),
      });
    }
  }
  return out;
}
