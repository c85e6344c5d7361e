import type { Snapshot, SnapshotFinding } from './model';

function dedupeById<T extends { id: string }>(
  items: T[],
  what: string,
  findings: SnapshotFinding[],
): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    if (seen.has(item.id)) {
      findings.push({
        code: 'duplicate-id',
        message: `Duplicate ${what} id returned by the source`,
        subject: item.id,
      });
      continue;
    }
    seen.set(item.id, item);
  }
  return [...seen.values()];
}

/**
 * Checks that every reference in the snapshot resolves (assignment → account, permission set, principal;
 * memberships → users and groups). Problems become findings the platform team sees; they never fail the run,
 * because real directories contain such leftovers (a recreated group orphans its assignments).
 * Returns a copy with duplicates removed.
 */
export function validateSnapshot(snapshot: Snapshot): Snapshot {
  const findings: SnapshotFinding[] = [];
  const entraUsers = dedupeById(snapshot.entra.users, 'Entra user', findings);
  const entraGroups = dedupeById(
    snapshot.entra.groups,
    'Entra group',
    findings,
  );
  const idcUsers = dedupeById(
    snapshot.aws.users,
    'Identity Center user',
    findings,
  );
  const idcGroups = dedupeById(
    snapshot.aws.groups,
    'Identity Center group',
    findings,
  );
  const accounts = dedupeById(snapshot.aws.accounts, 'account', findings);

  const accountIds = new Set(accounts.map(a => a.id));
  const permissionSetArns = new Set(
    snapshot.aws.permissionSets.map(p => p.arn),
  );
  const idcUserIds = new Set(idcUsers.map(u => u.id));
  const idcGroupIds = new Set(idcGroups.map(g => g.id));
  const entraUserIds = new Set(entraUsers.map(u => u.id));
  const entraGroupIds = new Set(entraGroups.map(g => g.id));

  const assignmentKeys = new Set<string>();
  const assignments = snapshot.aws.assignments.filter(assignment => {
    const key = `${assignment.accountId}|${assignment.permissionSetArn}|${assignment.principalType}|${assignment.principalId}`;
    if (assignmentKeys.has(key)) return false;
    assignmentKeys.add(key);
    if (!accountIds.has(assignment.accountId)) {
      findings.push({
        code: 'assignment-unknown-account',
        message: `Assignment on account ${assignment.accountId}, which AWS Organizations does not list`,
        subject: key,
      });
    }
    if (!permissionSetArns.has(assignment.permissionSetArn)) {
      findings.push({
        code: 'assignment-unknown-permission-set',
        message: `Assignment of permission set ${assignment.permissionSetArn}, which the instance does not list`,
        subject: key,
      });
    }
    const principalKnown =
      assignment.principalType === 'USER'
        ? idcUserIds.has(assignment.principalId)
        : idcGroupIds.has(assignment.principalId);
    if (!principalKnown) {
      findings.push({
        code: 'assignment-orphaned-principal',
        message: `Assignment to a ${assignment.principalType.toLowerCase()} that no longer exists in the identity store (deleted or recreated): remove it`,
        subject: key,
      });
    }
    return true;
  });

  for (const group of idcGroups) {
    for (const memberId of group.memberUserIds) {
      if (!idcUserIds.has(memberId)) {
        findings.push({
          code: 'membership-unknown-user',
          message: `Identity Center group ${group.displayName} lists a member that is not a user of the identity store`,
          subject: `${group.id}|${memberId}`,
        });
      }
    }
  }
  for (const user of idcUsers) {
    if (user.externalId && !entraUserIds.has(user.externalId)) {
      findings.push({
        code: 'orphaned-external-id',
        message: `Identity Center user ${user.userName} points at an Entra user that no longer exists`,
        subject: user.id,
      });
    }
  }
  for (const group of idcGroups) {
    if (group.externalId && !entraGroupIds.has(group.externalId)) {
      findings.push({
        code: 'orphaned-external-id',
        message: `Identity Center group ${group.displayName} points at an Entra group that no longer exists`,
        subject: group.id,
      });
    }
  }
  for (const assignment of snapshot.entra.appAssignments) {
    const known =
      assignment.principalType === 'Group'
        ? entraGroupIds.has(assignment.principalId)
        : entraUserIds.has(assignment.principalId);
    if (!known) {
      findings.push({
        code: 'app-assignment-unknown-principal',
        message: `The AWS app is assigned to a ${assignment.principalType.toLowerCase()} the directory does not list`,
        subject: assignment.principalId,
      });
    }
  }

  return {
    ...snapshot,
    entra: { ...snapshot.entra, users: entraUsers, groups: entraGroups },
    aws: {
      ...snapshot.aws,
      users: idcUsers,
      groups: idcGroups,
      accounts,
      assignments,
    },
    findings: [
      ...snapshot.findings.filter(f => f.code.startsWith('source-')),
      ...findings,
    ],
  };
}
