import type { Config } from '@backstage/config';
import type {
  AccountCompliance,
  AssignmentCall,
  BaselinePair,
  BaselineRule,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import { createHash } from 'node:crypto';
import { AwsAccessConfigError } from '../config/readAwsAccessConfig';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { AccountRecord } from '../snapshot/model';
import { toAccount } from '../snapshot/dto';

/**
 * `*` matches within one path segment, `**` across segments: `Workloads/*` is every direct child OU of
 * Workloads, `Workloads/**` the whole subtree.
 */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map(part =>
      part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

function readPairs(
  config: Config,
  key: 'require' | 'forbid',
  where: string,
  allowAnyGroup: boolean,
): BaselinePair[] {
  return (config.getOptionalConfigArray(key) ?? []).map((pair, j) => {
    const group =
      pair.getOptionalString('group') ?? (allowAnyGroup ? '*' : undefined);
    const permissionSet = pair.getOptionalString('permissionSet');
    if (!group || !permissionSet) {
      throw new AwsAccessConfigError(
        `${where}.${key}[${j}]`,
        'needs a group and a permissionSet',
        allowAnyGroup
          ? 'Name the permission set (and optionally the group; default any group).'
          : 'Name the Entra group and the permission set.',
      );
    }
    return { group, permissionSet };
  });
}

/** Reads `awsAccess.baseline`: the rules new accounts are checked and onboarded against. */
export function readBaselineRules(root: Config): {
  rules: BaselineRule[];
  newAccountDays: number;
} {
  const baseline = root.getOptionalConfig('awsAccess.baseline');
  if (!baseline) return { rules: [], newAccountDays: 14 };
  const rules = (baseline.getOptionalConfigArray('rules') ?? []).map(
    (rule, i) => {
      const where = `awsAccess.baseline.rules[${i}]`;
      const accounts = rule.getOptionalConfig('accounts');
      const selector = {
        ouPath: accounts?.getOptionalString('ouPath'),
        name: accounts?.getOptionalString('name'),
        tags: accounts?.getOptional<Record<string, string>>('tags'),
      };
      if (!selector.ouPath && !selector.name && !selector.tags) {
        throw new AwsAccessConfigError(
          `${where}.accounts`,
          'selects no accounts',
          'Set ouPath (e.g. Workloads/*), name (e.g. payments-*) and/or tags (e.g. { env: prod }).',
        );
      }
      const parsed: BaselineRule = {
        name: rule.getOptionalString('name') ?? `rule ${i + 1}`,
        accounts: selector,
        require: readPairs(rule, 'require', where, false),
        forbid: readPairs(rule, 'forbid', where, true),
      };
      if (parsed.require.length === 0 && parsed.forbid.length === 0) {
        throw new AwsAccessConfigError(
          where,
          'requires and forbids nothing',
          'Add require and/or forbid pairs.',
        );
      }
      return parsed;
    },
  );
  const newAccountDays = baseline.getOptionalNumber('newAccountDays') ?? 14;
  return { rules, newAccountDays };
}

function matches(rule: BaselineRule, account: AccountRecord): boolean {
  const { ouPath, name, tags } = rule.accounts;
  if (ouPath && !globToRegExp(ouPath).test(account.ouPath)) return false;
  if (name && !globToRegExp(name).test(account.name)) return false;
  if (
    tags &&
    Object.entries(tags).some(([key, value]) => account.tags[key] !== value)
  )
    return false;
  return true;
}

const samePair = (a: BaselinePair, b: BaselinePair) =>
  (a.group === '*' ||
    b.group === '*' ||
    a.group.toLocaleLowerCase('en-US') ===
      b.group.toLocaleLowerCase('en-US')) &&
  a.permissionSet === b.permissionSet;

/**
 * Compliance of accounts with the baseline, and the exact calls that would make an account compliant.
 * Groups are named by their Entra display name and resolved to the Identity Center group SCIM created.
 */
export class BaselinePolicy {
  readonly rules: BaselineRule[];
  readonly #newAccountDays: number;

  constructor(options: { rules: BaselineRule[]; newAccountDays: number }) {
    this.rules = options.rules;
    this.#newAccountDays = options.newAccountDays;
  }

  /** Groups and permission sets the rules name that the snapshot does not know. */
  problems(index: AccessIndex): string[] {
    const groups = new Set(
      [...index.identityGroupsById.values()].map(g =>
        g.displayName.toLocaleLowerCase('en-US'),
      ),
    );
    const problems: string[] = [];
    this.rules.forEach((rule, i) => {
      for (const [key, pairs] of [
        ['require', rule.require],
        ['forbid', rule.forbid],
      ] as const) {
        pairs.forEach((pair, j) => {
          const where = `awsAccess.baseline.rules[${i}].${key}[${j}]`;
          if (
            pair.group !== '*' &&
            !groups.has(pair.group.toLocaleLowerCase('en-US'))
          ) {
            problems.push(
              `${where}.group: no Entra group is named "${pair.group}"`,
            );
          }
          if (!index.permissionSetsByName.has(pair.permissionSet)) {
            problems.push(
              `${where}.permissionSet: no permission set is named "${pair.permissionSet}"`,
            );
          }
        });
      }
    });
    return problems;
  }

  /** The (group, permission set) pairs an account holds, by Entra group name (or the IdC name). */
  #held(index: AccessIndex, account: AccountRecord) {
    return (index.assignmentsByAccount.get(account.id) ?? []).map(
      assignment => {
        const ps = index.permissionSetsByArn.get(assignment.permissionSetArn);
        const name =
          assignment.principalType === 'GROUP'
            ? index.identityGroupByIdcGroupId.get(assignment.principalId)
                ?.displayName ??
              index.idcGroupsById.get(assignment.principalId)?.displayName ??
              assignment.principalId
            : index.idcUsersById.get(assignment.principalId)?.userName ??
              assignment.principalId;
        return {
          group: name,
          permissionSet: ps?.name ?? assignment.permissionSetArn,
          principalType: assignment.principalType,
          assignment,
        };
      },
    );
  }

  evaluate(
    index: AccessIndex,
    account: AccountRecord,
    now: Date,
  ): AccountCompliance {
    const rules = this.rules.filter(rule => matches(rule, account));
    const held = this.#held(index, account);
    const required = rules.flatMap(rule => rule.require);
    const missing = dedupe(
      required.filter(
        pair =>
          !held.some(h => h.principalType === 'GROUP' && samePair(h, pair)),
      ),
    );
    const forbidden = held
      .filter(h =>
        rules.some(rule => rule.forbid.some(pair => samePair(h, pair))),
      )
      .map(({ group, permissionSet, principalType }) => ({
        group,
        permissionSet,
        principalType,
      }));
    return {
      account: toAccount(account),
      compliant: missing.length === 0 && forbidden.length === 0,
      rules: rules.map(rule => rule.name),
      missing,
      forbidden,
      unassigned: held.length === 0,
      isNew:
        now.getTime() - Date.parse(account.firstSeenAt) <
        this.#newAccountDays * 86_400_000,
    };
  }

  /** The exact calls: create every missing pair; delete forbidden pairs only when asked to. */
  plan(
    index: AccessIndex,
    account: AccountRecord,
    options: { removeForbidden: boolean },
  ): OnboardingPlan {
    const compliance = this.evaluate(
      index,
      account,
      new Date(index.snapshot.readAt),
    );
    const { create, blocked } = creations(index, account, compliance.missing);
    const deletions: AssignmentCall[] = options.removeForbidden
      ? this.#held(index, account)
          .filter(h =>
            compliance.forbidden.some(
              f => f.group === h.group && f.permissionSet === h.permissionSet,
            ),
          )
          .map(h => ({
            operation: 'DeleteAccountAssignment' as const,
            input: {
              InstanceArn: index.snapshot.aws.instanceArn,
              TargetId: account.id,
              TargetType: 'AWS_ACCOUNT' as const,
              PermissionSetArn: h.assignment.permissionSetArn,
              PrincipalType: h.assignment.principalType,
              PrincipalId: h.assignment.principalId,
            },
            description: `${h.group} → ${h.permissionSet}`,
          }))
      : [];
    const planId = createHash('sha256')
      .update(
        JSON.stringify(
          [create, deletions].map(calls => calls.map(c => c.input)),
        ),
      )
      .digest('hex')
      .slice(0, 16);
    return {
      accountId: account.id,
      accountName: account.name,
      snapshotVersion: index.version,
      planId,
      create,
      delete: deletions,
      blocked,
    };
  }
}

/**
 * A CreateAccountAssignment for every missing pair whose group is in Identity Center and whose permission set
 * exists; the others are blocked, with the reason.
 */
function creations(
  index: AccessIndex,
  account: AccountRecord,
  missing: BaselinePair[],
) {
  const create: AssignmentCall[] = [];
  const blocked: OnboardingPlan['blocked'] = [];
  for (const pair of missing) {
    const ps = index.permissionSetsByName.get(pair.permissionSet);
    const group = [...index.identityGroupsById.values()].find(
      g =>
        g.displayName.toLocaleLowerCase('en-US') ===
        pair.group.toLocaleLowerCase('en-US'),
    );
    const idcGroup = group
      ? index.idcGroupByIdentityGroupId.get(group.id)
      : undefined;
    if (!ps) {
      blocked.push({
        ...pair,
        reason: `No permission set is named ${pair.permissionSet}`,
      });
    } else if (!idcGroup) {
      blocked.push({
        ...pair,
        reason: group
          ? `${pair.group} is not in IAM Identity Center yet: assign it to the AWS enterprise application and wait for provisioning`
          : `No Entra group is named ${pair.group}`,
      });
    } else {
      create.push({
        operation: 'CreateAccountAssignment',
        input: {
          InstanceArn: index.snapshot.aws.instanceArn,
          TargetId: account.id,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: ps.arn,
          PrincipalType: 'GROUP',
          PrincipalId: idcGroup.id,
        },
        description: `${pair.group} → ${pair.permissionSet}`,
      });
    }
  }
  return { create, blocked };
}

function dedupe(pairs: BaselinePair[]): BaselinePair[] {
  const seen = new Set<string>();
  return pairs.filter(pair => {
    const key = `${pair.group.toLocaleLowerCase('en-US')}|${
      pair.permissionSet
    }`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
