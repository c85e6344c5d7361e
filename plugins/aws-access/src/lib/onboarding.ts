import type {
  AccountCompliance,
  AssignmentCall,
  AssignmentCallResult,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';

/**
 * Non-compliant accounts first; otherwise the backend's order (by name) is kept, so the table does not depend on
 * the backend having sorted.
 */
export function orderAccounts(
  accounts: AccountCompliance[],
  options: { onlyNonCompliant?: boolean } = {},
): AccountCompliance[] {
  const nonCompliant = accounts.filter(account => !account.compliant);
  if (options.onlyNonCompliant) {
    return nonCompliant;
  }
  return [...nonCompliant, ...accounts.filter(account => account.compliant)];
}

/** Every call of a plan in the order the backend applies them: creations, then deletions. */
export function planCalls(plan: OnboardingPlan): AssignmentCall[] {
  return [...plan.create, ...plan.delete];
}

/** How many calls of an applied plan succeeded, failed and were skipped. */
export function countOutcomes(
  results: AssignmentCallResult[],
): Record<AssignmentCallResult['outcome'], number> {
  const counts = { succeeded: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    counts[result.outcome] += 1;
  }
  return counts;
}
