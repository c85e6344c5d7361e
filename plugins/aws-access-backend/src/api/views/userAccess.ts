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
import { baseStateOf, stateHoldsUntil } from '../../snapshot/grantState';
import type { PageRequest } from '../pageQuery';
import { parsePageQuery } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import { accessPage } from './accessPage';
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
  if (state === GrantState.pending)
    dto.expectedBy = pendingExpectedBy(index, grant, now);
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

/** When a pending grant is expected: the first cycle after its gap opened (a start in the future counts from then). */
function pendingExpectedBy(
  index: AccessIndex,
  grant: PersonGrant,
  now: Date,
): string | undefined {
  const from =
    grant.since && Date.parse(grant.since) > now.getTime()
      ? new Date(grant.since)
      : now;
  return index.nextCycleAt(from);
}

/**
 * The last moment (epoch ms) `toGrant` without requests makes the same DTO of a grant as at `now`: its state and
 * its paths' states hold (a pending gap turns stuck), and a pending grant's next cycle has not passed.
 */
export function grantHoldsUntil(
  index: AccessIndex,
  grant: PersonGrant,
  now: Date,
): number {
  let until = index.stateHoldsUntil(grant, now);
  for (const path of grant.paths) {
    const base = baseStateOf(path);
    if (base !== 'none')
      until = Math.min(
        until,
        stateHoldsUntil(base, grant.since, now, index.provisioningClock),
      );
  }
  if (index.stateAt(grant, now) === GrantState.pending) {
    const expectedBy = pendingExpectedBy(index, grant, now);
    if (expectedBy) until = Math.min(until, Date.parse(expectedBy));
  }
  return until;
}

/** Whether a person is in a scoped group or in a group nested (directly or not) in one. */
function reachesScope(index: AccessIndex, userId: string): boolean {
  return [...index.scopedGroupIds].some(scopedId => {
    const scoped = index.identityGroupsById.get(scopedId);
    return scoped ? index.transitiveUserIds(scoped).includes(userId) : false;
  });
}

/** The identity source's side of a person (`entra` on the wire). */
function identityState(index: AccessIndex, user: IdentityUser): EntraUserState {
  // A direct group matters for AWS access when it is in scope or the person reaches the scope at all; the latter
  // does not depend on the group (it walks every scoped group's tree), so it is asked once, and only if needed.
  let reaches: boolean | undefined;
  const matters = (group: IdentityGroup) =>
    index.scopedGroupIds.has(group.id) ||
    (reaches ??= reachesScope(index, user.id));
  return {
    id: user.id,
    enabled: user.accountEnabled,
    // The person's direct groups from the index, not a scan of every group's members (20,000 groups at envelope).
    groups: index
      .identityGroupsOfUser(user.id)
      .filter(matters)
      .map(group => ({
        id: group.id,
        name: group.displayName,
        entityRef: entraGroupEntityRef(group),
        assignedToApp: index.scopedGroupIds.has(group.id),
        direct: true,
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

const collator = new Intl.Collator('en');

/** A profile for every grant AWS lets the person use now, by account name and permission set. */
function cliProfilesOf(index: AccessIndex, person: Person, now: Date) {
  return person.grants
    .flatMap(grant => {
      const ps = index.permissionSetsByArn.get(grant.permissionSetArn);
      const usable =
        ps &&
        grant.paths.some(path => path.inAws) &&
        isActive(index.stateAt(grant, now));
      if (!usable) return [];
      return [
        {
          accountId: grant.accountId,
          accountName: accountNameOf(index, grant.accountId),
          permissionSetName: ps.name,
        },
      ];
    })
    .sort(
      (a, b) =>
        collator.compare(a.accountName, b.accountName) ||
        collator.compare(a.permissionSetName, b.permissionSetName),
    );
}

/**
 * `GET /me/aws-cli-config` and `GET /users/:ref/aws-cli-config`: the person's whole `~/.aws/config` (the
 * `[sso-session]` block and a profile per grant they can use now), whatever a page of their grants shows. Kept
 * out of the access page: a power user's is a megabyte.
 */
export function awsCliConfigOf(
  index: AccessIndex,
  person: Person,
  now: Date,
): string {
  const { aws } = index.snapshot;
  return buildAwsCliConfig({
    sessionName: aws.identityStoreId,
    startUrl: aws.accessPortalUrl,
    region: aws.region,
    profiles: cliProfilesOf(index, person, now),
  });
}

/**
 * `GET /me` and `GET /users/:ref`: one page of a person's grants (`request`: by default the first, by account),
 * both sides of them, and where to use them (their `~/.aws/config` is {@link awsCliConfigOf}'s); `requests` are
 * the person's access requests (the open ones explain grants); `cache` keeps the sorted grants for the next pages.
 */
export function userAccess(
  index: AccessIndex,
  person: Person,
  now: Date,
  staleAfterMs: number,
  requests: StoredRequest[] = [],
  request: PageRequest = parsePageQuery({}, 'account'),
  cache?: AccessListCache,
): UserAccess {
  const open = openRequestsByGroup(requests);
  const { people, summary, page } = accessPage(
    index,
    () => [{ person, grants: person.grants }],
    request,
    now,
    grant => toGrant(index, grant, now, open),
    { caching: cache && { cache, list: `person:${person.key}` } },
  );
  const grants = people[0]?.grants ?? [];
  return {
    user: index.accessUser(person),
    grants,
    sync: syncSummary(index, now, staleAfterMs),
    summary,
    page,
    // Without an identity source there is no Entra side to show (Identity Center's groups are under identityCenter).
    entra:
      person.identityUser && index.snapshot.identity.source === 'entra'
        ? identityState(index, person.identityUser)
        : undefined,
    identityCenter: person.idcUser
      ? identityCenterState(index, person.idcUser)
      : null,
    myAppsUrl: myAppsUrlOf(index),
    accessPortalUrl: index.snapshot.aws.accessPortalUrl,
  };
}
