import type {
  AccountAccess,
  AccountSummary,
  PermissionSet,
  PermissionSetDetails,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import { toAccount } from '../../snapshot/dto';
import type { AccountRecord, PermissionSetRecord } from '../../snapshot/model';
import {
  accountNameOf,
  permissionSetNameOf,
  permissionSetRef,
  principalOf,
  syncSummary,
} from './common';
import { toGrant } from './userAccess';

/** A permission set with its policies and the accounts it is provisioned to. */
export function toPermissionSet(
  index: AccessIndex,
  ps: PermissionSetRecord,
): PermissionSet {
  const provisioned = index.snapshot.aws.provisionedPairs
    .filter(p => p.permissionSetArn === ps.arn)
    .map(p => p.accountId);
  return {
    name: ps.name,
    arn: ps.arn,
    sessionDuration: ps.sessionDuration,
    description: ps.description,
    relayState: ps.relayState,
    managedPolicies: ps.managedPolicies,
    customerManagedPolicies: ps.customerManagedPolicies,
    inlinePolicy: ps.inlinePolicy,
    permissionsBoundary: ps.permissionsBoundary,
    tags: ps.tags,
    provisionedAccountIds: [...new Set(provisioned)].sort(),
  };
}

/** `GET /permission-sets`: every permission set by name. */
export function permissionSets(index: AccessIndex): PermissionSet[] {
  return index.snapshot.aws.permissionSets
    .map(ps => toPermissionSet(index, ps))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `GET /accounts`: every account, with how many assignments it has and which permission sets. */
export function accountSummaries(index: AccessIndex): AccountSummary[] {
  return index.snapshot.aws.accounts
    .map(account => {
      const assignments = index.assignmentsByAccount.get(account.id) ?? [];
      return {
        ...toAccount(account),
        assignmentCount: assignments.length,
        permissionSets: [
          ...new Set(
            assignments.map(a =>
              permissionSetNameOf(index, a.permissionSetArn),
            ),
          ),
        ].sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `GET /accounts/:id`: who is assigned on the account, and the people the caller may see with their grants there. */
export function accountAccess(
  index: AccessIndex,
  account: AccountRecord,
  now: Date,
  staleAfterMs: number,
  isVisible: (person: Person) => boolean,
): AccountAccess {
  const assignments = (index.assignmentsByAccount.get(account.id) ?? []).map(
    a => ({
      permissionSet: permissionSetRef(index, a.permissionSetArn),
      principal: principalOf(index, a.principalType, a.principalId),
    }),
  );
  const people = index.persons
    .filter(
      person =>
        person.grants.some(g => g.accountId === account.id) &&
        isVisible(person),
    )
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'))
    .map(person => ({
      user: index.accessUser(person),
      grants: person.grants
        .filter(g => g.accountId === account.id)
        .map(g => toGrant(index, g, now)),
    }));
  return {
    account: toAccount(account),
    assignments,
    people,
    sync: syncSummary(index, now, staleAfterMs),
  };
}

/** `GET /permission-sets/:name`: the permission set, where it is assigned, and where provisioning it failed. */
export function permissionSetDetails(
  index: AccessIndex,
  ps: PermissionSetRecord,
): PermissionSetDetails {
  return {
    permissionSet: toPermissionSet(index, ps),
    assignments: (index.assignmentsByPermissionSet.get(ps.arn) ?? [])
      .map(a => ({
        accountId: a.accountId,
        accountName: accountNameOf(index, a.accountId),
        principal: principalOf(index, a.principalType, a.principalId),
      }))
      .sort((a, b) => a.accountName.localeCompare(b.accountName)),
    provisioningFailures: index.snapshot.aws.provisioningFailures
      .filter(f => f.permissionSetArn === ps.arn)
      .map(f => ({
        accountId: f.accountId,
        accountName: accountNameOf(index, f.accountId),
      })),
  };
}
