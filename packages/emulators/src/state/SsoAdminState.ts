import { randomUUID } from 'node:crypto';
import type { NormalizedPermissionSet } from '../scenario/normalized';
import { Collection } from './Collection';

export interface PermissionSet extends NormalizedPermissionSet {
  createdMs: number;
}

export interface AccountAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export type ProvisioningState = 'PROVISIONED' | 'FAILED';

/** An asynchronous SSO Admin operation (assignment create/delete, permission set provisioning). */
export interface AsyncOperation {
  requestId: string;
  kind: 'create' | 'delete' | 'provision';
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
  createdMs: number;
  completeAtMs: number;
  assignment?: AccountAssignment;
  /** For provisioning: the permission set and target accounts. */
  permissionSetArn?: string;
  accountId?: string;
  accountIds?: string[];
  /** Decides the outcome when the operation completes: undefined = success, else the failure reason. */
  outcome: () => string | undefined;
  /** Applies the change once the operation succeeds. */
  onSuccess: () => void;
}

const pairKey = (accountId: string, permissionSetArn: string) =>
  `${accountId}|${permissionSetArn}`;
const assignmentKey = (a: AccountAssignment) =>
  `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;

/**
 * IAM Identity Center's admin side: the instance, permission sets, account assignments, where each permission set
 * is provisioned, and the asynchronous operations that change them.
 */
export class SsoAdminState {
  readonly instance: {
    instanceArn: string;
    identityStoreId: string;
    ownerAccountId: string;
    name: string;
    createdMs: number;
  };
  readonly permissionSets = new Collection<PermissionSet>();
  readonly #assignments = new Map<string, AccountAssignment>();
  readonly #byPair = new Map<string, Collection<AccountAssignment>>();
  readonly #byPrincipal = new Map<string, Collection<AccountAssignment>>();
  /** permission set arn → account id → state, and the reverse. */
  readonly #provisionedByPs = new Map<string, Map<string, ProvisioningState>>();
  readonly #provisionedByAccount = new Map<
    string,
    Map<string, ProvisioningState>
  >();
  readonly operations = new Map<string, AsyncOperation>();

  static create(options: SsoAdminState['instance']): SsoAdminState {
    return new SsoAdminState(options);
  }

  private constructor(instance: SsoAdminState['instance']) {
    this.instance = instance;
  }

  hasAssignment(a: AccountAssignment): boolean {
    return this.#assignments.has(assignmentKey(a));
  }

  addAssignment(a: AccountAssignment): void {
    const key = assignmentKey(a);
    if (this.#assignments.has(key)) return;
    this.#assignments.set(key, a);
    bucket(this.#byPair, pairKey(a.accountId, a.permissionSetArn)).set(key, a);
    bucket(this.#byPrincipal, a.principalId).set(key, a);
  }

  removeAssignment(a: AccountAssignment): boolean {
    const key = assignmentKey(a);
    if (!this.#assignments.delete(key)) return false;
    this.#byPair.get(pairKey(a.accountId, a.permissionSetArn))?.delete(key);
    this.#byPrincipal.get(a.principalId)?.delete(key);
    return true;
  }

  assignmentsFor(
    accountId: string,
    permissionSetArn: string,
  ): readonly AccountAssignment[] {
    return (
      this.#byPair.get(pairKey(accountId, permissionSetArn))?.values() ?? []
    );
  }

  assignmentsOfPrincipal(principalId: string): readonly AccountAssignment[] {
    return this.#byPrincipal.get(principalId)?.values() ?? [];
  }

  allAssignments(): IterableIterator<AccountAssignment> {
    return this.#assignments.values();
  }

  setProvisioned(
    accountId: string,
    permissionSetArn: string,
    state: ProvisioningState,
  ): void {
    nested(this.#provisionedByPs, permissionSetArn).set(accountId, state);
    nested(this.#provisionedByAccount, accountId).set(permissionSetArn, state);
  }

  provisionedAccounts(
    permissionSetArn: string,
  ): ReadonlyMap<string, ProvisioningState> {
    return this.#provisionedByPs.get(permissionSetArn) ?? new Map();
  }

  provisionedPermissionSets(
    accountId: string,
  ): ReadonlyMap<string, ProvisioningState> {
    return this.#provisionedByAccount.get(accountId) ?? new Map();
  }

  outstandingOperations(kind?: AsyncOperation['kind']): number {
    let count = 0;
    for (const op of this.operations.values()) {
      if (op.status === 'IN_PROGRESS' && (!kind || op.kind === kind)) count++;
    }
    return count;
  }

  /** An in-progress create/delete on the same assignment (ConflictException). */
  conflictingOperation(a: AccountAssignment): AsyncOperation | undefined {
    const key = assignmentKey(a);
    for (const op of this.operations.values()) {
      if (
        op.status === 'IN_PROGRESS' &&
        op.assignment &&
        assignmentKey(op.assignment) === key
      )
        return op;
    }
    return undefined;
  }

  startOperation(
    op: Omit<AsyncOperation, 'requestId' | 'status'>,
  ): AsyncOperation {
    const operation: AsyncOperation = {
      ...op,
      requestId: randomUUID(),
      status: 'IN_PROGRESS',
    };
    this.operations.set(operation.requestId, operation);
    return operation;
  }

  /** Completes operations whose time has come; called before every SSO Admin request. */
  settle(nowMs: number): void {
    for (const op of this.operations.values()) {
      if (op.status !== 'IN_PROGRESS' || op.completeAtMs > nowMs) continue;
      const failure = op.outcome();
      if (failure) {
        op.status = 'FAILED';
        op.failureReason = failure;
      } else {
        op.status = 'SUCCEEDED';
        op.onSuccess();
      }
    }
  }
}

function bucket(
  map: Map<string, Collection<AccountAssignment>>,
  key: string,
): Collection<AccountAssignment> {
  let collection = map.get(key);
  if (!collection) {
    collection = new Collection();
    map.set(key, collection);
  }
  return collection;
}

function nested(
  map: Map<string, Map<string, ProvisioningState>>,
  key: string,
): Map<string, ProvisioningState> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
