import { guidFrom, hexFrom } from '../ids';
import type { AccountStatus } from '../scenario/types';
import type { ApiCall } from '../events/CloudTrail';
import { HIDDEN } from '../events/CloudTrail';
import type { EntraUser, UserPatch } from '../state/EntraDirectory';
import type { OrgAccount } from '../state/Organization';
import type { World } from '../state/World';

/*
 * Changes the control API makes to the clouds: Entra joiners, movers and leavers (recorded in the directory audit
 * log and the delta journal, exactly as if an administrator had made them), app assignments, and new AWS accounts.
 */

export class ControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const badInput = (message: string) =>
  new ControlError(400, 'InvalidRequest', message);
const missing = (message: string) => new ControlError(404, 'NotFound', message);

function str(
  body: Record<string, unknown>,
  key: string,
  required = false,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw badInput(`"${key}" is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value === '')
    throw badInput(`"${key}" must be a non-empty string`);
  return value;
}

function bool(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw badInput(`"${key}" must be true or false`);
  return value;
}

export function summarizeUser(user: EntraUser) {
  return {
    id: user.id,
    upn: user.upn,
    displayName: user.displayName,
    enabled: user.enabled,
    deleted: user.deletedMs !== undefined,
  };
}

function liveUser(world: World, upn: string): EntraUser {
  const user = world.entra.user(upn);
  if (!user || user.deletedMs !== undefined)
    throw missing(`no Entra user "${upn}"`);
  return user;
}

function group(world: World, name: string) {
  const found = world.entra.group(name);
  if (!found) throw missing(`no Entra group "${name}"`);
  return found;
}

export function createUser(world: World, body: Record<string, unknown>) {
  const upn = str(body, 'upn', true)!;
  if (!/^[^@\s]+@[^@\s]+$/.test(upn))
    throw badInput(`"${upn}" is not a user principal name (name@domain)`);
  if (world.entra.user(upn))
    throw new ControlError(
      409,
      'Conflict',
      `an Entra user "${upn}" already exists`,
    );
  const manager = str(body, 'manager');
  if (manager && !world.entra.user(manager))
    throw missing(`no Entra user "${manager}" (manager)`);
  let id = (
    str(body, 'id') ?? guidFrom(world.tenantId, 'user', upn.toLowerCase())
  ).toLowerCase();
  // A permanently deleted user's id is never reused.
  for (let n = 1; world.entra.users.has(id) || world.entra.groups.has(id); n++)
    id = guidFrom(world.tenantId, 'user', upn.toLowerCase(), String(n));
  const user: EntraUser = {
    id,
    upn,
    displayName: str(body, 'displayName', true)!,
    givenName: str(body, 'givenName'),
    surname: str(body, 'surname'),
    mail: str(body, 'mail') ?? upn,
    department: str(body, 'department'),
    jobTitle: str(body, 'jobTitle'),
    employeeId: str(body, 'employeeId'),
    managerId: manager ? world.entra.user(manager)!.id : undefined,
    enabled: bool(body, 'enabled') ?? true,
    assignedToAwsApp: bool(body, 'assignedToAwsApp') ?? false,
    createdMs: world.clock.nowMs(),
  };
  world.entra.addUser(user, { audit: true });
  return summarizeUser(user);
}

const USER_TEXT_FIELDS = [
  'displayName',
  'givenName',
  'surname',
  'mail',
  'department',
  'jobTitle',
  'employeeId',
] as const;

export function updateUser(
  world: World,
  upn: string,
  body: Record<string, unknown>,
) {
  const user = liveUser(world, upn);
  const unknown = Object.keys(body).filter(
    k =>
      k !== 'enabled' && !(USER_TEXT_FIELDS as readonly string[]).includes(k),
  );
  if (unknown.length > 0)
    throw badInput(`unknown field(s): ${unknown.join(', ')}`);
  const patch: UserPatch = {};
  for (const key of USER_TEXT_FIELDS) {
    const value = str(body, key);
    if (value !== undefined) patch[key] = value;
  }
  const enabled = bool(body, 'enabled');
  if (enabled !== undefined) patch.enabled = enabled;
  world.entra.updateUser(user, patch, {
    timeMs: world.clock.nowMs(),
    audit: true,
  });
  return summarizeUser(user);
}

export function deleteUser(world: World, upn: string, permanent: boolean) {
  const user = world.entra.user(upn);
  if (!user || (user.deletedMs !== undefined && !permanent))
    throw missing(`no Entra user "${upn}"`);
  world.entra.deleteUser(user, { permanent, timeMs: world.clock.nowMs() });
  return { ...summarizeUser(user), deleted: true, permanent };
}

export function createGroup(world: World, body: Record<string, unknown>) {
  const name = str(body, 'name', true)!;
  if (world.entra.group(name))
    throw new ControlError(
      409,
      'Conflict',
      `an Entra group "${name}" already exists`,
    );
  const members = body.members ?? [];
  if (!Array.isArray(members))
    throw badInput('"members" must be a list of upns and group names');
  const now = world.clock.nowMs();
  const assigned = bool(body, 'assignedToAwsApp') ?? false;
  const created = {
    id: (
      str(body, 'id') ?? guidFrom(world.tenantId, 'group', name.toLowerCase())
    ).toLowerCase(),
    name,
    mailNickname:
      str(body, 'mailNickname') ?? name.replace(/[^A-Za-z0-9._-]/g, ''),
    description: str(body, 'description'),
    securityEnabled: bool(body, 'securityEnabled') ?? true,
    owners: [],
    assignedToAwsApp: false,
    createdMs: now,
  };
  world.entra.addGroup(created, { audit: true });
  for (const member of members) addMember(world, name, String(member));
  if (assigned) setAssignment(world, name, true);
  return {
    id: created.id,
    name,
    assignedToAwsApp: assigned,
    members: world.entra.directMembers(created.id).length,
  };
}

function memberObject(world: World, member: string) {
  const user = world.entra.user(member);
  if (user && user.deletedMs === undefined)
    return { id: user.id, name: user.upn };
  const nested = world.entra.group(member);
  if (nested) return { id: nested.id, name: nested.name };
  throw missing(
    `"${member}" is neither an Entra user (upn) nor an Entra group (name)`,
  );
}

export function addMember(world: World, groupName: string, member: string) {
  const target = group(world, groupName);
  const object = memberObject(world, member);
  if (object.id === target.id)
    throw badInput('a group cannot be a member of itself');
  if (
    !world.entra.addMember(target.id, object.id, {
      timeMs: world.clock.nowMs(),
      audit: true,
    })
  ) {
    throw new ControlError(
      409,
      'Conflict',
      `"${object.name}" is already a member of "${target.name}"`,
    );
  }
  return { group: target.name, member: object.name, added: true };
}

export function removeMember(world: World, groupName: string, member: string) {
  const target = group(world, groupName);
  const object = memberObject(world, member);
  if (
    !world.entra.removeMember(target.id, object.id, {
      timeMs: world.clock.nowMs(),
      audit: true,
    })
  ) {
    throw missing(`"${object.name}" is not a member of "${target.name}"`);
  }
  return { group: target.name, member: object.name, removed: true };
}

export function setAssignment(
  world: World,
  groupName: string,
  assigned: boolean,
) {
  const target = group(world, groupName);
  const changed = world.entra.setGroupAssignment(target, assigned, {
    timeMs: world.clock.nowMs(),
    audit: true,
    servicePrincipal: {
      id: world.app.servicePrincipalId,
      name: world.app.displayName,
    },
  });
  return { group: target.name, assignedToAwsApp: assigned, changed };
}

export function createAccount(world: World, body: Record<string, unknown>) {
  const name = str(body, 'name', true)!;
  const email = str(body, 'email', true)!;
  const status = (str(body, 'status') ?? 'ACTIVE') as AccountStatus;
  if (!['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'].includes(status))
    throw badInput('"status" must be ACTIVE, SUSPENDED or PENDING_CLOSURE');
  let id = str(body, 'id');
  if (id !== undefined && !/^\d{12}$/.test(id))
    throw badInput('"id" must be 12 digits');
  const { organization } = world;
  if (id && organization.accounts.has(id))
    throw new ControlError(409, 'Conflict', `account ${id} already exists`);
  if (!id) {
    // Deterministic from the name, like every other id the emulators make up.
    const digits = (seed: string) =>
      [...hexFrom(11, 'account', seed)].map(c => parseInt(c, 16) % 10).join('');
    let n = 0;
    do id = `9${digits(`${name}|${n++}`)}`;
    while (organization.accounts.has(id));
  }
  const tags = body.tags ?? {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
    throw badInput('"tags" must be a mapping');
  const account = {
    id,
    name,
    email,
    status,
    parentId: organization.ensurePath(str(body, 'ou') ?? ''),
    tags: Object.fromEntries(
      Object.entries(tags).map(([k, v]) => [k, String(v)]),
    ),
    joinedMethod: 'CREATED' as const,
    joinedMs: world.clock.nowMs(),
  };
  organization.accounts.set(id, account);
  recordCreateAccount(world, account);
  return {
    id,
    name,
    email,
    status,
    path: organization.path(account.parentId, id),
    tags: account.tags,
  };
}

export function updateAccount(
  world: World,
  id: string,
  body: Record<string, unknown>,
) {
  const { organization } = world;
  const account = organization.accounts.get(id);
  if (!account) throw missing(`no account ${id}`);
  const status = str(body, 'status') as AccountStatus | undefined;
  if (status && !['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'].includes(status))
    throw badInput('"status" must be ACTIVE, SUSPENDED or PENDING_CLOSURE');
  const tags = body.tags;
  if (
    tags !== undefined &&
    (typeof tags !== 'object' || tags === null || Array.isArray(tags))
  )
    throw badInput('"tags" must be a mapping (a null value removes the tag)');
  const ou = str(body, 'ou');
  const calls: ApiCall[] = [];
  if (status && status !== account.status) {
    account.status = status;
    if (status !== 'ACTIVE')
      calls.push(orgCall('CloseAccount', { accountId: id }));
  }
  const name = str(body, 'name');
  if (name && name !== account.name) {
    account.name = name;
    calls.push({
      ...orgCall('PutAccountName', { accountId: id, accountName: name }),
      eventSource: 'account.amazonaws.com',
    });
  }
  if (ou !== undefined) {
    const parentId = organization.ensurePath(ou);
    if (parentId !== account.parentId) {
      calls.push(
        orgCall('MoveAccount', {
          accountId: id,
          sourceParentId: account.parentId,
          destinationParentId: parentId,
        }),
      );
      account.parentId = parentId;
    }
  }
  if (tags)
    calls.push(...retag(account.tags, tags as Record<string, unknown>, id));
  organization.accounts.touch();
  for (const call of calls) world.trail.record(call);
  return {
    id,
    name: account.name,
    status: account.status,
    path: organization.path(account.parentId, id),
    tags: account.tags,
  };
}

/** Organizations is global: CloudTrail records its calls in us-east-1. */
function orgCall(
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
): ApiCall {
  return {
    eventSource: 'organizations.amazonaws.com',
    eventName,
    region: 'us-east-1',
    requestParameters,
    responseElements,
  };
}

/** Applies tag changes (null removes) and answers the TagResource/UntagResource calls they take. */
function retag(
  current: Record<string, string>,
  changes: Record<string, unknown>,
  resourceId: string,
): ApiCall[] {
  const set = Object.entries(changes).filter(([, v]) => v !== null);
  const removed = Object.keys(changes).filter(k => changes[k] === null);
  for (const [key, value] of set) current[key] = String(value);
  for (const key of removed) delete current[key];
  const calls: ApiCall[] = [];
  if (set.length > 0)
    calls.push(
      orgCall('TagResource', {
        resourceId,
        tags: set.map(([key, value]) => ({ key, value: String(value) })),
      }),
    );
  if (removed.length > 0)
    calls.push(orgCall('UntagResource', { resourceId, tagKeys: removed }));
  return calls;
}

/**
 * CreateAccount answers IN_PROGRESS without the account id; Organizations records the outcome, with the id, as
 * the service event CreateAccountResult once the account exists.
 */
function recordCreateAccount(world: World, account: OrgAccount) {
  const requestId = `car-${hexFrom(32, 'createAccount', account.id)}`;
  const requested = world.clock.iso();
  world.trail.record(
    orgCall(
      'CreateAccount',
      { accountName: account.name, email: HIDDEN },
      {
        createAccountStatus: {
          id: requestId,
          state: 'IN_PROGRESS',
          accountName: account.name,
          requestedTimestamp: requested,
        },
      },
    ),
  );
  world.trail.record({
    ...orgCall('CreateAccountResult', null),
    eventType: 'AwsServiceEvent',
    serviceEventDetails: {
      createAccountStatus: {
        id: requestId,
        state: 'SUCCEEDED',
        accountName: account.name,
        accountId: account.id,
        requestedTimestamp: requested,
        completedTimestamp: world.clock.iso(),
      },
    },
  });
}
