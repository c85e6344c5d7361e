import type {
  AccessUser,
  Grant,
  GroupAccess,
} from '@aws-access/plugin-aws-access-common';
import { GrantState, isNestedOnly } from '@aws-access/plugin-aws-access-common';
import type { PermissionSetStrength } from './ranking';
import { permissionSetStrength, strongestGrant } from './ranking';

/** What a matrix cell calls attention to, most urgent first: revoking, stuck, pending, nested. */
export type CellHighlight = Exclude<GrantState, 'active'>;

const HIGHLIGHT_ORDER: CellHighlight[] = [
  GrantState.revoking,
  GrantState.stuck,
  GrantState.pending,
  GrantState.unsupportedNesting,
];

/** One member × account. */
export interface MatrixCell {
  accountId: string;
  accountName: string;
  /** Every grant the member holds on the account. */
  grants: Grant[];
  /**
   * The grant shown: the strongest one that AWS has or will have (anything but unsupported-nesting), or the
   * strongest nested one when that is all there is.
   */
  shown: Grant;
  strength: PermissionSetStrength;
  highlight?: CellHighlight;
}

/** One member with a cell per account column (undefined: no access). */
export interface MatrixRow {
  user: AccessUser;
  cells: Array<MatrixCell | undefined>;
  highlight?: CellHighlight;
}

/** The team's members × accounts. */
export interface AccessMatrix {
  accounts: Array<{ id: string; name: string }>;
  rows: MatrixRow[];
}

function mostUrgent(states: GrantState[]): CellHighlight | undefined {
  return HIGHLIGHT_ORDER.find(state => states.includes(state));
}

/** The accounts the members' grants reach, by name. */
function accountsOf(members: GroupAccess['members']) {
  const accountNames = new Map<string, string>();
  for (const member of members) {
    for (const grant of member.grants) {
      accountNames.set(grant.accountId, grant.accountName);
    }
  }
  return [...accountNames.entries()]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Builds the matrix: members by display name, accounts by name; members without any grant are kept (empty row).
 * The columns are the summary's accounts when the answer has one (every account of the whole list, so they stay
 * put while pages arrive), else the accounts the members' grants reach.
 */
export function buildAccessMatrix(
  group: Pick<GroupAccess, 'members' | 'summary'>,
): AccessMatrix {
  const accounts =
    group.summary?.accounts?.map(({ id, name }) => ({ id, name })) ??
    accountsOf(group.members);

  const rows = [...group.members]
    .sort((a, b) => a.user.displayName.localeCompare(b.user.displayName))
    .map(member => {
      const cells = accounts.map(account => {
        const grants = member.grants.filter(
          grant => grant.accountId === account.id,
        );
        if (grants.length === 0) {
          return undefined;
        }
        const reaching = grants.filter(grant => !isNestedOnly(grant.state));
        const shown = strongestGrant(reaching.length > 0 ? reaching : grants)!;
        return {
          accountId: account.id,
          accountName: account.name,
          grants,
          shown,
          strength: permissionSetStrength(shown.permissionSet.name),
          highlight: mostUrgent(grants.map(grant => grant.state)),
        };
      });
      return {
        user: member.user,
        cells,
        highlight: mostUrgent(member.grants.map(grant => grant.state)),
      };
    });

  return { accounts, rows };
}
