/*
 * What an EventBridge "AWS API Call via CloudTrail" event means for the snapshot: the smallest part of AWS to read
 * again. An event is a hint, never data: its payload is not applied, the part it names is re-read, so duplicates
 * and events out of order are harmless. A burst (a SCIM cycle) coalesces to one target per thing it touched.
 */

/**
 * An asynchronous SSO Admin write the event reports `IN_PROGRESS` (CloudTrail records the call when AWS accepts
 * it): its target is read once the operation has ended, or the read would settle what AWS has not done yet.
 */
export interface PendingOperation {
  operation: 'create-assignment' | 'delete-assignment' | 'provision';
  requestId: string;
}

/** A part of the AWS side to read again. */
export type RefreshTarget =
  /** One account × permission set pair: its assignments and whether the set is provisioned there. */
  | {
      kind: 'assignments';
      accountId: string;
      permissionSetArn: string;
      pending?: PendingOperation[];
    }
  /** One permission set's definition (and where it is provisioned). */
  | {
      kind: 'permission-set';
      permissionSetArn: string;
      pending?: PendingOperation[];
    }
  /** One Identity Center group's direct members. */
  | { kind: 'group'; groupId: string }
  /** One Identity Center user. */
  | { kind: 'user'; userId: string }
  /** One account as Organizations describes it (name, status, OU path, tags). */
  | { kind: 'account'; accountId: string };

/** The body is not an EventBridge event this consumer understands: it goes to the dead-letter queue by redrive. */
export class UnreadableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableEventError';
  }
}

/** One event, read: its ids and the targets it names (none for a refused call or one that changed nothing yet). */
export interface ChangeEvent {
  /** EventBridge's id (the same for a duplicate delivery). */
  id: string;
  eventSource: string;
  eventName: string;
  time: string;
  targets: RefreshTarget[];
}

type Members = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function members(value: unknown): Members {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Members)
    : {};
}

/** The operation a response reports still in progress, as `{ pending }` (nothing when it has ended). */
function pendingOf(
  status: unknown,
  operation: PendingOperation['operation'],
): { pending?: PendingOperation[] } {
  const { status: state, requestId } = members(status);
  return state === 'IN_PROGRESS' && str(requestId)
    ? { pending: [{ operation, requestId: requestId as string }] }
    : {};
}

function ssoTargets(
  name: string,
  request: Members,
  response: Members,
): RefreshTarget[] {
  const accountId = str(request.targetId);
  const permissionSetArn = str(request.permissionSetArn);
  switch (name) {
    case 'CreateAccountAssignment':
    case 'DeleteAccountAssignment': {
      const pending =
        name === 'CreateAccountAssignment'
          ? pendingOf(
              response.accountAssignmentCreationStatus,
              'create-assignment',
            )
          : pendingOf(
              response.accountAssignmentDeletionStatus,
              'delete-assignment',
            );
      return accountId && permissionSetArn
        ? [{ kind: 'assignments', accountId, permissionSetArn, ...pending }]
        : [];
    }
    case 'ProvisionPermissionSet': {
      const pending = pendingOf(
        response.permissionSetProvisioningStatus,
        'provision',
      );
      if (accountId && permissionSetArn)
        return [
          { kind: 'assignments', accountId, permissionSetArn, ...pending },
        ];
      return permissionSetArn
        ? [{ kind: 'permission-set', permissionSetArn, ...pending }]
        : [];
    }
    case 'CreatePermissionSet': {
      const created = str(members(response.permissionSet).permissionSetArn);
      return created
        ? [{ kind: 'permission-set', permissionSetArn: created }]
        : [];
    }
    default:
      // Every other write names the permission set it changed (its definition, policies or boundary).
      return permissionSetArn
        ? [{ kind: 'permission-set', permissionSetArn }]
        : [];
  }
}

