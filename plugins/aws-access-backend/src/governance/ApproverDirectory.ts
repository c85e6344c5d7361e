import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { RequestableGrant } from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
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

/** Owners and account owners change rarely; a queue page should not read Graph once per request. */
const CACHE_MS = 60_000;

const canonical = (ref: string, defaultKind: string) =>
  stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );

function relationTargets(entity: Entity | undefined, type: string): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/**
 * Who approves and who belongs where, from the catalog (group membership, account ownership) and the identity
 * source (group owners). Group membership is transitive: a member of a sub-team belongs to its parent teams.
 */
export class ApproverDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #sources: AccessSources;
  readonly #logger: LoggerService;
  readonly #owners = new Map<string, { at: number; ids: Promise<string[]> }>();
  #accountOwners?: { at: number; owners: Promise<Map<string, string>> };

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    sources: AccessSources;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  async #credentials() {
    return { credentials: await this.#auth.getOwnServiceCredentials() };
  }

  /** Every group a user belongs to, directly (sign-in claims and catalog relations) or through parent groups. */
  async groupsOf(userRef: string, claims: string[] = []): Promise<Set<string>> {
    const options = await this.#credentials();
    const user = await this.#catalog.getEntityByRef(userRef, options);
    const seen = new Set<string>();
    let frontier = [
      ...claims.filter(ref => ref.startsWith('group:')),
      ...relationTargets(user, 'memberOf'),
    ];
    while (frontier.length > 0) {
      const refs = [...new Set(frontier)].filter(ref => !seen.has(ref));
      refs.forEach(ref => seen.add(ref));
      if (refs.length === 0) break;
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: refs },
        options,
      );
      frontier = items.flatMap(group => [
        ...relationTargets(group, 'childOf'),
        ...(typeof group?.spec?.parent === 'string'
          ? [canonical(group.spec.parent, 'group')]
          : []),
      ]);
    }
    return seen;
  }

  /** The catalog owner of each account (`spec.owner` of its cloud-account Resource), as a canonical ref. */
  async accountOwners(): Promise<Map<string, string>> {
    const cached = this.#accountOwners;
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.owners;
    const owners = this.#readAccountOwners();
    this.#accountOwners = { at: Date.now(), owners };
    owners.catch(() => (this.#accountOwners = undefined));
    return owners;
  }

  async #readAccountOwners(): Promise<Map<string, string>> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': RESOURCE_TYPE_CLOUD_ACCOUNT },
        fields: ['metadata.annotations', 'spec.owner'],
      },
      await this.#credentials(),
    );
    const owners = new Map<string, string>();
    for (const entity of items) {
      const accountId =
        entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID];
      const owner = entity.spec?.owner;
      if (accountId && typeof owner === 'string') {
        owners.set(accountId, canonical(owner, 'group'));
      }
    }
    return owners;
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
        const owners = await this.accountOwners();
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
