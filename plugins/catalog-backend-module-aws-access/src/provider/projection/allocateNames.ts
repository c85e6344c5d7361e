import type {
  AwsAccount,
  PermissionSet,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityName,
  entraUserEntityName,
} from '@aws-access/plugin-aws-access-common';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { runAtOnce } from '@aws-access/plugin-aws-access-node/alpha';
import {
  accountEntityNameBase,
  cleanText,
  isValidEntityName,
  permissionSetEntityNameBase,
  shortHash,
  withSuffix,
} from '../sanitize';
import { sortInSlices } from '../sortInSlices';
import type { MappingReport } from './MappingReport';
import type { EntityNames, MappingOptions, ProjectionRecords } from './types';

/** Step 2: a unique entity name for every record that can have one. */
export function allocateNames(
  records: ProjectionRecords,
  options: MappingOptions,
  report: MappingReport,
): EntityNames {
  return runAtOnce(allocateNamesSliced(records, options, report));
}

/** {@link allocateNames}, one record a step. */
export function* allocateNamesSliced(
  records: ProjectionRecords,
  options: MappingOptions,
  report: MappingReport,
): Sliced<EntityNames> {
  return {
    // Accounts from the upstream processor have its names; ours would only collide.
    accounts: options.linkAccountsFromUpstream
      ? new Map()
      : yield* allocateAccountNames(records.accounts, report),
    permissionSets: yield* allocatePermissionSetNames(
      records.permissionSets,
      report,
    ),
    groups: yield* allocateEntraNames(
      records.groups,
      entraGroupEntityName,
      'group',
      report,
    ),
    users: yield* allocateEntraNames(
      records.users,
      entraUserEntityName,
      'user',
      report,
    ),
  };
}

/** Records by the name they would get, in the order first seen. */
function* groupByBaseName<T>(
  items: T[],
  baseNameOf: (item: T) => string,
): Sliced<Map<string, T[]>> {
  const byBase = new Map<string, T[]>();
  for (const item of items) {
    yield;
    const base = baseNameOf(item);
    byBase.set(base, [...(byBase.get(base) ?? []), item]);
  }
  return byBase;
}

/**
 * Assigns each account a unique entity name. Accounts whose names normalize to the same entity name are told
 * apart by the account id: the account seen first (`firstSeenAt`, then id) keeps the plain name, so adding a
 * look-alike account never renames an existing entity.
 */
function* allocateAccountNames(
  accounts: AwsAccount[],
  report: MappingReport,
): Sliced<Map<string, string>> {
  const byBase = yield* groupByBaseName(
    accounts,
    account => accountEntityNameBase(account.name) || `account-${account.id}`,
  );
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const suffixed: Array<{ account: AwsAccount; base: string; first: string }> =
    [];
  for (const [base, group] of byBase) {
    yield;
    const [first, ...others] = [...group].sort(
      (a, b) =>
        (a.firstSeenAt ?? '\uffff').localeCompare(b.firstSeenAt ?? '\uffff') ||
        a.id.localeCompare(b.id),
    );
    names.set(first.id, base);
    taken.add(base);
    for (const account of others) {
      suffixed.push({ account, base, first: first.id });
    }
  }
  // Suffixed names come after every plain name is taken, so a suffix never takes a plain name's place.
  for (const { account, base, first } of suffixed) {
    yield;
    const name = withSuffix(base, account.id);
    const subject = `account ${account.id}`;
    if (taken.has(name)) {
      report.note(
        subject,
        `entity name '${name}' is already taken; account skipped`,
      );
      continue;
    }
    taken.add(name);
    names.set(account.id, name);
    report.note(
      subject,
      `name '${cleanText(
        account.name,
        80,
      )}' normalizes to '${base}' like account ${first}; named '${name}'`,
    );
  }
  return names;
}

/** Assigns each permission set a unique entity name (`aws-ps-<name>`; look-alikes get an ARN hash suffix). */
function* allocatePermissionSetNames(
  permissionSets: PermissionSet[],
  report: MappingReport,
): Sliced<Map<string, string>> {
  const byBase = yield* groupByBaseName(
    permissionSets,
    ps =>
      permissionSetEntityNameBase(ps.name) || `aws-ps-${shortHash(ps.arn, 8)}`,
  );
  const names = new Map<string, string>();
  const taken = new Set(byBase.keys());
  for (const [base, group] of byBase) {
    yield;
    const [first, ...others] = [...group].sort((a, b) =>
      a.arn.localeCompare(b.arn),
    );
    names.set(first.arn, base);
    for (const other of others) {
      const name = withSuffix(base, shortHash(other.arn, 8));
      const subject = `permission set ${other.arn}`;
      if (taken.has(name)) {
        report.note(
          subject,
          `entity name '${name}' is already taken; permission set skipped`,
        );
        continue;
      }
      taken.add(name);
      names.set(other.arn, name);
      report.note(
        subject,
        `name '${cleanText(other.name, 80)}' normalizes to '${base}' like ${
          first.arn
        }; named '${name}'`,
      );
    }
  }
  return names;
}

/**
 * Allocates msgraph-style names. Look-alikes cannot be renamed (refs must match msgraph's), so of two records
 * with one name the one with the lower id keeps it and the other is left out.
 */
function* allocateEntraNames<T extends { id: string }>(
  items: T[],
  nameOf: (item: T) => string,
  what: string,
  report: MappingReport,
): Sliced<Map<string, string>> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  const byId = yield* sortInSlices(items, (a, b) => a.id.localeCompare(b.id));
  for (const item of byId) {
    yield;
    const name = nameOf(item);
    const subject = `${what} ${item.id}`;
    if (!isValidEntityName(name)) {
      report.note(
        subject,
        `entity name '${cleanText(name, 80)}' is not valid; skipped`,
      );
      continue;
    }
    const owner = owners.get(name);
    if (owner) {
      report.note(
        subject,
        `entity name '${name}' is already used by ${what} ${owner}; skipped`,
      );
      continue;
    }
    owners.set(name, item.id);
    names.set(item.id, name);
  }
  return names;
}

/** The entity refs of the named Entra groups and users, by Entra id (msgraph names live in `default`). */
export function entraRefs(names: EntityNames): EntraRefs {
  return runAtOnce(entraRefsSliced(names));
}

/** The refs of the named Entra groups and users. */
export interface EntraRefs {
  groupRefs: Map<string, string>;
  userRefs: Map<string, string>;
}

/** {@link entraRefs}, one ref a step. */
export function* entraRefsSliced(names: EntityNames): Sliced<EntraRefs> {
  function* refsOf(kind: string, byId: ReadonlyMap<string, string>) {
    const refs = new Map<string, string>();
    for (const [id, name] of byId) {
      yield;
      refs.set(id, `${kind}:default/${name}`);
    }
    return refs;
  }
  return {
    groupRefs: yield* refsOf('group', names.groups),
    userRefs: yield* refsOf('user', names.users),
  };
}
