import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { AssignmentRecord } from '../snapshot/model';

const principalKey = (type: 'USER' | 'GROUP', id: string) => `${type}:${id}`;

/**
 * The Identity Center principals that are the person's own: their Identity Center user, the groups it is in, and
 * the groups the identity source says they reach the account through (a joiner's group is theirs before SCIM
 * provisions them into it; a nested group's assignment is the parent's).
 */
function ownPrincipals(index: AccessIndex, person: Person): Set<string> {
  const own = new Set<string>();
  const idcUser = person.idcUser;
  if (idcUser) {
    own.add(principalKey('USER', idcUser.id));
    for (const group of index.idcGroupsOfUser(idcUser.id))
      own.add(principalKey('GROUP', group.id));
  }
  for (const grant of person.grants) {
    for (const path of grant.paths) {
      const source = path.through?.entityRef
        ? index.identityGroupsByRef.get(path.through.entityRef)?.id
        : path.identityGroupId;
      const idcGroup = source && index.idcGroupByIdentityGroupId.get(source);
      if (idcGroup) own.add(principalKey('GROUP', idcGroup.id));
    }
  }
  return own;
}

/**
 * What of who-holds-what one caller may see. Who holds what is sensitive (a map of whom to phish for admin):
 * callers who may read all AWS access see every principal and person; an account's catalog owners see them on
 * that account; everyone else sees their own rows (assignments to them or to their groups, and the people they
 * may read anyway: themselves and their readable teams) and counts of the rest.
 */
export class PrincipalView {
  /** Every principal everywhere (read-all, and services that passed their route's permission). */
  static readonly everything = new PrincipalView({ everything: true });

  readonly #everything: boolean;
  readonly #ownedAccounts: ReadonlySet<string>;
  readonly #own: ReadonlySet<string>;
  readonly #readablePerson: (person: Person) => boolean;

  static reduced(options: {
    index: AccessIndex;
    /** The caller's person, when the snapshot knows them. */
    self?: Person;
    ownedAccounts: ReadonlySet<string>;
    readablePerson: (person: Person) => boolean;
  }): PrincipalView {
    return new PrincipalView({
      everything: false,
      ownedAccounts: options.ownedAccounts,
      own: options.self
        ? ownPrincipals(options.index, options.self)
        : new Set(),
      readablePerson: options.readablePerson,
    });
  }

  private constructor(options: {
    everything: boolean;
    ownedAccounts?: ReadonlySet<string>;
    own?: ReadonlySet<string>;
    readablePerson?: (person: Person) => boolean;
  }) {
    this.#everything = options.everything;
    this.#ownedAccounts = options.ownedAccounts ?? new Set();
    this.#own = options.own ?? new Set();
    this.#readablePerson = options.readablePerson ?? (() => false);
  }

  /** Whether the caller sees every principal everywhere. */
  get isComplete(): boolean {
    return this.#everything;
  }

  /** Whether the caller sees every principal and person on the account. */
  listsAccount(accountId: string): boolean {
    return this.#everything || this.#ownedAccounts.has(accountId);
  }

  showsAssignment(assignment: AssignmentRecord): boolean {
    return (
      this.listsAccount(assignment.accountId) ||
      this.#own.has(
        principalKey(assignment.principalType, assignment.principalId),
      )
    );
  }

  /** Whether a person's grants on the account show (account pages, report rows). */
  showsPerson(person: Person, accountId: string): boolean {
    return this.listsAccount(accountId) || this.#readablePerson(person);
  }
}

/** What a reduced view leaves out of a list of assignments: how many, and how many principals hold them. */
export function hiddenAssignments(
  all: AssignmentRecord[],
  view: PrincipalView,
): { assignments: number; principals: number } {
  const hidden = all.filter(a => !view.showsAssignment(a));
  return {
    assignments: hidden.length,
    principals: new Set(
      hidden.map(a => principalKey(a.principalType, a.principalId)),
    ).size,
  };
}
