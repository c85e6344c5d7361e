import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MutationPlan } from './planMutation';
import type { ProjectionIndex } from './projection';

/** Issues logged one by one per refresh; the rest are counted. */
const MAX_ISSUES_LOGGED = 20;

/** One warning per record the projection skipped or renamed, at most 20, then how many more there were. */
export function logMappingIssues(
  logger: LoggerService,
  index: ProjectionIndex,
): void {
  for (const issue of index.issues.slice(0, MAX_ISSUES_LOGGED)) {
    logger.warn(`aws-access projection: ${issue.subject}: ${issue.message}`, {
      snapshotVersion: index.snapshotVersion,
      subject: issue.subject,
    });
  }
  if (index.issues.length > MAX_ISSUES_LOGGED) {
    logger.warn(
      `aws-access projection: ${
        index.issues.length - MAX_ISSUES_LOGGED
      } more records skipped or renamed`,
      { snapshotVersion: index.snapshotVersion },
    );
  }
}

/** The line that says what a refresh applied, with its counts as fields. */
export function logApplied(
  logger: LoggerService,
  index: ProjectionIndex,
  plan: Exclude<MutationPlan, { type: 'refused' }>,
  refreshedKeys: number,
): void {
  logger.info(
    `Projected aws-access snapshot ${index.snapshotVersion} (${plan.type}): ` +
      `${plan.counts.added} added, ${plan.counts.updated} updated, ${plan.counts.removed} removed, ` +
      `${plan.counts.unchanged} unchanged`,
    {
      snapshotVersion: index.snapshotVersion,
      mutation: plan.type,
      ...plan.counts,
      accounts: index.emitted.accounts,
      permissionSets: index.emitted.permissionSets,
      groups: index.emitted.groups,
      users: index.emitted.users,
      skipped: index.skipped,
      unmanagedAssignments: index.unmanagedAssignments,
      relationRefreshKeys: refreshedKeys,
    },
  );
}
