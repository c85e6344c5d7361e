import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { PersonGrant } from './derivePersons';
import type { SnapshotLookups } from './SnapshotLookups';
import type { IdcGroup, IdentityGroup } from './model';

/*
 * What one person's derived grants depend on, so a derivation can reuse the previous one's grants for everyone
 * whose inputs did not change (issue 18, "incremental work").
 *
 * The derivation walks the snapshot and meets each person at *visits*: one Identity Center group of theirs (AWS
 * side), their direct assignments (AWS side and intended side), one in-scope group they are a direct member of,
 * one group nested below an in-scope group. A visit adds that principal's assignments with one path description
 * and one fact. So a person's grants are a function of
 *
 * - the sequence of their visits (their *trace*: which visits, in which order, and the name of their user path),
 *   which also says whether their users are enabled (a disabled user has no visits on that side), and
 * - what each visit reads (its *signature*): the path description (group names, entity refs, which Identity
 *   Center group an identity source group is linked to) and the principal's assignments in order, each with the
 *   labels grants are sorted by (account name, permission set name).
 *
 * Equal trace and equal signatures of every visit give equal grants, paths and order. Gap starts are not in either:
 * they depend on the audit log, the previous gap ages and the read time, and are recomputed for every person.
 */

/** A visit's kind: the side and fact it adds. */
export type VisitKind =
  | 'idc-group' // an Identity Center group of the person: in AWS
  | 'idc-user' // the person's direct assignments: in AWS
  | 'scoped-group' // an in-scope identity source group, direct member: intended
  | 'scoped-user' // the person's direct assignments, as in scope: intended
  | 'nested-group'; // a group nested below an in-scope group: nested

/** The key a visit's signature is memoised under: kind and principal ids (ids never hold a tab). */
export function visitKey(kind: VisitKind, id: string, throughId?: string) {
  return throughId === undefined
    ? `${kind}\t${id}`
    : `${kind}\t${id}\t${throughId}`;
}

/** The signatures of the visits of one snapshot, computed once per visit key. */
export class VisitSignatures {
  readonly #lookups: SnapshotLookups;
  readonly #byKey = new Map<string, string>();
  readonly #assignments = new Map<string, string>();

  constructor(lookups: SnapshotLookups) {
    this.#lookups = lookups;
  }

  /** Everything a visit reads, as one string. */
  of(key: string): string {
    let signature = this.#byKey.get(key);
    if (signature === undefined) {
      signature = this.#compute(key);
      this.#byKey.set(key, signature);
    }
    return signature;
  }

  #compute(key: string): string {
    const [kind, id, throughId] = key.split('\t') as [
      VisitKind,
      string,
      string | undefined,
    ];
    const lookups = this.#lookups;
    switch (kind) {
      case 'idc-group':
        return `${this.#template(
          lookups.idcGroupsById.get(id),
        )}\n${this.#ofPrincipal('GROUP', id)}`;
      case 'idc-user':
      case 'scoped-user':
        return this.#ofPrincipal('USER', id);
      case 'scoped-group':
        return this.#ofLinkedGroup(id);
      case 'nested-group': {
        const nested = lookups.identityGroupsById.get(id);
        const through = lookups.identityGroupsById.get(throughId!);
        return [
          nested && this.#identityGroup(nested),
          through && this.#identityGroup(through),
          this.#ofLinkedGroup(throughId!),
        ].join('\n');
      }
      default:
        throw new Error(`Unknown visit ${key}`);
    }
  }

  /** The Identity Center group an identity source group is linked to, its description and assignments. */
  #ofLinkedGroup(identityGroupId: string): string {
    const linked = this.#lookups.idcGroupByIdentityGroupId.get(identityGroupId);
    if (!linked) return '';
    return `${linked.id}\n${this.#template(linked)}\n${this.#ofPrincipal(
      'GROUP',
      linked.id,
    )}`;
  }

  /** What a group path says: the identity source group it came from, or the Identity Center group alone. */
  #template(idcGroup: IdcGroup | undefined): string {
    if (!idcGroup) return '';
    const source = this.#lookups.identityGroupByIdcGroupId.get(idcGroup.id);
    return source
      ? `group\t${this.#identityGroup(source)}`
      : `idc-group\t${idcGroup.displayName}`;
  }

  #identityGroup(group: IdentityGroup): string {
    return `${group.id}\t${group.displayName}\t${entraGroupEntityRef(group)}`;
  }

  /** A principal's assignments in order, each with the labels grants are sorted by. */
  #ofPrincipal(type: 'USER' | 'GROUP', id: string): string {
    const memoKey = `${type}:${id}`;
    let signature = this.#assignments.get(memoKey);
    if (signature === undefined) {
      const { accountsById, permissionSetsByArn } = this.#lookups;
      signature = this.#lookups
        .assignmentsOf(type, id)
        .map(
          a =>
            `${a.accountId}\t${
              accountsById.get(a.accountId)?.name ?? a.accountId
            }\t${a.permissionSetArn}\t${
              permissionSetsByArn.get(a.permissionSetArn)?.name ?? ''
            }`,
        )
        .join('\n');
      this.#assignments.set(memoKey, signature);
    }
    return signature;
  }
}

/** The previous derivation, as far as the next one reuses it. */
export interface PreviousDerivation {
  lookups: SnapshotLookups;
  /** Each derived person's trace, by person key. */
  traces: Map<string, string>;
  /** The grants derived for a person, by person key. */
  grantsOf(key: string): PersonGrant[] | undefined;
}

/** Whether each visit reads the same in the previous snapshot as in the next, memoised per visit key. */
export class VisitChanges {
  readonly #previous: VisitSignatures;
  readonly #next: VisitSignatures;
  readonly #unchanged = new Map<string, boolean>();

  constructor(previous: SnapshotLookups, next: SnapshotLookups) {
    this.#previous = new VisitSignatures(previous);
    this.#next = new VisitSignatures(next);
  }

  unchanged(key: string): boolean {
    let same = this.#unchanged.get(key);
    if (same === undefined) {
      same = this.#previous.of(key) === this.#next.of(key);
      this.#unchanged.set(key, same);
    }
    return same;
  }
}
