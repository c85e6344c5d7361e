import type { RawIssue } from './schema';
import { NO_ENTRA_TENANT } from './normalize';
import type { Scenario, ScenarioDrift, ScenarioEntra } from './types';

/*
 * Checks that need the whole scenario: uniqueness, dangling references, and drift entries that could not happen
 * (a "missing" member who is not a member in Entra, an "active" user who is enabled and in scope, ...).
 */

const lower = (s: string) => s.toLowerCase();

export function checkReferences(scenario: Scenario): RawIssue[] {
  const issues: RawIssue[] = [];
  // Without `entra:`, Identity Center is the directory: no Entra users or groups to refer to.
  const { entra = NO_ENTRA_TENANT, identityCenter: idc } = scenario;

  const users = new Map<string, number>();
  entra.users.forEach((user, i) => {
    const key = lower(user.upn);
    if (users.has(key)) {
      issues.push({
        path: ['entra', 'users', i, 'upn'],
        problem: `duplicate upn "${user.upn}" (also entra.users[${users.get(
          key,
        )}])`,
      });
    } else {
      users.set(key, i);
    }
  });
  checkUniqueIds(entra.users, ['entra', 'users'], issues);
  entra.users.forEach((user, i) => {
    if (user.manager !== undefined && !users.has(lower(user.manager))) {
      issues.push({
        path: ['entra', 'users', i, 'manager'],
        problem: `no Entra user with upn "${user.manager}"`,
      });
    }
  });

  const groups = new Map<string, number>();
  entra.groups.forEach((group, i) => {
    const key = lower(group.name);
    if (groups.has(key)) {
      issues.push({
        path: ['entra', 'groups', i, 'name'],
        problem: `duplicate group name "${
          group.name
        }" (also entra.groups[${groups.get(key)}])`,
      });
    } else {
      groups.set(key, i);
    }
  });
  checkUniqueIds(entra.groups, ['entra', 'groups'], issues);
  entra.groups.forEach((group, i) => {
    (group.members ?? []).forEach((member, j) => {
      const isUser = users.has(lower(member));
      const isGroup = groups.has(lower(member));
      if (!isUser && !isGroup) {
        issues.push({
          path: ['entra', 'groups', i, 'members', j],
          problem: `"${member}" is neither an Entra user (upn) nor an Entra group (name)`,
        });
      } else if (isGroup && lower(member) === lower(group.name)) {
        issues.push({
          path: ['entra', 'groups', i, 'members', j],
          problem: 'a group cannot be a member of itself',
        });
      }
    });
    (group.owners ?? []).forEach((owner, j) => {
      if (!users.has(lower(owner))) {
        issues.push({
          path: ['entra', 'groups', i, 'owners', j],
          problem: `no Entra user with upn "${owner}"`,
        });
      }
    });
  });
  checkNestingCycles(entra, groups, issues);

  // Who SCIM provisions: direct user members of app-assigned groups, and directly assigned users.
  const inScope = new Set<string>();
  for (const user of entra.users) {
    if (user.assignedToAwsApp) inScope.add(lower(user.upn));
  }
  const directUsers = new Map<string, Set<string>>();
  for (const group of entra.groups) {
    const members = new Set(
      (group.members ?? []).map(lower).filter(m => users.has(m)),
    );
    directUsers.set(lower(group.name), members);
    if (group.assignedToAwsApp) members.forEach(m => inScope.add(m));
  }
  const isAssigned = (name: string) =>
    entra.groups[groups.get(lower(name)) ?? -1]?.assignedToAwsApp === true;

  const accounts = new Map<string, number>();
  idc.accounts.forEach((account, i) => {
    if (accounts.has(account.id)) {
      issues.push({
        path: ['identityCenter', 'accounts', i, 'id'],
        problem: `duplicate account id ${
          account.id
        } (also identityCenter.accounts[${accounts.get(account.id)}])`,
      });
    } else {
      accounts.set(account.id, i);
    }
  });
  if (!accounts.has(idc.organization.managementAccountId)) {
    issues.push({
      path: ['identityCenter', 'organization', 'managementAccountId'],
      problem: `account ${idc.organization.managementAccountId} is not in identityCenter.accounts (the management account must be listed)`,
    });
  }
  const permissionSets = new Map<string, number>();
  idc.permissionSets.forEach((ps, i) => {
    if (permissionSets.has(lower(ps.name))) {
      issues.push({
        path: ['identityCenter', 'permissionSets', i, 'name'],
        problem: `duplicate permission set name "${ps.name}"`,
      });
    }
    permissionSets.set(lower(ps.name), i);
    if (typeof ps.inlinePolicy === 'string') {
      try {
        JSON.parse(ps.inlinePolicy);
      } catch {
        issues.push({
          path: ['identityCenter', 'permissionSets', i, 'inlinePolicy'],
          problem: 'is not valid JSON',
        });
      }
    }
  });

  const unmanagedUsers = new Set<string>();
  const unmanaged = idc.provisioned?.unmanaged;
  (unmanaged?.users ?? []).forEach((user, i) => {
    const key = lower(user.userName);
    if (unmanagedUsers.has(key) || users.has(key)) {
      issues.push({
        path: [
          'identityCenter',
          'provisioned',
          'unmanaged',
          'users',
          i,
          'userName',
        ],
        problem: `userName "${user.userName}" is already used by another Identity Center user`,
      });
    }
    unmanagedUsers.add(key);
  });
  const unmanagedGroups = new Set<string>();
  (unmanaged?.groups ?? []).forEach((group, i) => {
    const key = lower(group.name);
    if (unmanagedGroups.has(key) || isAssigned(group.name)) {
      issues.push({
        path: [
          'identityCenter',
          'provisioned',
          'unmanaged',
          'groups',
          i,
          'name',
        ],
        problem: `group name "${group.name}" is already used by another Identity Center group`,
      });
    }
    unmanagedGroups.add(key);
    (group.members ?? []).forEach((member, j) => {
      if (!unmanagedUsers.has(lower(member)) && !inScope.has(lower(member))) {
        issues.push({
          path: [
            'identityCenter',
            'provisioned',
            'unmanaged',
            'groups',
            i,
            'members',
            j,
          ],
          problem: `"${member}" is neither an unmanaged Identity Center user nor a user SCIM provisions`,
        });
      }
    });
  });

  idc.assignments.forEach((assignment, i) => {
    const path = ['identityCenter', 'assignments', i];
    const principals = (
      ['group', 'user', 'idcGroup', 'idcUser'] as const
    ).filter(key => assignment[key] !== undefined);
    if (principals.length !== 1) {
      issues.push({
        path,
        problem:
          'must name exactly one principal: group, user, idcGroup or idcUser',
      });
    } else if (
      !scenario.entra &&
      (assignment.group !== undefined || assignment.user !== undefined)
    ) {
      const key = assignment.group !== undefined ? 'group' : 'user';
      issues.push({
        path: [...path, key],
        problem: `the scenario has no entra section, so there is no Entra ${key} "${
          assignment[key]
        }"; assign Identity Center's own ${key}s (identityCenter.provisioned.unmanaged) with idc${
          key === 'group' ? 'Group' : 'User'
        }`,
      });
    } else if (assignment.group !== undefined) {
      if (!groups.has(lower(assignment.group))) {
        issues.push({
          path: [...path, 'group'],
          problem: `no Entra group named "${assignment.group}"`,
        });
      } else if (!isAssigned(assignment.group)) {
        issues.push({
          path: [...path, 'group'],
          problem: `group "${assignment.group}" is not assigned to the AWS app (assignedToAwsApp: true), so SCIM never creates it in Identity Center; use idcGroup for a group that exists only in Identity Center`,
        });
      }
    } else if (assignment.user !== undefined) {
      if (!users.has(lower(assignment.user))) {
        issues.push({
          path: [...path, 'user'],
          problem: `no Entra user with upn "${assignment.user}"`,
        });
      } else if (!inScope.has(lower(assignment.user))) {
        issues.push({
          path: [...path, 'user'],
          problem: `user "${assignment.user}" is not provisioned by SCIM (not a direct member of an app-assigned group, not assigned to the app)`,
        });
      }
    } else if (
      assignment.idcUser !== undefined &&
      !unmanagedUsers.has(lower(assignment.idcUser))
    ) {
      issues.push({
        path: [...path, 'idcUser'],
        problem: `no unmanaged Identity Center user with userName "${assignment.idcUser}" (identityCenter.provisioned.unmanaged.users)`,
      });
    } else if (
      assignment.idcGroup !== undefined &&
      !unmanagedGroups.has(lower(assignment.idcGroup))
    ) {
      issues.push({
        path: [...path, 'idcGroup'],
        problem: `no unmanaged Identity Center group named "${assignment.idcGroup}" (identityCenter.provisioned.unmanaged.groups)`,
      });
    }
    if (!permissionSets.has(lower(assignment.permissionSet))) {
      issues.push({
        path: [...path, 'permissionSet'],
        problem: `no permission set named "${assignment.permissionSet}"`,
      });
    }
    if (Array.isArray(assignment.accounts)) {
      assignment.accounts.forEach((id, j) => {
        if (!accounts.has(id)) {
          issues.push({
            path: [...path, 'accounts', j],
            problem: `no account with id ${id} in identityCenter.accounts`,
          });
        }
      });
    }
  });

  const driftUsers = new Map<string, string>();
  (idc.provisioned?.drift ?? []).forEach((entry, i) => {
    const path = ['identityCenter', 'provisioned', 'drift', i];
    checkDrift(
      entry,
      path,
      { users, groups, inScope, directUsers, isAssigned, entra },
      issues,
    );
    const kind = Object.keys(entry)[0];
    const user = (Object.values(entry)[0] as { user?: string }).user;
    if (user && (kind === 'missingUser' || kind === 'activeUser')) {
      const other = kind === 'missingUser' ? 'activeUser' : 'missingUser';
      if (driftUsers.get(lower(user)) === other) {
        issues.push({
          path: [...path, kind, 'user'],
          problem: `"${user}" cannot be both missingUser and activeUser`,
        });
      }
      driftUsers.set(lower(user), kind);
    }
  });
  return issues;
}

