import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RequestableGrant } from '@aws-access/plugin-aws-access-common';
import { entraUserEntityRef } from '@aws-access/plugin-aws-access-common';
import type { CatalogDirectory } from '../auth/CatalogDirectory';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { AccessSources } from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import type { GovernancePolicy } from './governanceConfig';

/** Who may approve requests for one group under its policy. */
export interface Eligibility {
  /** User refs that may approve. */
  users: Set<string>;
  /** Group refs whose members (transitively) may approve. */
  groups: Set<string>;
  /**
   * The catalog owner groups of the accounts the group reaches, when the policy names `account-owners` and
   * there are several: each must approve once.
   */
  ownerGroups: string[];
}

/** Owners change rarely; a queue page should not read Graph once per request. */
const CACHE_MS = 60_000;

/**
 * Who approves and who belongs where: group membership and account ownership from the catalog (the
 * {@link CatalogDirectory} reads share), group owners from the identity source.
 */
export class ApproverDirectory {
  readonly #catalog: CatalogDirectory;
  readonly #sources: AccessSources;
  readonly #logger: LoggerService;
  readonly #owners = new Map<string, { at: number; ids: Promise<string[]> }>();

  constructor(options: {
    catalogDirectory: CatalogDirectory;
    sources: AccessSources;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalogDirectory;
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  /** Every group a user belongs to, directly or through parent groups (see {@link CatalogDirectory.groupsOf}). */
  groupsOf(userRef: string, claims: string[] = []): Promise<Set<string>> {
    return this.#catalog.groupsOf(userRef, claims);
  }

  /** Each user's catalog groups, named (see {@link CatalogDirectory.catalogGroupsOf}). */
  catalogGroupsOf(
    userRefs: string[],
  ): Promise<Map<string, Array<{ entityRef: string; name: string }>>> {
    return this.#catalog.catalogGroupsOf(userRefs);
  }

  /** The user refs of the identity source group's owners (users the snapshot knows). */
  async groupOwnerRefs(index: AccessIndex, groupId: string): Promise<string[]> {
    const reader = this.#sources.groupOwners;
    if (!reader) return [];
    const cached = this.#owners.get(groupId);
    let ids =
      cached && Date.now() - cached.at < CACHE_MS ? cached.ids : undefined;
    if (!ids) {
      ids = reader
        .readGroupOwners({ stats: new RequestStats() }, groupId)
        .then(owners => owners.map(owner => owner.id));
      this.#owners.set(groupId, { at: Date.now(), ids });
      ids.catch(error => {
        this.#owners.delete(groupId);
        this.#logger.warn(
          `Could not read the owners of group ${groupId}: ${error}`,
        );
      });
    }
    const users = await ids.catch(() => [] as string[]);
    return users.flatMap(id => {
      const user = index.identityUsersById.get(id);
      return user ? [entraUserEntityRef(user)] : [];
    });
  }

  /** Who may approve requests for a group under a policy. */
  async eligibility(
    index: AccessIndex,
    policy: GovernancePolicy,
    group: { id: string; grants: RequestableGrant[] },
  ): Promise<Eligibility> {
    const users = new Set<string>();
    const groups = new Set<string>();
    let ownerGroups: string[] = [];
    for (const approver of policy.approvers) {
      if (approver.kind === 'user') users.add(approver.ref);
      else if (approver.kind === 'group') groups.add(approver.ref);
      else if (approver.kind === 'group-owners') {
        for (const ref of await this.groupOwnerRefs(index, group.id))
          users.add(ref);
      } else {
        const owners = await this.#catalog.accountOwners();
        const refs = new Set(
          group.grants.flatMap(g => owners.get(g.accountId) ?? []),
        );
        for (const ref of refs) {
          (ref.startsWith('user:') ? users : groups).add(ref);
        }
        ownerGroups = refs.size > 1 ? [...refs].sort() : [];
      }
    }
    return { users, groups, ownerGroups };
  }
}

/** Whether a person (with their transitive groups) is among the eligible approvers. */
export function isEligible(
  eligibility: Eligibility,
  userRef: string,
  groupsOfUser: Set<string>,
): boolean {
  return (
    eligibility.users.has(userRef) ||
    [...eligibility.groups].some(ref => groupsOfUser.has(ref))
  );
}