/** Identity Store API calls and SCIM calls (whose values CloudTrail hides; the object id is always there). */
function identityStoreTargets(
  name: string,
  request: Members,
  response: Members,
): RefreshTarget[] {
  const id = str(request.id) ?? str(response.id);
  const userId = str(request.userId) ?? str(response.userId);
  const groupId = str(request.groupId) ?? str(response.groupId);
  if (/User$/.test(name)) {
    const user = userId ?? id;
    return user ? [{ kind: 'user', userId: user }] : [];
  }
  if (/GroupMembership$/.test(name)) {
    // DeleteGroupMembership names only the membership: the group it left is found by reading the user's groups.
    const memberId = str(members(request.memberId).userId);
    return [
      ...(groupId ? [{ kind: 'group' as const, groupId }] : []),
      ...(memberId ? [{ kind: 'user' as const, userId: memberId }] : []),
    ];
  }
  const group = groupId ?? id;
  return group ? [{ kind: 'group', groupId: group }] : [];
}

function organizationsTargets(
  name: string,
  request: Members,
  details: Members,
): RefreshTarget[] {
  const accountId =
    name === 'CreateAccountResult'
      ? str(members(details.createAccountStatus).accountId)
      : str(request.accountId) ?? str(request.resourceId);
  // CreateAccount names no account yet (its CreateAccountResult does); tags on OUs and roots do not matter here.
  return accountId && /^\d{12}$/.test(accountId)
    ? [{ kind: 'account', accountId }]
    : [];
}

/** Reads one message body; throws UnreadableEventError when it is not an EventBridge CloudTrail event. */
export function readChangeEvent(body: string): ChangeEvent {
  let event: Members;
  try {
    event = members(JSON.parse(body));
  } catch {
    throw new UnreadableEventError('the message body is not JSON');
  }
  const detail = members(event.detail);
  const id = str(event.id);
  const eventSource = str(detail.eventSource);
  const eventName = str(detail.eventName);
  if (
    !id ||
    !eventSource ||
    !eventName ||
    !String(event['detail-type']).includes('via CloudTrail')
  )
    throw new UnreadableEventError(
      'the message is not an EventBridge "via CloudTrail" event (id, detail.eventSource, detail.eventName)',
    );
  const request = members(detail.requestParameters);
  const response = members(detail.responseElements);
  let targets: RefreshTarget[] = [];
  if (!detail.errorCode) {
    if (eventSource === 'sso.amazonaws.com')
      targets = ssoTargets(eventName, request, response);
    else if (
      eventSource === 'identitystore.amazonaws.com' ||
      eventSource === 'identitystore-scim.amazonaws.com'
    )
      targets = identityStoreTargets(eventName, request, response);
    else if (
      eventSource === 'organizations.amazonaws.com' ||
      eventSource === 'account.amazonaws.com'
    )
      targets = organizationsTargets(
        eventName,
        request,
        members(detail.serviceEventDetails),
      );
  }
  return {
    id,
    eventSource,
    eventName,
    time: str(event.time) ?? '',
    targets,
  };
}

function key(target: RefreshTarget): string {
  switch (target.kind) {
    case 'assignments':
      return `assignments|${target.accountId}|${target.permissionSetArn}`;
    case 'account':
      return `account|${target.accountId}`;
    case 'permission-set':
      return `permission-set|${target.permissionSetArn}`;
    case 'group':
      return `group|${target.groupId}`;
    default:
      return `user|${target.userId}`;
  }
}

/**
 * One target per thing a batch touched: a SCIM cycle's hundred PatchGroups of one group are one group read. The
 * operations still in progress on a target are all awaited before its read.
 */
export function coalesceTargets(
  targets: readonly RefreshTarget[],
): RefreshTarget[] {
  const unique = new Map<string, RefreshTarget>();
  for (const target of targets) {
    const seen = unique.get(key(target));
    const pending = [
      ...((seen as { pending?: PendingOperation[] })?.pending ?? []),
      ...((target as { pending?: PendingOperation[] }).pending ?? []),
    ];
    // Only pairs and permission sets carry operations: the targets that share a key are of one kind.
    unique.set(
      key(target),
      pending.length ? ({ ...target, pending } as RefreshTarget) : target,
    );
  }
  return [...unique.values()];
}
