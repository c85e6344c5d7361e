import type {
  AccountAccess,
  AccountSummary,
  PermissionSet,
  PermissionSetDetails,
} from '@aws-access/plugin-aws-access-common';
import type { PrincipalView } from '../../auth/PrincipalView';
import { hiddenAssignments } from '../../auth/PrincipalView';
import type { AccessIndex } from '../../snapshot/AccessIndex';
import { toAccount } from '../../snapshot/dto';
import type { AccountRecord, PermissionSetRecord } from '../../snapshot/model';
import {
  accountNameOf,
  permissionSetNameOf,
  permissionSetRef,
  principalOf,
  syncSummary,
} from './common';
import type { PageRequest } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import type { AccessListCaching } from './accessPage';
import { accessPage } from './accessPage';
import { toGrant } from './userAccess';

/** A permission set with its policies and the accounts it is provisioned to. */
export function toPermissionSet(
  index: AccessIndex,
  ps: PermissionSetRecord,
  provisioned: string[] = index.snapshot.aws.provisionedPairs
    .filter(p => p.permissionSetArn === ps.arn)
    .map(p => p.accountId),
): PermissionSet {
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

/**
 * The accounts each permission set is provisioned to, in one pass over the pairs: filtering every pair per
 * permission set is quadratic (500 permission sets × 30,000 pairs at envelope: most of a second).
 */
export function provisionedAccountsByPermissionSet(
  index: AccessIndex,
): Map<string, string[]> {
  const accounts = new Map<string, string[]>();
  for (const pair of index.snapshot.aws.provisionedPairs) {
    const list = accounts.get(pair.permissionSetArn);
    if (list) list.push(pair.accountId);
    else accounts.set(pair.permissionSetArn, [pair.accountId]);
  }
  return accounts;
}

/** `GET /permission-sets`: every permission set by name. */
export function permissionSets(index: AccessIndex): PermissionSet[] {
  const provisioned = provisionedAccountsByPermissionSet(index);
  return index.snapshot.aws.permissionSets
    .map(ps => toPermissionSet(index, ps, provisioned.get(ps.arn) ?? []))
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

/** Where an account's list is kept: the whole list, the same for every caller who sees all of the account. */
export function accountListCaching(
  cache: AccessListCache,
  account: AccountRecord,
): AccessListCaching {
  return { cache, list: `account:${account.id}` };
}

/**
 * `GET /accounts/:id`: who is assigned on the account, and one page of the people with grants there, as far as the
 * caller may see them (everything for read-all and the account's owners; else their own rows, with counts of the
 * rest). `cache` keeps the sorted rows of the whole list for the next requests (a page polled a few times a second
 * would sort thousands of rows each time); a reduced caller's own rows are built per request, never kept.
 */
export function accountAccess(
  index: AccessIndex,
  account: AccountRecord,
  now: Date,
  staleAfterMs: number,
  view: PrincipalView,
  request: PageRequest,
  cache?: AccessListCache,
): AccountAccess {
  const all = index.assignmentsByAccount.get(account.id) ?? [];
  const assignments = all
    .filter(a => view.showsAssignment(a))
    .map(a => ({
      permissionSet: permissionSetRef(index, a.permissionSetArn),
      principal: principalOf(index, a.principalType, a.principalId),
    }));
  const withGrants = index.personsWithGrantsOn(account.id);
  const listsAll = view.listsAccount(account.id);
  // A caller who lists the account sees every person on it: the list is theirs and every such caller's.
  const shown = listsAll
    ? withGrants
    : withGrants.filter(person => view.showsPerson(person, account.id));
  const { people, summary, page } = accessPage(
    index,
    () =>
      shown.map(person => ({
        person,
        grants: person.grants.filter(g => g.accountId === account.id),
      })),
    request,
    now,
    grant => toGrant(index, grant, now),
    {
      caching:
        cache && listsAll ? accountListCaching(cache, account) : undefined,
    },
  );
  return {
    account: toAccount(account),
    assignments,
    people,
    ...(listsAll
      ? {}
      : {
          principalsHidden: {
            ...hiddenAssignments(all, view),
            people: withGrants.length - shown.length,
          },
        }),
    sync: syncSummary(index, now, staleAfterMs),
    summary,
    page,
  };
}

/**
 * `GET /permission-sets/:name`: the permission set, where it is assigned (to whom, as far as the caller may see:
 * every row on the accounts they own or with read-all, else their own), and where provisioning it failed.
 */
export function permissionSetDetails(
  index: AccessIndex,
  ps: PermissionSetRecord,
  view: PrincipalView,
): PermissionSetDetails {
  const all = index.assignmentsByPermissionSet.get(ps.arn) ?? [];
  return {
    permissionSet: toPermissionSet(index, ps),
    assignments: all
      .filter(a => view.showsAssignment(a))
      .map(a => ({
        accountId: a.accountId,
        accountName: accountNameOf(index, a.accountId),
        principal: principalOf(index, a.principalType, a.principalId),
      }))
      .sort((a, b) => a.accountName.localeCompare(b.accountName)),
    ...(view.isComplete
      ? {}
      : { principalsHidden: hiddenAssignments(all, view) }),
    provisioningFailures: index.snapshot.aws.provisioningFailures
      .filter(f => f.permissionSetArn === ps.arn)
      .map(f => ({
        accountId: f.accountId,
        accountName: accountNameOf(index, f.accountId),
      })),
  };
}
