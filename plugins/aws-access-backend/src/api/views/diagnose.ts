import type {
  Diagnosis,
  DiagnosisFinding,
} from '@aws-access/plugin-aws-access-common';
import {
  isBeingRemoved,
  isInFlight,
  isStuck,
  isUsable,
} from '@aws-access/plugin-aws-access-common';
import type {
  AccessIndex,
  Person,
  PersonGrant,
} from '../../snapshot/AccessIndex';
import { toAccount } from '../../snapshot/dto';
import type { AccountRecord, IdentityGroup } from '../../snapshot/model';
import { permissionSetNameOf } from './common';

const CERTIFICATE_WARNING_DAYS = 30;

/** What every step of the walk looks at: one person, one account, at one moment. */
interface Walk {
  index: AccessIndex;
  person: Person;
  account: AccountRecord;
  now: Date;
  name: string;
  /** The person's grants on the account. */
  grants: PersonGrant[];
  hasAccess: boolean;
  /** Groups with an assignment on the account that the person is directly in. */
  directGranting: IdentityGroup[];
  /** Where groups are managed: Entra ID, or Identity Center itself when it is read alone. */
  directory: 'Entra ID' | 'IAM Identity Center';
}

/** The groups that grant anything on the account, and which of them the person is in directly or only nested. */
function grantingGroups(walk: Omit<Walk, 'directGranting' | 'directory'>) {
  const { index, account } = walk;
  const accountAssignments = index.assignmentsByAccount.get(account.id) ?? [];
  const granting = new Map<string, IdentityGroup>();
  for (const assignment of accountAssignments) {
    if (assignment.principalType !== 'GROUP') continue;
    const group = index.identityGroupByIdcGroupId.get(assignment.principalId);
    if (group) granting.set(group.id, group);
  }
  const userId = walk.person.identityUser?.id;
  const direct = userId
    ? [...granting.values()].filter(g => g.memberUserIds.includes(userId))
    : [];
  const nested = userId
    ? [...granting.values()].filter(
        g => !direct.includes(g) && index.transitiveUserIds(g).includes(userId),
      )
    : [];
  return {
    all: granting,
    direct,
    nested,
    userAssignments: accountAssignments.some(a => a.principalType === 'USER'),
  };
}

/** The access the person has on the account now, each grant with the paths AWS lets them use. */
function accessFindings(walk: Walk): DiagnosisFinding[] {
  const { index, now, name, account } = walk;
  if (!walk.hasAccess) return [];
  return walk.grants
    .filter(g => g.paths.some(p => p.inAws))
    .map(grant => {
      const removing = isBeingRemoved(index.stateAt(grant, now));
      const paths = grant.paths
        .filter(p => p.inAws)
        .map(p => p.name)
        .join(', ');
      return {
        code: 'has-access',
        severity: removing ? 'warning' : 'ok',
        title: `${name} can sign in to ${account.name} as ${permissionSetNameOf(
          index,
          grant.permissionSetArn,
        )}`,
        detail: removing
          ? `AWS still allows it through ${paths}, but Entra no longer intends it: it goes at the next provisioning cycle.`
          : `Through ${paths}.`,
        fix: removing
          ? 'Run provision-on-demand for the user to remove it now.'
          : undefined,
      };
    });
}

/** Identity Center alone: only a disabled Identity Center user stops the person here. */
function identityCenterUserFindings({
  person,
  name,
}: Walk): DiagnosisFinding[] {
  if (person.idcUser?.status !== 'DISABLED') return [];
  return [
    {
      code: 'identity-center-user-disabled',
      severity: 'error',
      title: `${name} is disabled in IAM Identity Center`,
      detail: 'Disabled users cannot sign in to the AWS access portal.',
      fix: 'If this is not a leaver, enable the user in IAM Identity Center → Users.',
    },
  ];
}

/** Identity Center alone: what this walk cannot check, said once. */
const NO_IDENTITY_SOURCE: DiagnosisFinding = {
  code: 'no-identity-source',
  severity: 'info',
  title: 'IAM Identity Center is read alone',
  detail:
    'This backend has no identity source (awsAccess.entra), so Entra group membership, the AWS enterprise application, provisioning and SAML are not checked: Identity Center users, groups and assignments are the whole story.',
};

