import type {
  AssignmentRecord,
  AwsSide,
  IdcGroup,
  IdcUser,
  IdentitySide,
  Snapshot,
  SnapshotFinding,
} from './model';
import type { Sliced } from './slices';
import { runAtOnce } from './slices';

/**
 * The items without repeated ids (the first kept), and the set of their ids: one item per step, and no pass
 * after the loop (at 100,000 people, a copy of the kept items or a second set of their ids is a block of its own).
 */
function* dedupeById<T extends { id: string }>(
  items: T[],
  what: string,
  findings: SnapshotFinding[],
): Sliced<{ kept: T[]; ids: Set<string> }> {
  const ids = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    yield;
    if (ids.has(item.id)) {
      findings.push({
        code: 'duplicate-id',
        message: `Duplicate ${what} id returned by the source`,
        subject: item.id,
      });
      continue;
    }
    ids.add(item.id);
    kept.push(item);
  }
  return { kept, ids };
}

/** Duplicates dropped, and a finding for every assignment reference that does not resolve. */
function* checkAssignments(
  aws: AwsSide,
  known: { accounts: Set<string>; users: Set<string>; groups: Set<string> },
  findings: SnapshotFinding[],
): Sliced<AssignmentRecord[]> {
  const permissionSetArns = new Set<string>();
  for (const ps of aws.permissionSets) {
    permissionSetArns.add(ps.arn);
    yield;
  }
  const keys = new Set<string>();
  const kept: AssignmentRecord[] = [];
  for (const assignment of aws.assignments) {
    yield;
    const key = `${assignment.accountId}|${assignment.permissionSetArn}|${assignment.principalType}|${assignment.principalId}`;
    if (keys.has(key)) continue;
    keys.add(key);
    kept.push(assignment);
    if (!known.accounts.has(assignment.accountId)) {
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
    const principals =
      assignment.principalType === 'USER' ? known.users : known.groups;
    if (!principals.has(assignment.principalId)) {
      findings.push({
        code: 'assignment-orphaned-principal',
        message: `Assignment to a ${assignment.principalType.toLowerCase()} that no longer exists in the identity store (deleted or recreated): remove it`,
        subject: key,
      });
    }
  }
  return kept;
}

/** Identity Center memberships and ExternalIds that point at nothing, and a provisioning scope of unknowns. */
function* checkReferences(
  aws: { users: IdcUser[]; userIds: Set<string>; groups: IdcGroup[] },
  identity: { users: Set<string>; groups: Set<string>; side: IdentitySide },
  findings: SnapshotFinding[],
): Sliced<void> {
  const idcUserIds = aws.userIds;
  for (const group of aws.groups) {
    for (const memberId of group.memberUserIds) {
      yield;
      if (!idcUserIds.has(memberId)) {
        findings.push({
          code: 'membership-unknown-user',
          message: `Identity Center group ${group.displayName} lists a member that is not a user of the identity store`,
          subject: `${group.id}|${memberId}`,
        });
      }
    }
  }
  const orphaned = (kind: string, name: string, subject: string) =>
    findings.push({
      code: 'orphaned-external-id',
      message: `Identity Center ${kind} ${name} points at an Entra ${kind} that no longer exists`,
      subject,
    });
  for (const user of aws.users) {
    yield;
    if (user.externalId && !identity.users.has(user.externalId))
      orphaned('user', user.userName, user.id);
  }
  for (const group of aws.groups) {
    yield;
    if (group.externalId && !identity.groups.has(group.externalId))
      orphaned('group', group.displayName, group.id);
  }
  for (const principal of identity.side.provisioningScope) {
    yield;
    const known =
      principal.principalType === 'Group'
        ? identity.groups.has(principal.principalId)
        : identity.users.has(principal.principalId);
    if (!known) {
      findings.push({
        code: 'app-assignment-unknown-principal',
        message: `The AWS app is assigned to a ${principal.principalType.toLowerCase()} the directory does not list`,
        subject: principal.principalId,
      });
    }
  }
}

/**
 * Checks that every reference in the snapshot resolves (assignment → account, permission set, principal;
 * memberships → users and groups). Problems become findings the platform team sees; they never fail the run,
 * because real directories contain such leftovers (a recreated group orphans its assignments).
 * Returns a copy with duplicates removed.
 */
export function validateSnapshot(snapshot: Snapshot): Snapshot {
  return runAtOnce(validateSnapshotSliced(snapshot));
}

/** {@link validateSnapshot} as sliced work (slices.ts), for a sync at 20,000 people. */
export function* validateSnapshotSliced(snapshot: Snapshot): Sliced<Snapshot> {
  const findings: SnapshotFinding[] = [];
  const { identity, aws } = snapshot;
  const identityUsers = yield* dedupeById(
    identity.users,
    'Entra user',
    findings,
  );
  const identityGroups = yield* dedupeById(
    identity.groups,
    'Entra group',
    findings,
  );
  const idcUsers = yield* dedupeById(
    aws.users,
    'Identity Center user',
    findings,
  );
  const idcGroups = yield* dedupeById(
    aws.groups,
    'Identity Center group',
    findings,
  );
  const accounts = yield* dedupeById(aws.accounts, 'account', findings);
  const assignments = yield* checkAssignments(
    aws,
    { accounts: accounts.ids, users: idcUsers.ids, groups: idcGroups.ids },
    findings,
  );
  yield* checkReferences(
    { users: idcUsers.kept, userIds: idcUsers.ids, groups: idcGroups.kept },
    {
      users: identityUsers.ids,
      groups: identityGroups.ids,
      side: identity,
    },
    findings,
  );
  const sourceFindings: SnapshotFinding[] = [];
  for (const finding of snapshot.findings) {
    yield;
    if (finding.code.startsWith('source-')) sourceFindings.push(finding);
  }
  return {
    ...snapshot,
    identity: {
      ...identity,
      users: identityUsers.kept,
      groups: identityGroups.kept,
    },
    aws: {
      ...aws,
      users: idcUsers.kept,
      groups: idcGroups.kept,
      accounts: accounts.kept,
      assignments,
    },
    findings: [...sourceFindings, ...findings],
  };
}
