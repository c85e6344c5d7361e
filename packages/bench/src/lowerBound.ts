import type { EmulatorState } from '@aws-access/emulators';

/**
 * The shape of an organisation that decides how many AWS calls a full inventory needs, taken from the ground
 * truth (the emulator's state), never from our own read.
 */
export interface OrgShape {
  /** Accounts in the organization (every status: ListAccounts returns them all). */
  accounts: number;
  /** Permission sets of the instance. */
  permissionSets: number;
  /** A_p: accounts each permission set is provisioned to, one entry per permission set (0 allowed). */
  accountsPerPermissionSet: number[];
  /** k: principals assigned on each provisioned (account, permission set) pair, one entry per pair. */
  principalsPerPair: number[];
  /** Identity store users and groups. */
  identityStoreUsers: number;
  identityStoreGroups: number;
  /** Direct members of each identity store group, one entry per group (0 allowed). */
  membersPerGroup: number[];
}

/** Page sizes the services allow (protocols.md §1.5): 100 for sso-admin and identitystore, 20 for Organizations. */
export const PAGE_SIZE = {
  ssoAdmin: 100,
  identityStore: 100,
  organizations: 20,
} as const;

/** Calls to list `n` items at `size` per page: at least one, even when the list is empty. */
export function pages(n: number, size: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`pages: ${n} is not a count`);
  return Math.max(1, Math.ceil(n / size));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The lower bound of one full inventory, by operation. */
export interface CallBreakdown {
  ListPermissionSets: number;
  ListAccountsForProvisionedPermissionSet: number;
  ListAccountAssignments: number;
  ListAccounts: number;
  ListUsers: number;
  ListGroups: number;
  ListGroupMemberships: number;
  /** sso-admin + identitystore: what the instance's shared 20 requests/s limit (and our 10/s budget) covers. */
  identityCenter: number;
  organizations: number;
  total: number;
}

/**
 * The lower bound of AWS calls for a complete read (architecture P1 and issue 10):
 *
 *   ⌈P/100⌉ + Σ_p ⌈A_p/100⌉ + Σ_pairs ⌈k/100⌉ + ⌈N/20⌉ + ⌈U/100⌉ + ⌈G/100⌉ + Σ_g ⌈m_g/100⌉
 *
 * where every listing costs at least one call (an empty list is still one request). The identity-store terms are
 * the pages needed to learn every user, group and membership (ListUsers, ListGroups, ListGroupMemberships).
 */
export function lowerBound(shape: OrgShape): CallBreakdown {
  const { ssoAdmin, identityStore, organizations } = PAGE_SIZE;
  if (shape.accountsPerPermissionSet.length !== shape.permissionSets) {
    throw new Error(
      `lowerBound: ${shape.accountsPerPermissionSet.length} A_p entries for ${shape.permissionSets} permission sets`,
    );
  }
  if (shape.membersPerGroup.length !== shape.identityStoreGroups) {
    throw new Error(
      `lowerBound: ${shape.membersPerGroup.length} m_g entries for ${shape.identityStoreGroups} groups`,
    );
  }
  const b = {
    ListPermissionSets: pages(shape.permissionSets, ssoAdmin),
    ListAccountsForProvisionedPermissionSet: sum(
      shape.accountsPerPermissionSet.map(a => pages(a, ssoAdmin)),
    ),
    ListAccountAssignments: sum(
      shape.principalsPerPair.map(k => pages(k, ssoAdmin)),
    ),
    ListAccounts: pages(shape.accounts, organizations),
    ListUsers: pages(shape.identityStoreUsers, identityStore),
    ListGroups: pages(shape.identityStoreGroups, identityStore),
    ListGroupMemberships: sum(
      shape.membersPerGroup.map(m => pages(m, identityStore)),
    ),
  };
  const identityCenter =
    b.ListPermissionSets +
    b.ListAccountsForProvisionedPermissionSet +
    b.ListAccountAssignments +
    b.ListUsers +
    b.ListGroups +
    b.ListGroupMemberships;
  return {
    ...b,
    identityCenter,
    organizations: b.ListAccounts,
    total: identityCenter + b.ListAccounts,
  };
}

/**
 * The naive strategy: list permission sets and accounts, then ListAccountAssignments for every account × every
 * permission set (one page each, or more where k > 100). Its identity-store reads are the same as the bound's.
 */
export function naiveCalls(shape: OrgShape): CallBreakdown {
  const bound = lowerBound(shape);
  const pairsWithMorePages = sum(
    shape.principalsPerPair.map(k => pages(k, PAGE_SIZE.ssoAdmin) - 1),
  );
  const ListAccountAssignments =
    shape.accounts * shape.permissionSets + pairsWithMorePages;
  const identityCenter =
    bound.ListPermissionSets +
    ListAccountAssignments +
    bound.ListUsers +
    bound.ListGroups +
    bound.ListGroupMemberships;
  return {
    ...bound,
    ListAccountsForProvisionedPermissionSet: 0,
    ListAccountAssignments,
    identityCenter,
    total: identityCenter + bound.ListAccounts,
  };
}

/**
 * What our IdentityCenterReader documents it spends (its class comment), on top of the bound: one extra
 * ListAccountsForProvisionedPermissionSet per permission set (the LATEST_PERMISSION_SET_NOT_PROVISIONED filter),
 * the OU tree, and on a cold run the definitions (6 calls per permission set) and account tags (1 per account).
 */
export function readerFormula(
  shape: OrgShape & { organizationalUnits: number },
  options: { cold: boolean },
) {
  const bound = lowerBound(shape);
  const failureListings = shape.permissionSets; // one page each unless > 100 failed accounts
  const ouTree = 1 /* ListRoots */ + 1 /* root */ + shape.organizationalUnits; // ListOrganizationalUnitsForParent per node
  const details = options.cold ? 6 * shape.permissionSets : 0;
  const tags = options.cold ? shape.accounts : 0;
  const describeOrganization = options.cold ? 1 : 0;
  return {
    identityCenter: bound.identityCenter + failureListings + details,
    organizations: bound.organizations + ouTree + tags + describeOrganization,
    total:
      bound.total +
      failureListings +
      details +
      ouTree +
      tags +
      describeOrganization,
  };
}

/** The organisation's shape from the emulator's own state (the ground truth). */
export function shapeFromState(
  state: EmulatorState,
): OrgShape & { organizationalUnits: number; pairs: number } {
  const ic = state.identityCenter;
  const pairs = new Map<string, number>();
  const accountsByPs = new Map<string, Set<string>>(
    ic.permissionSets.map(ps => [ps.name, new Set<string>()]),
  );
  for (const a of ic.assignments) {
    const ps = a.permissionSet ?? '?';
    const key = `${a.accountId}|${ps}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    let accounts = accountsByPs.get(ps);
    if (!accounts) accountsByPs.set(ps, (accounts = new Set()));
    accounts.add(a.accountId);
  }
  return {
    accounts: state.organization.accounts.length,
    organizationalUnits: state.organization.units.length,
    permissionSets: ic.permissionSets.length,
    accountsPerPermissionSet: ic.permissionSets.map(
      ps => accountsByPs.get(ps.name)!.size,
    ),
    principalsPerPair: [...pairs.values()],
    pairs: pairs.size,
    identityStoreUsers: ic.users.length,
    identityStoreGroups: ic.groups.length,
    membersPerGroup: ic.groups.map(g => g.members.length),
  };
}