function identityUserFindings({ person, name }: Walk): DiagnosisFinding[] {
  const user = person.identityUser;
  if (!user) {
    return [
      {
        code: 'no-entra-user',
        severity: 'error',
        title: `${name} has no Entra user`,
        detail:
          'The Identity Center user points at an Entra user that no longer exists.',
        fix: 'If the person left, delete or disable the Identity Center user; otherwise correct the ExternalId by re-provisioning.',
      },
    ];
  }
  if (user.accountEnabled) return [];
  return [
    {
      code: 'entra-user-disabled',
      severity: 'error',
      title: `${name} is disabled in Entra ID`,
      detail:
        'Disabled users cannot sign in, and SCIM disables them in AWS at the next cycle.',
      fix: 'If this is not a leaver, enable the account in Entra ID → Users.',
    },
  ];
}

/** 1. Is the person in a group that grants anything on this account? */
function membershipFindings(
  walk: Walk,
  groups: ReturnType<typeof grantingGroups>,
): DiagnosisFinding[] {
  const { index, name, account, hasAccess } = walk;
  const groupNames = [...groups.all.values()].map(g => g.displayName).sort();
  if (groups.all.size === 0 && !groups.userAssignments) {
    return [
      {
        code: 'no-assignment-on-account',
        severity: 'error',
        title: `No group is assigned to ${account.name}`,
        detail: `${account.name} (${
          account.id
        }) has no account assignment for any ${
          walk.directory === 'Entra ID' ? 'Entra' : 'Identity Center'
        } group.`,
        fix: `In IAM Identity Center → AWS accounts → ${account.name}, assign the team's group a permission set (or apply the onboarding baseline).`,
      },
    ];
  }
  if (groups.direct.length === 0 && groups.nested.length > 0) {
    const group = groups.nested[0];
    const via = index.nestedMembers(group).get(walk.person.identityUser!.id);
    return [
      {
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
      },
    ];
  }
  if (groups.direct.length === 0 && !hasAccess) {
    return [
      {
        code: 'not-in-group',
        severity: 'error',
        title: `${name} is not in a group that grants access to ${account.name}`,
        detail: `Groups with access to ${account.name}: ${
          groupNames.join(', ') || 'none'
        }.`,
        fix: `Add ${name} to one of ${groupNames.join(', ')} in ${
          walk.directory
        } (ask the group's owner or your team lead).`,
      },
    ];
  }
  if (groups.direct.length === 0) return [];
  return [
    {
      code: 'in-group',
      severity: 'ok',
      title: `${name} is a member of ${groups.direct
        .map(g => g.displayName)
        .join(', ')}`,
      detail: `These groups have assignments on ${account.name}.`,
    },
  ];
}

/** 2. Is each of those groups assigned to the AWS enterprise application (in SCIM scope)? */
function scopeFindings({ index, directGranting }: Walk): DiagnosisFinding[] {
  return directGranting
    .filter(group => !index.scopedGroupIds.has(group.id))
    .map(group => ({
      code: 'group-not-assigned-to-app',
      severity: 'error',
      title: `${group.displayName} is not assigned to the AWS enterprise application`,
      detail:
        'Only users and groups assigned to the application are provisioned to AWS.',
      fix: `Entra ID → Enterprise applications → ${index.snapshot.identity.app.displayName} → Users and groups → Add ${group.displayName}.`,
    }));
}

/** 3. Is provisioning working? */
function provisioningJobFindings({ index }: Walk): DiagnosisFinding[] {
  const job = index.snapshot.identity.provisioning;
  if (job.status === 'Quarantine') {
    return [
      {
        code: 'provisioning-quarantined',
        severity: 'error',
        title: 'Entra provisioning to AWS is quarantined',
        detail: `Reason: ${job.quarantineReason ?? 'unknown'}${
          job.lastError ? ` (${job.lastError})` : ''
        }. No changes reach AWS until it is fixed.`,
        fix: 'Usually the SCIM token expired: in IAM Identity Center → Settings → Automatic provisioning, regenerate the access token, paste it as Secret Token in Entra → Enterprise applications → AWS IAM Identity Center → Provisioning, Test Connection, then Restart provisioning.',
      },
    ];
  }
  if (!['Paused', 'NotConfigured', 'NotRun'].includes(job.status)) return [];
  return [
    {
      code: 'provisioning-not-running',
      severity: 'error',
      title: `Entra provisioning to AWS is ${job.status}`,
      detail: 'Changes in Entra do not reach AWS while provisioning is off.',
      fix: 'Entra → Enterprise applications → AWS IAM Identity Center → Provisioning: set Provisioning Status to On.',
    },
  ];
}

