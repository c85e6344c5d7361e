import type {
  DriftEntry,
  DriftReport,
  GrantState,
  LintFinding,
} from '@aws-access/plugin-aws-access-common';
import {
  GrantState as States,
  isActive,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex } from '../../snapshot/AccessIndex';
import { toAccount } from '../../snapshot/dto';
import {
  accountNameOf,
  permissionSetNameOf,
  principalOf,
  syncSummary,
} from './common';

type DriftList = 'pending' | 'stuck' | 'revoking' | 'nested';

/** The drift report's list of each state that needs attention. */
const LIST_OF: Record<Exclude<GrantState, 'active'>, DriftList> = {
  [States.pending]: 'pending',
  [States.stuck]: 'stuck',
  [States.revoking]: 'revoking',
  [States.unsupportedNesting]: 'nested',
};

const HOUR = 3600;
function isoDurationSeconds(value: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!match) return 0;
  return (
    Number(match[1] ?? 0) * HOUR +
    Number(match[2] ?? 0) * 60 +
    Number(match[3] ?? 0)
  );
}

/** `account / permission set` of an assignment or pair, by name where the snapshot knows them. */
function pairLabel(
  index: AccessIndex,
  pair: { accountId: string; permissionSetArn: string },
) {
  return {
    account: accountNameOf(index, pair.accountId),
    permissionSet: permissionSetNameOf(index, pair.permissionSetArn),
  };
}

/** A lint finding about one (account, permission set), with its message in the pair's names. */
function pairFinding(
  index: AccessIndex,
  pair: { accountId: string; permissionSetArn: string },
  finding: Pick<LintFinding, 'code' | 'severity' | 'principal'>,
  message: (label: ReturnType<typeof pairLabel>) => string,
): LintFinding {
  return {
    ...finding,
    permissionSet: index.permissionSetsByArn.get(pair.permissionSetArn)?.name,
    accountId: pair.accountId,
    message: message(pairLabel(index, pair)),
  };
}

/** Admin permission sets with sessions over 4 hours, unused sets, user-level assignments, failed provisioning. */
export function lintPermissionSets(index: AccessIndex): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const ps of index.snapshot.aws.permissionSets) {
    const admin = ps.managedPolicies.some(
      p =>
        /AdministratorAccess$/.test(p.arn) || p.name === 'AdministratorAccess',
    );
    if (admin && isoDurationSeconds(ps.sessionDuration) > 4 * HOUR) {
      findings.push({
        code: 'admin-session-too-long',
        severity: 'warning',
        permissionSet: ps.name,
        message: `${ps.name} grants AdministratorAccess for ${ps.sessionDuration}; keep admin sessions at PT4H or less`,
      });
    }
    if (!index.assignmentsByPermissionSet.get(ps.arn)?.length) {
      findings.push({
        code: 'permission-set-unassigned',
        severity: 'warning',
        permissionSet: ps.name,
        message: `${ps.name} is not assigned anywhere`,
      });
    }
  }
  for (const assignment of index.snapshot.aws.assignments) {
    if (assignment.principalType !== 'USER') continue;
    const holder = principalOf(index, 'USER', assignment.principalId).name;
    findings.push(
      pairFinding(
        index,
        assignment,
        {
          code: 'user-level-assignment',
          severity: 'warning',
          principal: holder,
        },
        label =>
          `${holder} holds ${label.permissionSet} on ${label.account} directly, not through a group`,
      ),
    );
  }
  for (const failure of index.snapshot.aws.provisioningFailures) {
    findings.push(
      pairFinding(
        index,
        failure,
        { code: 'provisioning-failed', severity: 'error' },
        label =>
          `The latest version of ${label.permissionSet} is not provisioned to ${label.account}: re-provision it`,
      ),
    );
  }
  return findings;
}

/** Every grant that is not active, by state. */
function driftLists(index: AccessIndex, now: Date) {
  const lists: Record<DriftList, DriftEntry[]> = {
    pending: [],
    stuck: [],
    revoking: [],
    nested: [],
  };
  for (const person of index.persons) {
    for (const grant of person.grants) {
      const state = index.stateAt(grant, now);
      if (isActive(state)) continue;
      const label = pairLabel(index, grant);
      lists[LIST_OF[state]].push({
        user: index.accessUser(person),
        accountId: grant.accountId,
        accountName: label.account,
        permissionSet: label.permissionSet,
        state,
        via: grant.paths.map(p => p.name),
        since: grant.since,
      });
    }
  }
  return lists;
}

/** `GET /drift`: everything the platform team should look at. */
export function driftReport(
  index: AccessIndex,
  now: Date,
  staleAfterMs: number,
): DriftReport {
  const assigned = new Set(
    index.snapshot.aws.assignments.map(a => a.accountId),
  );
  return {
    sync: syncSummary(index, now, staleAfterMs),
    ...driftLists(index, now),
    unmanaged: index.unmanaged.map(u => ({
      type: u.type,
      id: u.id,
      name: u.name,
      assignments: u.assignments.map(a => {
        const label = pairLabel(index, a);
        return `${label.account} / ${label.permissionSet}`;
      }),
    })),
    accountsWithoutAssignments: index.snapshot.aws.accounts
      .filter(a => a.status === 'ACTIVE' && !assigned.has(a.id))
      .map(toAccount),
    lint: [...lintPermissionSets(index), ...sharedEmailFindings(index)],
  };
}

/**
 * People who share an email: matching a Backstage user by that email would be a guess, so it matches nobody
 * (`awsAccess.userMatching.byEmail`); the platform team should give them distinct addresses or annotate users.
 */
export function sharedEmailFindings(index: AccessIndex): LintFinding[] {
  return index.sharedEmails().map(({ email, people }) => {
    const names = people.map(p => p.idcUser?.userName ?? p.displayName);
    return {
      code: 'shared-email',
      severity: 'warning',
      principal: names.join(', '),
      message: `${names.join(
        ', ',
      )} share the email ${email}: it identifies none of them, so a Backstage user that carries only this email matches nobody. Give them distinct emails, or annotate the catalog users with graph.microsoft.com/user-id.`,
    };
  });
}