function checkDrift(
  entry: ScenarioDrift,
  path: (string | number)[],
  ctx: {
    users: Map<string, number>;
    groups: Map<string, number>;
    inScope: Set<string>;
    directUsers: Map<string, Set<string>>;
    isAssigned: (name: string) => boolean;
    entra: ScenarioEntra;
  },
  issues: RawIssue[],
) {
  const [kind, body] = Object.entries(entry)[0] as [
    string,
    { user?: string; group?: string },
  ];
  const at = [...path, kind];
  const user = body.user !== undefined ? lower(body.user) : undefined;
  const group = body.group !== undefined ? lower(body.group) : undefined;
  if (user !== undefined && !ctx.users.has(user)) {
    issues.push({
      path: [...at, 'user'],
      problem: `no Entra user with upn "${body.user}"`,
    });
    return;
  }
  if (group !== undefined) {
    if (!ctx.groups.has(group)) {
      issues.push({
        path: [...at, 'group'],
        problem: `no Entra group named "${body.group}"`,
      });
      return;
    }
    if (!ctx.isAssigned(body.group!)) {
      issues.push({
        path: [...at, 'group'],
        problem: `group "${body.group}" is not assigned to the AWS app, so it is not provisioned at all`,
      });
      return;
    }
  }
  const direct = group !== undefined ? ctx.directUsers.get(group)! : undefined;
  switch (kind) {
    case 'missingMember':
      if (!direct!.has(user!)) {
        issues.push({
          path: [...at, 'user'],
          problem: `"${body.user}" is not a direct member of "${body.group}" in Entra, so it cannot be missing from it`,
        });
      }
      break;
    case 'extraMember':
      if (direct!.has(user!)) {
        issues.push({
          path: [...at, 'user'],
          problem: `"${body.user}" is a direct member of "${body.group}" in Entra, so it cannot be extra`,
        });
      }
      break;
    case 'missingUser':
      if (!ctx.inScope.has(user!)) {
        issues.push({
          path: [...at, 'user'],
          problem: `"${body.user}" is not provisioned by SCIM at all (not a direct member of an app-assigned group)`,
        });
      }
      break;
    case 'activeUser': {
      const source = ctx.entra.users[ctx.users.get(user!)!];
      if (source.enabled !== false && ctx.inScope.has(user!)) {
        issues.push({
          path: [...at, 'user'],
          problem: `"${body.user}" is enabled and in scope in Entra; activeUser needs a user that is disabled or outside the SCIM scope`,
        });
      }
      break;
    }
    default:
      break;
  }
}

function checkUniqueIds(
  items: { id?: string }[],
  path: (string | number)[],
  issues: RawIssue[],
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (!item.id) return;
    const key = lower(item.id);
    if (seen.has(key)) {
      issues.push({
        path: [...path, i, 'id'],
        problem: `duplicate id ${item.id} (also ${path.join('.')}[${seen.get(
          key,
        )}])`,
      });
    }
    seen.set(key, i);
  });
}

function checkNestingCycles(
  entra: ScenarioEntra,
  groups: Map<string, number>,
  issues: RawIssue[],
) {
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (index: number, trail: number[]): void => {
    state.set(index, 'visiting');
    for (const member of entra.groups[index].members ?? []) {
      const child = groups.get(lower(member));
      if (child === undefined || child === index) continue;
      if (state.get(child) === 'visiting') {
        const names = [...trail, index, child].map(g => entra.groups[g].name);
        issues.push({
          path: ['entra', 'groups', index, 'members'],
          problem: `nesting cycle: ${names.join(' > ')}`,
        });
      } else if (!state.has(child)) {
        visit(child, [...trail, index]);
      }
    }
    state.set(index, 'done');
  };
  entra.groups.forEach((_, i) => {
    if (!state.has(i)) visit(i, []);
  });
}
