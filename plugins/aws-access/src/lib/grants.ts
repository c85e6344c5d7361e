import type {
  Grant,
  GrantPath,
  GrantState,
} from '@aws-access/plugin-aws-access-common';
import { isInFlight } from '@aws-access/plugin-aws-access-common';
import { compareGrantStrength } from './ranking';

/** Grants of one account. */
export interface AccountGrants {
  accountId: string;
  accountName: string;
  accountOu?: string;
  grants: Grant[];
}

/** Groups grants by account, accounts by name, grants strongest first. */
export function groupGrantsByAccount(grants: Grant[]): AccountGrants[] {
  const byAccount = new Map<string, AccountGrants>();
  for (const grant of grants) {
    let group = byAccount.get(grant.accountId);
    if (!group) {
      group = {
        accountId: grant.accountId,
        accountName: grant.accountName,
        accountOu: grant.accountOu,
        grants: [],
      };
      byAccount.set(grant.accountId, group);
    }
    group.grants.push(grant);
  }
  return [...byAccount.values()]
    .sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) ||
        a.accountId.localeCompare(b.accountId),
    )
    .map(group => ({
      ...group,
      grants: [...group.grants].sort(compareGrantStrength),
    }));
}

/** True when provisioning has not caught up with some grant (the person could ask for provisioning now). */
export function hasUnprovisionedGrants(grants: Grant[]): boolean {
  return grants.some(grant => isInFlight(grant.state));
}

/** The paths of a grant that are in one of the given states; all paths when none is. */
export function pathsInState(grant: Grant, states: GrantState[]): GrantPath[] {
  const matching = grant.via.filter(path => states.includes(path.state));
  return matching.length > 0 ? matching : grant.via;
}

/** `A, B and C`-style joining without a language-specific conjunction: `A, B, C`. */
export function joinNames(names: string[]): string {
  return [...new Set(names)].join(', ');
}
