import type {
  AssignmentRecord,
  AwsSide,
  IdcGroup,
  IdcUser,
} from '../../snapshot/model';
import type { Sliced } from '../../snapshot/slices';
import { runInSlices } from '../../snapshot/slices';

/**
 * The previous snapshot's users, groups and assignments, so that a full read keeps the previous object wherever it
 * reads an equal one (issue 18). While a steady sync reads, the served snapshot and the read then share every
 * unchanged record instead of holding two copies: at 100,000 people about a million objects and strings more for
 * each major GC to mark, which is what blocked the event loop while reading. Snapshot records are never changed in
 * place (refreshes and merges copy), so sharing one is safe.
 */
export class PreviousRecords {
  readonly #users = new Map<string, IdcUser>();
  readonly #groups = new Map<string, IdcGroup>();
  readonly #assignmentsByPair = new Map<string, AssignmentRecord[]>();

  /** Indexes the previous snapshot one record a step: 100,000 users at once would be a block of its own. */
  static async of(
    previous: Pick<AwsSide, 'users' | 'groups' | 'assignments'> | undefined,
  ): Promise<PreviousRecords> {
    const records = new PreviousRecords();
    if (previous) await runInSlices(records.#index(previous));
    return records;
  }

  *#index(
    previous: Pick<AwsSide, 'users' | 'groups' | 'assignments'>,
  ): Sliced<void> {
    for (const user of previous.users) {
      this.#users.set(user.id, user);
      yield;
    }
    for (const group of previous.groups) {
      this.#groups.set(group.id, group);
      yield;
    }
    for (const assignment of previous.assignments) {
      const key = pairKey(assignment);
      const list = this.#assignmentsByPair.get(key);
      if (list) list.push(assignment);
      else this.#assignmentsByPair.set(key, [assignment]);
      yield;
    }
  }

  user(read: IdcUser): IdcUser {
    return keepEqual(this.#users.get(read.id), read);
  }

  group(read: IdcGroup): IdcGroup {
    return keepEqual(this.#groups.get(read.id), read);
  }

  /** A pair's assignments as read, or the previous snapshot's when every one is the same and in the same order. */
  assignmentsOfPair(read: AssignmentRecord[]): AssignmentRecord[] {
    if (read.length === 0) return read;
    const previous = this.#assignmentsByPair.get(pairKey(read[0]));
    if (
      !previous ||
      previous.length !== read.length ||
      !read.every((record, i) => sameFields(previous[i], record))
    )
      return read;
    return previous;
  }
}

function pairKey(record: { accountId: string; permissionSetArn: string }) {
  return `${record.accountId} ${record.permissionSetArn}`;
}

function keepEqual<T extends object>(previous: T | undefined, read: T): T {
  return previous && sameFields(previous, read) ? previous : read;
}

/**
 * Field by field, arrays element by element. A field that is undefined equals one that is absent: a record read
 * from JSON leaves out what the reader set to undefined, and both serialise alike.
 */
export function sameFields(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key of Object.keys(x))
    if (!sameValue(x[key], y[key])) return false;
  for (const key of Object.keys(y))
    if (!(key in x) && y[key] !== undefined) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
