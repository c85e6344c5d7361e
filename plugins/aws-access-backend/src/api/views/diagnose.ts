import type {
  Diagnosis,
  DiagnosisFinding,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { AccountRecord, EntraGroup } from '../../snapshot/model';
import { toAccount } from './accessViews';

const CERTIFICATE_WARNING_DAYS = 30;

function permissionSetName(index: AccessIndex, arn: string) {
  return index.permissionSetsByArn.get(arn)?.name ?? arn;
}

/**
 * "Why can't I see account X?": the seed article's troubleshooting table walked against the snapshot, in its
 * order — group membership, the group's assignment to the AWS app, the provisioning job, the user and
 * membership in Identity Center, an assignment on the account, and provisioning of the permission set there.
 * Each finding says what a platform engineer should do.
 */
export function diagnose(
  index: AccessIndex,
  person: Person,
  account: AccountRecord,
  now: Date,
): Diagnosis {
  const findings: DiagnosisFinding[] = [];
  const name = person.displayName;
  const entraUser = person.entraUser;
  const grants = person.grants.filter(g => g.accountId === account.id);
  const usable = grants.filter(g => g.paths.some(p => p.inAws));
  const hasAccess = usable.some(
    g =>
      index.stateAt(g, now) === 'active' ||
      index.stateAt(g, now) === 'revoking',
  );

  if (hasAccess) {
    for (const grant of usable) {
      findings.push({
        code: 'has-access',
        severity: index.stateAt(grant, now) === 'revoking' ? 'warning' : 'ok',
        title: `${name} can sign in to ${account.name} as ${permissionSetName(
          index,
          grant.permissionSetArn,
        )}`,
        detail:
          index.stateAt(grant, now) === 'revoking'
            ? `AWS still allows it through ${grant.paths
                .filter(p => p.inAws)
                .map(p => p.name)
                .join(
                  ', ',
                )}, but Entra no longer intends it: it goes at the next provisioning cycle.`
            : `Through ${grant.paths
                .filter(p => p.inAws)
                .map(p => p.name)
                .join(', ')}.`,
        fix:
          index.stateAt(grant, now) === 'revoking'
            ? 'Run provision-on-demand for the user to remove it now.'
            : undefined,
      });
    }
  }

  if (!entraUser) {
    findings.push({
      code: 'no-entra-user',
      severity: 'error',
      title: `${name} has no Entra user`,
      detail:
        'The Identity Center user points at an Entra user that no longer exists.',
      fix: 'If the person left, delete or disable the Identity Center user; otherwise correct the ExternalId by re-provisioning.',
    });
  } else if (!entraUser.accountEnabled) {
    findings.push({
      code: 'entra-user-disabled',
      severity: 'error',
      title: `${name} is disabled in Entra ID`,
      detail:
        'Disabled users cannot sign in, and SCIM disables them in AWS at the next cycle.',
      fix: 'If this is not a leaver, enable the account in Entra ID → Users.',
    });
  }

  // 1. Is the person in a group that grants anything on this account?
  const accountAssignments = index.assignmentsByAccount.get(account.id) ?? [];
  const grantingGroups = new Map<string, EntraGroup>();
  for (const assignment of accountAssignments) {
    if (assignment.principalType !== 'GROUP') continue;
    const group = index.entraGroupByIdcGroupId.get(assignment.principalId);
    if (group) grantingGroups.set(group.id, group);
  }
  const directGranting = entraUser
    ? [...grantingGroups.values()].filter(g =>
        g.memberUserIds.includes(entraUser.id),
      )
    : [];
  const nestedGranting = entraUser
    ? [...grantingGroups.values()].filter(
        g =>
          !directGranting.includes(g) &&
          index.transitiveUserIds(g).includes(entraUser.id),
      )
    : [];
  const groupNames = [...grantingGroups.values()]
    .map(g => g.displayName)
    .sort();

  if (
    grantingGroups.size === 0 &&
    !accountAssignments.some(a => a.principalType === 'USER')
  ) {
    findings.push({
      code: 'no-assignment-on-account',
      severity: 'error',
      title: `No group is assigned to ${account.name}`,
      detail: `${account.name} (${account.id}) has no account assignment for any Entra group.`,
      fix: `In IAM Identity Center → AWS accounts → ${account.name}, assign the team's group a permission set (or apply the onboarding baseline).`,
    });
  } else if (directGranting.length === 0 && nestedGranting.length > 0) {
    const group = nestedGranting[0];
    const via = index.transitiveUserIds(group).includes(entraUser!.id)
      ? nestedVia(index, group, entraUser!.id)
      : undefined;
    findings.push({
      code: 'nested-group-membership',
      severity: 'error',
      title: `${name} is in ${
        group.displayName
      } only through the nested group ${via?.displayName ?? 'another group'}`,
      detail:
        'SCIM provisioning to AWS IAM Identity Center does not flatten nested groups: members of a group inside an assigned group never reach AWS.',
      fix: `Add ${name} directly to ${group.displayName} in Entra ID${
        via
          ? `, or assign ${via.displayName} itself to the AWS app and give it an assignment on ${account.name}`
          : ''
      }.`,
    });
  } else if (directGranting.length === 0 && !hasAccess) {
    findings.push({
      code: 'not-in-group',
      severity: 'error',
      title: `${name} is not in a group that grants access to ${account.name}`,
      detail: `Groups with access to ${account.name}: ${
        groupNames.join(', ') || 'none'
      }.`,
      fix: `Add ${name} to one of ${groupNames.join(
        ', ',
      )} in Entra ID (ask the group's owner or your team lead).`,
    });
  } else if (directGranting.length > 0) {
    findings.push({
      code: 'in-group',
      severity: 'ok',
      title: `${name} is a member of ${directGranting
        .map(g => g.displayName)
        .join(', ')}`,
      detail: `These groups have assignments on ${account.name}.`,
    });
  }

  // 2. Is that group assigned to the AWS enterprise application (in SCIM scope)?
  for (const group of directGranting) {
    if (!index.appAssignedGroupIds.has(group.id)) {
      findings.push({
        code: 'group-not-assigned-to-app',
        severity: 'error',
        title: `${group.displayName} is not assigned to the AWS enterprise application`,
        detail:
          'Only users and groups assigned to the application are provisioned to AWS.',
        fix: `Entra ID → Enterprise applications → ${index.snapshot.entra.app.displayName} → Users and groups → Add ${group.displayName}.`,
      });
    }
  }

  // 3. Is provisioning working?
  const job = index.snapshot.entra.provisioning;
  if (job.status === 'Quarantine') {
    findings.push({
      code: 'provisioning-quarantined',
      severity: 'error',
      title: 'Entra provisioning to AWS is quarantined',
      detail: `Reason: ${job.quarantineReason ?? 'unknown'}${
        job.lastError ? ` (${job.lastError})` : ''
      }. No changes reach AWS until it is fixed.`,
      fix: 'Usually the SCIM token expired: in IAM Identity Center → Settings → Automatic provisioning, regenerate the access token, paste it as Secret Token in Entra → Enterprise applications → AWS IAM Identity Center → Provisioning, Test Connection, then Restart provisioning.',
    });
  } else if (
    job.status === 'Paused' ||
    job.status === 'NotConfigured' ||
    job.status === 'NotRun'
  ) {
    findings.push({
      code: 'provisioning-not-running',
      severity: 'error',
      title: `Entra provisioning to AWS is ${job.status}`,
      detail: 'Changes in Entra do not reach AWS while provisioning is off.',
      fix: 'Entra → Enterprise applications → AWS IAM Identity Center → Provisioning: set Provisioning Status to On.',
    });
  }

  // 4. Has SCIM created the user and the membership?
  if (
    entraUser?.accountEnabled &&
    directGranting.some(g => index.appAssignedGroupIds.has(g.id))
  ) {
    const idcUser = person.idcUser;
    const failures = index.snapshot.entra.provisioningLog.filter(
      e => e.sourceId === entraUser.id && e.status === 'failure',
    );
    const pending = grants.filter(
      g =>
        index.stateAt(g, now) === 'pending' ||
        index.stateAt(g, now) === 'stuck',
    );
    if (failures.length > 0) {
      const last = failures[failures.length - 1];
      findings.push({
        code: 'provisioning-failed-for-user',
        severity: 'error',
        title: `Provisioning ${name} to AWS failed`,
        detail: `Entra's provisioning log (${last.at}): ${
          last.reason ?? 'no reason given'
        }.`,
        fix: 'Check the user has first name, last name, display name and a single unique email (AWS requires them), then provision on demand.',
      });
    }
    if (!idcUser || idcUser.status !== 'ENABLED' || pending.length > 0) {
      const stuck = pending.some(g => index.stateAt(g, now) === 'stuck');
      const next = index.nextCycleAt(now);
      findings.push({
        code: stuck ? 'provisioning-overdue' : 'provisioning-pending',
        severity: stuck ? 'error' : 'info',
        title: pendingTitle(name, idcUser),
        detail: stuck
          ? 'The change is older than two provisioning cycles.'
          : `Entra provisions every ${Math.round(
              index.provisioningIntervalSeconds / 60,
            )} minutes${next ? `; the next cycle is due ≈ ${next}` : ''}.`,
        fix: 'Provision on demand (Entra → Enterprise applications → AWS IAM Identity Center → Provisioning → Provision on demand, or the button on the AWS access page).',
      });
    }
  }

  // 5. Does an assignment exist, and is the permission set provisioned to the account?
  for (const failure of index.snapshot.aws.provisioningFailures.filter(
    f => f.accountId === account.id,
  )) {
    const ps = permissionSetName(index, failure.permissionSetArn);
    findings.push({
      code: 'permission-set-not-provisioned',
      severity: 'error',
      title: `${ps} is not provisioned to ${account.name}`,
      detail:
        'The assignment exists, but the latest version of the permission set failed to provision to the account, so its role may be missing or outdated.',
      fix: `IAM Identity Center → Permission sets → ${ps} → AWS accounts → select ${account.name} → Reprovision.`,
    });
  }

  // SAML: an expired signing certificate breaks every sign-in ("Invalid SAML response").
  const expires = index.snapshot.entra.app.samlCertificateExpires;
  if (
    expires &&
    Date.parse(expires) - now.getTime() < CERTIFICATE_WARNING_DAYS * 86_400_000
  ) {
    const expired = Date.parse(expires) < now.getTime();
    findings.push({
      code: expired ? 'saml-certificate-expired' : 'saml-certificate-expiring',
      severity: expired ? 'error' : 'warning',
      title: expired
        ? 'The SAML signing certificate has expired'
        : `The SAML signing certificate expires on ${expires.slice(0, 10)}`,
      detail:
        'With an expired certificate, sign-in to the AWS access portal fails with "Invalid SAML response".',
      fix: 'Create a new certificate in Entra → Enterprise applications → AWS IAM Identity Center → Single sign-on, download the federation metadata and upload it in IAM Identity Center → Settings → Identity source.',
    });
  }

  if (
    !hasAccess &&
    findings.every(f => f.severity === 'ok' || f.severity === 'info')
  ) {
    findings.push({
      code: 'no-access-unexplained',
      severity: 'warning',
      title: `${name} has no access to ${account.name}, and no check above explains it`,
      detail:
        'The data may be older than the change; wait for the next sync or trigger one.',
    });
  }

  return {
    user: index.accessUser(person),
    account: toAccount(account),
    hasAccess,
    findings,
  };
}

function pendingTitle(name: string, idcUser: Person['idcUser']): string {
  if (!idcUser) return `${name} does not exist in IAM Identity Center yet`;
  if (idcUser.status !== 'ENABLED')
    return `${name} is disabled in IAM Identity Center`;
  return `${name}'s membership has not reached IAM Identity Center yet`;
}

/** The nested group through which a user is in `group`. */
function nestedVia(
  index: AccessIndex,
  group: EntraGroup,
  userId: string,
): EntraGroup | undefined {
  const queue = [...group.memberGroupIds];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const nested = index.entraGroupsById.get(id);
    if (!nested) continue;
    if (nested.memberUserIds.includes(userId)) return nested;
    queue.push(...nested.memberGroupIds);
  }
  return undefined;
}
