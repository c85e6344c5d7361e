import type { ScimChange } from '../scim/types';
import type { ApiCall } from './CloudTrail';
import { HIDDEN } from './CloudTrail';

/*
 * The SCIM calls a provisioning cycle made, as CloudTrail records them (`identitystore-scim.amazonaws.com`, since
 * September 2024): personal values hidden, the object's id in `requestParameters.id` (PatchUser, PatchGroup,
 * DeleteUser) or `responseElements.id` (CreateUser, CreateGroup). Membership changes travel as PatchGroup calls of
 * at most 100 member operations each, and CloudTrail hides which members they name.
 */

const SOURCE = 'identitystore-scim.amazonaws.com';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_MEMBER_OPERATIONS = 100;

function call(
  eventName: string,
  requestParameters: Record<string, unknown>,
  responseElements: Record<string, unknown> | null = null,
): ApiCall {
  return {
    eventSource: SOURCE,
    eventName,
    requestParameters,
    responseElements,
    userAgent: 'Azure Active Directory SCIM Provisioning',
  };
}

function created(
  change: ScimChange,
  tenantId: string,
  timeIso: string,
): ApiCall {
  const meta = { created: timeIso, lastModified: timeIso };
  if (change.action === 'createUser') {
    const user = {
      displayName: HIDDEN,
      schemas: [USER_SCHEMA],
      name: { familyName: HIDDEN, givenName: HIDDEN },
      active: true,
      userName: HIDDEN,
    };
    return call(
      'CreateUser',
      { httpBody: user, tenantId },
      {
        meta: { ...meta, resourceType: 'User' },
        ...user,
        id: change.identityStoreId,
      },
    );
  }
  const group = { displayName: HIDDEN, schemas: [GROUP_SCHEMA] };
  return call(
    'CreateGroup',
    { httpBody: { ...group, externalId: HIDDEN }, tenantId },
    {
      meta: { ...meta, resourceType: 'Group' },
      ...group,
      id: change.identityStoreId,
    },
  );
}

function patch(
  eventName: 'PatchUser' | 'PatchGroup',
  id: string,
  tenantId: string,
  operations: { op: string; path: string }[],
): ApiCall {
  return call(eventName, {
    httpBody: {
      operations: operations.map(o => ({ ...o, value: HIDDEN })),
      schemas: [PATCH_SCHEMA],
    },
    tenantId,
    id,
  });
}

/** The calls behind one cycle's changes, in the order they were made. */
export function scimCalls(
  changes: readonly ScimChange[],
  tenantId: string,
  timeIso: string,
): ApiCall[] {
  const calls: ApiCall[] = [];
  /** group id → its pending member operations, flushed as one PatchGroup per 100. */
  const members = new Map<string, { op: string; path: string }[]>();
  for (const change of changes) {
    switch (change.action) {
      case 'createUser':
      case 'createGroup':
        calls.push(created(change, tenantId, timeIso));
        break;
      case 'updateUser':
      case 'disableUser':
      case 'enableUser':
        calls.push(
          patch(
            'PatchUser',
            change.identityStoreId,
            tenantId,
            (change.modifiedProperties ?? [{ displayName: 'active' }]).map(
              p => ({ op: 'REPLACE', path: p.displayName }),
            ),
          ),
        );
        break;
      case 'deleteUser':
        calls.push(
          call('DeleteUser', { tenantId, id: change.identityStoreId }),
        );
        break;
      case 'updateGroup':
        calls.push(
          patch('PatchGroup', change.identityStoreId, tenantId, [
            { op: 'REPLACE', path: 'displayName' },
          ]),
        );
        break;
      default: {
        const pending = members.get(change.identityStoreId) ?? [];
        pending.push({
          op: change.action === 'addMember' ? 'ADD' : 'REMOVE',
          path: 'members',
        });
        members.set(change.identityStoreId, pending);
      }
    }
  }
  for (const [groupId, operations] of members) {
    for (let i = 0; i < operations.length; i += MAX_MEMBER_OPERATIONS) {
      calls.push(
        patch(
          'PatchGroup',
          groupId,
          tenantId,
          operations.slice(i, i + MAX_MEMBER_OPERATIONS),
        ),
      );
    }
  }
  return calls;
}
