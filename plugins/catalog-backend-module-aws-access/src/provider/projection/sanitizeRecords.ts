import type {
  AwsAccount,
  CatalogProjection,
  PermissionSet,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { runAtOnce } from '@aws-access/plugin-aws-access-node/alpha';
import { asArray, cleanText, isNonEmptyString } from '../sanitize';
import type { MappingReport } from './MappingReport';
import type { ProjectionAssignment, ProjectionRecords } from './types';

const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * Step 1: the records that can become entities. A record without its key fields, or listed a second time, is
 * skipped with an issue; the rest of the batch goes on.
 */
export function sanitizeRecords(
  projection: CatalogProjection,
  report: MappingReport,
): ProjectionRecords {
  return runAtOnce(sanitizeRecordsSliced(projection, report));
}

/** {@link sanitizeRecords}, one record a step. */
export function* sanitizeRecordsSliced(
  projection: CatalogProjection,
  report: MappingReport,
): Sliced<ProjectionRecords> {
  const accounts = asArray<AwsAccount>(projection.accounts);
  const permissionSets = asArray<PermissionSet>(projection.permissionSets);
  const groups = asArray<ProjectedEntraGroup>(projection.entraGroups);
  const users = asArray<ProjectedEntraUser>(projection.entraUsers);
  const assignments = asArray<ProjectionAssignment>(projection.assignments);
  return {
    received: {
      accounts: accounts.length,
      permissionSets: permissionSets.length,
      entraGroups: groups.length,
      entraUsers: users.length,
      assignments: assignments.length,
    },
    accounts: yield* sanitizeAccounts(accounts, report),
    permissionSets: yield* sanitizePermissionSets(permissionSets, report),
    groups: yield* sanitizeGroups(groups, report),
    users: yield* sanitizeUsers(users, report),
    assignments,
  };
}

function* sanitizeAccounts(
  accounts: AwsAccount[],
  report: MappingReport,
): Sliced<AwsAccount[]> {
  const kept: AwsAccount[] = [];
  const seen = new Set<string>();
  for (const account of accounts) {
    yield;
    const id = account && typeof account === 'object' ? account.id : undefined;
    if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) {
      report.skip(
        `account ${cleanText(String(id), 40)}`,
        'not a 12-digit account id; skipped',
      );
      continue;
    }
    if (seen.has(id)) {
      report.skip(`account ${id}`, 'listed twice; later copy skipped');
      continue;
    }
    seen.add(id);
    kept.push({
      ...account,
      name: typeof account.name === 'string' ? account.name : '',
    });
  }
  return kept;
}

function* sanitizePermissionSets(
  permissionSets: PermissionSet[],
  report: MappingReport,
): Sliced<PermissionSet[]> {
  const kept: PermissionSet[] = [];
  const seen = new Set<string>();
  for (const ps of permissionSets) {
    yield;
    if (!ps || typeof ps !== 'object' || !isNonEmptyString(ps.arn)) {
      report.skip('permission set', 'no ARN; skipped');
      continue;
    }
    if (seen.has(ps.arn)) {
      report.skip(
        `permission set ${ps.arn}`,
        'listed twice; later copy skipped',
      );
      continue;
    }
    seen.add(ps.arn);
    kept.push({ ...ps, name: typeof ps.name === 'string' ? ps.name : '' });
  }
  return kept;
}

function* sanitizeGroups(
  groups: ProjectedEntraGroup[],
  report: MappingReport,
): Sliced<ProjectedEntraGroup[]> {
  const kept: ProjectedEntraGroup[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    yield;
    if (
      !group ||
      !isNonEmptyString(group.id) ||
      !isNonEmptyString(group.displayName)
    ) {
      report.skip(
        `group ${cleanText(String(group?.id), 60)}`,
        'no id or displayName; skipped',
      );
      continue;
    }
    if (seen.has(group.id)) {
      report.skip(`group ${group.id}`, 'listed twice; later copy skipped');
      continue;
    }
    seen.add(group.id);
    kept.push(group);
  }
  return kept;
}

function* sanitizeUsers(
  users: ProjectedEntraUser[],
  report: MappingReport,
): Sliced<ProjectedEntraUser[]> {
  const kept: ProjectedEntraUser[] = [];
  const seen = new Set<string>();
  for (const user of users) {
    yield;
    if (
      !user ||
      !isNonEmptyString(user.id) ||
      !isNonEmptyString(user.displayName) ||
      !(isNonEmptyString(user.mail) || isNonEmptyString(user.userPrincipalName))
    ) {
      report.skip(
        `user ${cleanText(String(user?.id), 60)}`,
        'no id, displayName or mail/userPrincipalName; skipped',
      );
      continue;
    }
    if (seen.has(user.id)) {
      report.skip(`user ${user.id}`, 'listed twice; later copy skipped');
      continue;
    }
    seen.add(user.id);
    // The msgraph module leaves disabled accounts out; so do we, so that refs agree in both modes.
    if (user.accountEnabled !== false) {
      kept.push(user);
    }
  }
  return kept;
}