function pendingTitle(name: string, idcUser: Person['idcUser']): string {
  if (!idcUser) return `${name} does not exist in IAM Identity Center yet`;
  if (idcUser.status !== 'ENABLED')
    return `${name} is disabled in IAM Identity Center`;
  return `${name}'s membership has not reached IAM Identity Center yet`;
}

/** 4. Has SCIM created the user and the membership? */
function scimFindings(walk: Walk): DiagnosisFinding[] {
  const { index, person, name, now } = walk;
  const user = person.identityUser;
  if (
    !user?.accountEnabled ||
    !walk.directGranting.some(g => index.scopedGroupIds.has(g.id))
  )
    return [];
  const findings: DiagnosisFinding[] = [];
  const failures = index.snapshot.identity.provisioningLog.filter(
    e => e.sourceId === user.id && e.status === 'failure',
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
  const states = walk.grants.map(g => index.stateAt(g, now));
  const idcUser = person.idcUser;
  if (!idcUser || idcUser.status !== 'ENABLED' || states.some(isInFlight)) {
    const stuck = states.some(isStuck);
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
  return findings;
}

/** 5. Is the permission set provisioned to the account? */
function permissionSetFindings({ index, account }: Walk): DiagnosisFinding[] {
  return index.snapshot.aws.provisioningFailures
    .filter(f => f.accountId === account.id)
    .map(failure => {
      const ps = permissionSetNameOf(index, failure.permissionSetArn);
      return {
        code: 'permission-set-not-provisioned',
        severity: 'error',
        title: `${ps} is not provisioned to ${account.name}`,
        detail:
          'The assignment exists, but the latest version of the permission set failed to provision to the account, so its role may be missing or outdated.',
        fix: `IAM Identity Center → Permission sets → ${ps} → AWS accounts → select ${account.name} → Reprovision.`,
      };
    });
}

/** SAML: an expired signing certificate breaks every sign-in ("Invalid SAML response"). */
function certificateFindings({ index, now }: Walk): DiagnosisFinding[] {
  const expires = index.snapshot.identity.app.samlCertificateExpires;
  const soon =
    Date.parse(expires ?? '') - now.getTime() <
    CERTIFICATE_WARNING_DAYS * 86_400_000;
  if (!expires || !soon) return [];
  const expired = Date.parse(expires) < now.getTime();
  return [
    {
      code: expired ? 'saml-certificate-expired' : 'saml-certificate-expiring',
      severity: expired ? 'error' : 'warning',
      title: expired
        ? 'The SAML signing certificate has expired'
        : `The SAML signing certificate expires on ${expires.slice(0, 10)}`,
      detail:
        'With an expired certificate, sign-in to the AWS access portal fails with "Invalid SAML response".',
      fix: 'Create a new certificate in Entra → Enterprise applications → AWS IAM Identity Center → Single sign-on, download the federation metadata and upload it in IAM Identity Center → Settings → Identity source.',
    },
  ];
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
  const grants = person.grants.filter(g => g.accountId === account.id);
  const base = {
    index,
    person,
    account,
    now,
    name: person.displayName,
    grants,
    hasAccess: grants.some(
      g => g.paths.some(p => p.inAws) && isUsable(index.stateAt(g, now)),
    ),
  };
  const groups = grantingGroups(base);
  const entra = index.snapshot.identity.source === 'entra';
  const walk: Walk = {
    ...base,
    directGranting: groups.direct,
    directory: entra ? 'Entra ID' : 'IAM Identity Center',
  };
  // Without an identity source, the steps about Entra (scope, provisioning, SCIM, SAML) have nothing to check.
  const findings = [
    ...accessFindings(walk),
    ...(entra ? identityUserFindings(walk) : identityCenterUserFindings(walk)),
    ...membershipFindings(walk, groups),
    ...(entra
      ? [
          ...scopeFindings(walk),
          ...provisioningJobFindings(walk),
          ...scimFindings(walk),
        ]
      : [NO_IDENTITY_SOURCE]),
    ...permissionSetFindings(walk),
    ...(entra ? certificateFindings(walk) : []),
  ];
  if (
    !walk.hasAccess &&
    findings.every(f => f.severity === 'ok' || f.severity === 'info')
  ) {
    findings.push({
      code: 'no-access-unexplained',
      severity: 'warning',
      title: `${walk.name} has no access to ${account.name}, and no check above explains it`,
      detail:
        'The data may be older than the change; wait for the next sync or trigger one.',
    });
  }
  return {
    user: index.accessUser(person),
    account: toAccount(account),
    hasAccess: walk.hasAccess,
    findings,
  };
}
