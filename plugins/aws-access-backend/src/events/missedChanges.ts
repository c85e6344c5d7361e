import type { MissedChange } from '@aws-access/plugin-aws-access-common';
import type { AwsSide } from '../snapshot/model';

/*
 * What a full reconciliation found that the change events had not brought: the AWS side the events kept up to date
 * (the previous snapshot) against the one the full read returns, in the parts events refresh. Cached details
 * (permission set definitions, account tags) compare without their read times; provisioning failures, which AWS
 * settles on its own, are left out.
 */

type Keyed = { key: string; value: string; subject: string };

/** JSON with keys sorted and undefined members left out, so equal records compare equal whoever built them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

type KeyedChange = MissedChange & { key: string };

function compare(
  kind: MissedChange['kind'],
  before: Keyed[],
  after: Keyed[],
): KeyedChange[] {
  const was = new Map(before.map(k => [k.key, k]));
  const is = new Map(after.map(k => [k.key, k]));
  const changes: KeyedChange[] = [];
  const add = (change: MissedChange['change'], { key, subject }: Keyed) =>
    changes.push({ kind, change, subject, key });
  for (const [key, now] of is) {
    const then = was.get(key);
    if (!then) add('added', now);
    else if (then.value !== now.value) add('changed', now);
  }
  for (const [key, then] of was) if (!is.has(key)) add('removed', then);
  return changes;
}

/** Names to describe things by, from both sides. */
function namer(before: AwsSide, after: AwsSide) {
  const names = new Map<string, string>();
  for (const side of [before, after]) {
    side.users.forEach(u => names.set(u.id, u.userName));
    side.groups.forEach(g => names.set(g.id, g.displayName));
    side.permissionSets.forEach(p => names.set(p.arn, p.name));
    side.accounts.forEach(a => names.set(a.id, `${a.name} (${a.id})`));
  }
  return (id: string) => names.get(id) ?? id;
}

function keyedSides(side: AwsSide, name: (id: string) => string) {
  return {
    assignment: side.assignments.map(a => {
      const key = `${a.principalType}|${a.principalId}|${a.accountId}|${a.permissionSetArn}`;
      const subject = `${a.principalType} ${name(a.principalId)} → ${name(
        a.accountId,
      )} / ${name(a.permissionSetArn)}`;
      return { key, value: '', subject };
    }),
    membership: side.groups.flatMap(g =>
      g.memberUserIds.map(userId => ({
        key: `${g.id}|${userId}`,
        value: '',
        subject: `${name(userId)} in ${g.displayName}`,
      })),
    ),
    user: side.users.map(u => ({
      key: u.id,
      value: canonical(u),
      subject: u.userName,
    })),
    group: side.groups.map(g => ({
      key: g.id,
      value: canonical({ ...g, memberUserIds: undefined }),
      subject: g.displayName,
    })),
    'permission-set': side.permissionSets.map(p => ({
      key: p.arn,
      value: canonical({ ...p, detailsReadAt: undefined }),
      subject: p.name,
    })),
    provisioning: side.provisionedPairs.map(p => ({
      key: `${p.accountId}|${p.permissionSetArn}`,
      value: '',
      subject: `${name(p.permissionSetArn)} on ${name(p.accountId)}`,
    })),
    account: side.accounts.map(a => ({
      key: a.id,
      value: canonical({ ...a, tagsReadAt: undefined, firstSeenAt: undefined }),
      subject: `${a.name} (${a.id})`,
    })),
  };
}

/**
 * Every difference between the AWS side events kept and the full read, by kind. A pair provisioned by an
 * assignment that was missed is part of that one change, not another.
 */
export function missedChanges(before: AwsSide, after: AwsSide): MissedChange[] {
  const name = namer(before, after);
  const was = keyedSides(before, name);
  const is = keyedSides(after, name);
  const changes = (Object.keys(was) as Array<keyof typeof was>).flatMap(kind =>
    compare(kind, was[kind], is[kind]),
  );
  const assignedPairs = new Set(
    changes
      .filter(c => c.kind === 'assignment' && c.change === 'added')
      .map(c => c.key.split('|').slice(2).join('|')),
  );
  return changes
    .filter(
      c =>
        !(
          c.kind === 'provisioning' &&
          c.change === 'added' &&
          assignedPairs.has(c.key)
        ),
    )
    .map(({ key: _key, ...change }) => change);
}
