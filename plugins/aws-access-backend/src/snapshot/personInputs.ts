import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { PersonGrant } from './derivePersons';
import type { SnapshotLookups } from './SnapshotLookups';

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

/**
 * The principal a visit reads, one object for all the visits of it in one derivation: its key (for traces) is
 * made once, and whether it reads the same as in the previous snapshot is found once and kept on it. Building a
 * key string per visit and looking it up in a map was a fifth of a targeted refresh's derivation at 100,000 people.
 */
export interface VisitSubject {
  kind: VisitKind;
  id: string;
  /** For a nested group: the in-scope group it is nested in. */
  throughId?: string;
  /** Kind and principal ids (ids never hold a tab). */
  key: string;
  /** Whether it reads the same as in the previous snapshot, once {@link VisitChanges} compared it. */
  unchanged?: boolean;
}

export function visitSubject(
  kind: VisitKind,
  id: string,
  throughId?: string,
): VisitSubject {
  return {
    kind,
    id,
    throughId,
    key:
      throughId === undefined
        ? `${kind}\t${id}`
        : `${kind}\t${id}\t${throughId}`,
  };
}

/** What the visits of one snapshot read, piece by piece, as strings to compare (each computed once). */
class VisitReads {
  readonly #lookups: SnapshotLookups;
  readonly #assignments = new Map<string, string>();

  constructor(lookups: SnapshotLookups) {
    this.#lookups = lookups;
  }

  /** The Identity Center group an identity source group is linked to ('' when none). */
  linkedGroupId(identityGroupId: string): string {
    return (
      this.#lookups.idcGroupByIdentityGroupId.get(identityGroupId)?.id ?? ''
    );
  }

  /** What a group path says: the identity source group it came from, or the Identity Center group alone. */
  groupTemplate(idcGroupId: string): string {
    const idcGroup = this.#lookups.idcGroupsById.get(idcGroupId);
    if (!idcGroup) return '';
    const source = this.#lookups.identityGroupByIdcGroupId.get(idcGroupId);
    return source
      ? `group\t${this.identityGroup(source.id)}`
      : `idc-group\t${idcGroup.displayName}`;
  }

  /** An identity source group's id, name and entity ref, as nested paths name it. */
  identityGroup(id: string): string {
    const group = this.#lookups.identityGroupsById.get(id);
    return group
      ? `${group.id}\t${group.displayName}\t${entraGroupEntityRef(group)}`
      : '';
  }

  /** Whether a principal has assignments at all (most users have none of their own). */
  hasAssignments(type: 'USER' | 'GROUP', id: string): boolean {
    return this.#lookups.assignmentsOf(type, id).length > 0;
  }

  /** A principal's assignments in order, each with the labels grants are sorted by. */
  assignments(type: 'USER' | 'GROUP', id: string): string {
    const memoKey = `${type}:${id}`;
    let read = this.#assignments.get(memoKey);
    if (read === undefined) {
      const { accountsById, permissionSetsByArn } = this.#lookups;
      read = this.#lookups
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
      this.#assignments.set(memoKey, read);
    }
    return read;
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

/**
 * Whether each visit reads the same in the previous snapshot as in the next. Compared piece by piece, each piece
 * once (a group's assignments are read by every visit through that group), and kept on the visit's subject.
 */
export class VisitChanges {
  readonly #previous: VisitReads;
  readonly #next: VisitReads;
  readonly #same = new Map<string, boolean>();

  constructor(previous: SnapshotLookups, next: SnapshotLookups) {
    this.#previous = new VisitReads(previous);
    this.#next = new VisitReads(next);
  }

  unchanged(subject: VisitSubject): boolean {
    subject.unchanged ??= this.#compare(subject);
    return subject.unchanged;
  }

  #compare({ kind, id, throughId, key }: VisitSubject): boolean {
    switch (kind) {
      case 'idc-group':
        return this.#idcGroupSame(id);
      case 'idc-user':
      case 'scoped-user':
        return this.#assignmentsSame('USER', id);
      case 'scoped-group':
        return this.#linkedSame(id);
      case 'nested-group':
        return (
          this.#piece('identityGroup', id) &&
          this.#piece('identityGroup', throughId!) &&
          this.#linkedSame(throughId!)
        );
      default:
        throw new Error(`Unknown visit ${key}`);
    }
  }

  #memo(key: string, compare: () => boolean): boolean {
    let same = this.#same.get(key);
    if (same === undefined) {
      same = compare();
      this.#same.set(key, same);
    }
    return same;
  }

  /** One piece (a name, a link) reads the same on both sides. */
  #piece(
    piece: 'identityGroup' | 'groupTemplate' | 'linkedGroupId',
    id: string,
  ): boolean {
    return this.#memo(
      `${piece}\t${id}`,
      () => this.#previous[piece](id) === this.#next[piece](id),
    );
  }

  #assignmentsSame(type: 'USER' | 'GROUP', id: string): boolean {
    if (
      !this.#previous.hasAssignments(type, id) &&
      !this.#next.hasAssignments(type, id)
    )
      return true;
    return this.#memo(
      `${type}\t${id}`,
      () =>
        this.#previous.assignments(type, id) ===
        this.#next.assignments(type, id),
    );
  }

  #idcGroupSame(idcGroupId: string): boolean {
    return (
      this.#piece('groupTemplate', idcGroupId) &&
      this.#assignmentsSame('GROUP', idcGroupId)
    );
  }

  /** An in-scope group reaches the same Identity Center group, which reads the same. */
  #linkedSame(identityGroupId: string): boolean {
    if (!this.#piece('linkedGroupId', identityGroupId)) return false;
    const linked = this.#next.linkedGroupId(identityGroupId);
    return linked === '' || this.#idcGroupSame(linked);
  }
}
