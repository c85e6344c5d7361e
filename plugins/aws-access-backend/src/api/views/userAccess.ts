import type {
  EntraUserState,
  Grant,
  IdentityCenterUserState,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import {
  buildAwsCliConfig,
  buildLaunchUrl,
  buildMyAppsUrl,
  entraGroupEntityRef,
  GrantState,
  isActive,
} from '@aws-access/plugin-aws-access-common';
import type {
  AccessIndex,
  Person,
  PersonGrant,
} from '../../snapshot/AccessIndex';
import type {
  IdcUser,
  IdentityGroup,
  IdentityUser,
} from '../../snapshot/model';
import type { StoredRequest } from '../../governance/RequestStore';
import { accountNameOf, permissionSetRef, syncSummary } from './common';
import {
  grantRequestRef,
  openRequestsByGroup,
  requestExpectedBy,
} from './grantRequests';

/**
 * The grant DTO at a moment: state, per-path states, launch link for what AWS lets the person use, and the open
 * access request behind it (`requests`, by the identity source's group id), if any.
 */
export function toGrant(
  index: AccessIndex,
  grant: PersonGrant,
  now: Date,
  requests: Map<string, StoredRequest> = new Map(),
): Grant {
  const ps = index.permissionSetsByArn.get(grant.permissionSetArn);
  const state = index.stateAt(grant, now);
  const dto: Grant = {
    accountId: grant.accountId,
    accountName: accountNameOf(index, grant.accountId),
    accountOu: index.accountsById.get(grant.accountId)?.ouPath,
    permissionSet: permissionSetRef(index, grant.permissionSetArn),
    via: grant.paths.map(path => ({
      type: path.type,
      name: path.name,
      entityRef: path.entityRef,
      through: path.through,
      state: index.pathStateAt(grant, path, now),
    })),
    state,
  };
  // A launch link wherever AWS lets the person in now, whatever the identity source intends.
  if (grant.paths.some(path => path.inAws) && ps) {
    dto.launchUrl = buildLaunchUrl({
      accessPortalUrl: index.snapshot.aws.accessPortalUrl,
      accountId: grant.accountId,
      permissionSetName: ps.name,
    });
  }
  if (grant.since) dto.since = grant.since;
  if (state === GrantState.pending) {
    // Expected at the first cycle after the gap opened (a start in the future counts from then).
    const from =
      grant.since && Date.parse(grant.since) > now.getTime()
        ? new Date(grant.since)
        : now;
    dto.expectedBy = index.nextCycleAt(from);
  }
  const request = grant.paths
    .map(path => path.identityGroupId && requests.get(path.identityGroupId))
    .find(Boolean);
  if (request) {
    dto.request = grantRequestRef(request);
    // A request in flight is provisioned on demand: sooner than the cycle.
    if (state === GrantState.pending)
      dto.expectedBy = requestExpectedBy(request, dto.expectedBy);
  }
  return dto;
}

/** Groups that matter for a person's AWS access: in scope, or nested (directly or not) in one. */
function isMemberForAws(
  index: AccessIndex,
  group: IdentityGroup,
  userId: string,
): boolean {
  if (!group.memberUserIds.includes(userId)) return false;
  if (index.scopedGroupIds.has(group.id)) return true;
  return [...index.scopedGroupIds].some(scopedId => {
    const scoped = index.identityGroupsById.get(scopedId);
    return scoped ? index.transitiveUserIds(scoped).includes(userId) : false;
  });
}

/** The identity source's side of a person (`entra` on the wire). */
function identityState(index: AccessIndex, user: IdentityUser): EntraUserState {
  return {
    id: user.id,
    enabled: user.accountEnabled,
    groups: index.snapshot.identity.groups
      .filter(group => isMemberForAws(index, group, user.id))
      .map(group => ({
        id: group.id,
        name: group.displayName,
        entityRef: entraGroupEntityRef(group),
        assignedToApp: index.scopedGroupIds.has(group.id),
        direct: group.memberUserIds.includes(user.id),
      })),
  };
}

function identityCenterState(
  index: AccessIndex,
  user: IdcUser,
): IdentityCenterUserState {
  return {
    id: user.id,
    userName: user.userName,
    status: user.status,
    groups: index
      .idcGroupsOfUser(user.id)
      .map(g => g.displayName)
      .sort(),
  };
}

function myAppsUrlOf(index: AccessIndex): string | undefined {
  const { app, tenantId } = index.snapshot.identity;
  try {
    return buildMyAppsUrl({ appId: app.appId, tenantId });
  } catch {
    return undefined;
  }
}

/**
 * `GET /me` and `GET /users/:ref`: a person's grants, both sides of them, and how to use them; `requests` are the
 * person's access requests (the open ones explain grants).
 */
export function userAccess(
  index: AccessIndex,
  person: Person,
  now: Date,
  staleAfterMs: number,
  requests: StoredRequest[] = [],
): UserAccess {
  const open = openRequestsByGroup(requests);
  const grants = person.grants.map(grant => toGrant(index, grant, now, open));
  const { aws } = index.snapshot;
  return {
    user: index.accessUser(person),
    grants,
    sync: syncSummary(index, now, staleAfterMs),
    // Without an identity source there is no Entra side to show (Identity Center's groups are under identityCenter).
    entra:
      person.identityUser && index.snapshot.identity.source === 'entra'
        ? identityState(index, person.identityUser)
        : undefined,
    identityCenter: person.idcUser
      ? identityCenterState(index, person.idcUser)
      : null,
    awsCliConfig: buildAwsCliConfig({
      sessionName: aws.identityStoreId,
      startUrl: aws.accessPortalUrl,
      region: aws.region,
      profiles: grants
        .filter(g => g.launchUrl && isActive(g.state))
        .map(g => ({
          accountId: g.accountId,
          accountName: g.accountName,
          permissionSetName: g.permissionSet.name,
        })),
    }),
    myAppsUrl: myAppsUrlOf(index),
    accessPortalUrl: aws.accessPortalUrl,
  };
}
