import type {
  IdentityChange,
  IdentityGroup,
  IdentitySide,
  IdentityUser,
} from '../../snapshot/model';
import type { ReadContext } from '../ports';
import { SourceError } from '../requests/SourceError';
import type { GraphRequests } from './GraphRequests';

const USER_SELECT =
  'displayName,userPrincipalName,mail,accountEnabled,jobTitle,department';
const GROUP_SELECT =
  'displayName,description,mail,mailNickname,securityEnabled,members';

/** The delta links of the last round: where the next incremental read continues. */
type DeltaLinks = { users: string; groups: string };

export interface DirectoryRead {
  users: IdentityUser[];
  groups: IdentityGroup[];
  delta: DeltaLinks;
  /** Changes our delta round saw (at the time of the read), for when the audit log does not say. */
  observed: IdentityChange[];
}

/** Changes one delta round saw, stamped with the time of the read. */
class DeltaObservations {
  readonly changes: IdentityChange[] = [];
  constructor(private readonly at: string) {}

  add(kind: IdentityChange['kind'], userId: string, groupId?: string) {
    this.changes.push({
      at: this.at,
      kind,
      userId,
      ...(groupId ? { groupId } : {}),
      source: 'delta',
    });
  }
}

/**
 * Every user and group of the tenant, kept current with `/users/delta` and `/groups/delta` so an unchanged tenant
 * costs a handful of requests. Continues from the previous side's cursor; an expired delta token falls back to
 * a full enumeration in the same run.
 */
export async function readDirectory(
  graph: GraphRequests,
  ctx: ReadContext,
  previous?: IdentitySide,
): Promise<DirectoryRead> {
  const users = previous?.cursor?.users;
  const groups = previous?.cursor?.groups;
  if (previous && users && groups) {
    try {
      return await readDirectoryDelta(graph, ctx, previous, { users, groups });
    } catch (error) {
      // Delta tokens expire (about a week for directory objects): start over with a full enumeration.
      if (
        !(
          error instanceof SourceError &&
          error.errorClass === 'delta-token-expired'
        )
      )
        throw error;
    }
  }
  return readDirectoryDelta(graph, ctx, undefined, {
    users: `/users/delta?$select=${USER_SELECT}`,
    groups: `/groups/delta?$select=${GROUP_SELECT}`,
  });
}

/** Applies one delta round (or a full enumeration when there is no previous state) to the mirror. */
async function readDirectoryDelta(
  graph: GraphRequests,
  ctx: ReadContext,
  previous: IdentitySide | undefined,
  links: DeltaLinks,
): Promise<DirectoryRead> {
  const [users, groups] = await Promise.all([
    graph.delta<any>(links.users, 'users/delta', ctx),
    graph.delta<any>(links.groups, 'groups/delta', ctx),
  ]);
  const observe = previous
    ? new DeltaObservations(ctx.now.toISOString())
    : undefined;
  return {
    users: applyUserDelta(previous?.users ?? [], users.items, observe),
    groups: applyGroupDelta(previous?.groups ?? [], groups.items, observe),
    delta: { users: users.deltaLink, groups: groups.deltaLink },
    observed: observe?.changes ?? [],
  };
}

/** Graph sends only changed properties: what an item leaves out keeps its previous value. */
function mergeUser(item: any, prior?: IdentityUser): IdentityUser {
  const has = (key: string) => key in item;
  return {
    id: item.id,
    displayName:
      item.displayName ??
      prior?.displayName ??
      item.userPrincipalName ??
      item.id,
    userPrincipalName:
      item.userPrincipalName ?? prior?.userPrincipalName ?? item.id,
    mail: has('mail') ? item.mail ?? undefined : prior?.mail,
    accountEnabled: has('accountEnabled')
      ? item.accountEnabled !== false
      : prior?.accountEnabled ?? true,
    jobTitle: has('jobTitle') ? item.jobTitle ?? undefined : prior?.jobTitle,
    department: has('department')
      ? item.department ?? undefined
      : prior?.department,
  };
}

function applyUserDelta(
  previous: IdentityUser[],
  items: any[],
  observe?: DeltaObservations,
): IdentityUser[] {
  const users = new Map(previous.map(u => [u.id, u]));
  for (const item of items) {
    const prior = users.get(item.id);
    if (item['@removed']) {
      if (prior) observe?.add('user-deleted', item.id);
      users.delete(item.id);
      continue;
    }
    const user = mergeUser(item, prior);
    if (!prior) observe?.add('user-created', user.id);
    else if (prior.accountEnabled && !user.accountEnabled)
      observe?.add('user-disabled', user.id);
    else if (!prior.accountEnabled && user.accountEnabled)
      observe?.add('user-enabled', user.id);
    users.set(user.id, user);
  }
  return [...users.values()];
}

function applyGroupDelta(
  previous: IdentityGroup[],
  items: any[],
  observe?: DeltaObservations,
): IdentityGroup[] {
  const groups = new Map<string, IdentityGroup>(
    previous.map(g => [
      g.id,
      {
        ...g,
        memberUserIds: [...g.memberUserIds],
        memberGroupIds: [...g.memberGroupIds],
      },
    ]),
  );
  for (const item of items) {
    if (item['@removed']) {
      groups.delete(item.id);
      continue;
    }
    let group = groups.get(item.id);
    if (!group) {
      group = {
        id: item.id,
        displayName: item.displayName ?? item.id,
        securityEnabled: true,
        memberUserIds: [],
        memberGroupIds: [],
      };
      groups.set(item.id, group);
    }
    applyGroupProperties(group, item);
    applyMemberDelta(group, item['members@delta'] ?? [], observe);
  }
  return [...groups.values()];
}

function applyGroupProperties(group: IdentityGroup, item: any) {
  if ('displayName' in item && item.displayName)
    group.displayName = item.displayName;
  if ('description' in item) group.description = item.description ?? undefined;
  if ('mail' in item) group.mail = item.mail ?? undefined;
  if ('mailNickname' in item)
    group.mailNickname = item.mailNickname ?? undefined;
  if ('securityEnabled' in item)
    group.securityEnabled = item.securityEnabled !== false;
}

function applyMemberDelta(
  group: IdentityGroup,
  members: any[],
  observe?: DeltaObservations,
) {
  for (const member of members) {
    const isGroup = member['@odata.type'] === '#microsoft.graph.group';
    const isUser = member['@odata.type'] === '#microsoft.graph.user';
    if (!isGroup && !isUser) continue; // devices, service principals, contacts: not provisioned to AWS
    const list = isGroup ? group.memberGroupIds : group.memberUserIds;
    const at = list.indexOf(member.id);
    if (member['@removed']) {
      if (at >= 0) list.splice(at, 1);
      if (isUser) observe?.add('member-removed', member.id, group.id);
    } else if (at < 0) {
      list.push(member.id);
      if (isUser) observe?.add('member-added', member.id, group.id);
    }
  }
}
