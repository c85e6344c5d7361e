import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';

/** Account owners change rarely; a page of account views should not read the catalog once per view. */
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
 * Who belongs where and who owns which account, from the catalog: what approvals (account owners approve) and
 * reads (account owners see who holds what) share. Group membership is transitive: a member of a sub-team
 * belongs to its parent teams, so a team owning an account means every member of it and of its sub-teams.
 */
export class CatalogDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  #accountOwners?: { at: number; owners: Promise<Map<string, string>> };

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
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

  /**
   * Each user's groups in the catalog (its `memberOf` relations), named by their titles or display names; a
   * user the catalog does not know has none. Two catalog reads whatever the number of users.
   */
  async catalogGroupsOf(
    userRefs: string[],
  ): Promise<Map<string, Array<{ entityRef: string; name: string }>>> {
    const options = await this.#credentials();
    const users = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: userRefs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      options,
    );
    const memberOf = new Map(
      userRefs.map((ref, i) => [
        ref,
        relationTargets(users.items[i], 'memberOf'),
      ]),
    );
    const groupRefs = [...new Set([...memberOf.values()].flat())];
    const groups = groupRefs.length
      ? await this.#catalog.getEntitiesByRefs(
          {
            entityRefs: groupRefs,
            fields: [
              'metadata.name',
              'metadata.title',
              'spec.profile.displayName',
            ],
          },
          options,
        )
      : { items: [] };
    const names = new Map(
      groupRefs.map((ref, i) => {
        const group = groups.items[i];
        const name =
          group?.metadata.title ??
          (group?.spec?.profile as { displayName?: string } | undefined)
            ?.displayName ??
          group?.metadata.name ??
          parseEntityRef(ref).name;
        return [ref, name];
      }),
    );
    return new Map(
      [...memberOf].map(([user, refs]) => [
        user,
        refs.map(ref => ({ entityRef: ref, name: names.get(ref)! })),
      ]),
    );
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

  /**
   * The accounts a user owns: those whose owner is the user or one of the user's groups (`claims` are the
   * sign-in ownership refs).
   */
  async accountsOwnedBy(
    userRef: string,
    claims: string[] = [],
  ): Promise<Set<string>> {
    const [owners, groups] = await Promise.all([
      this.accountOwners(),
      this.groupsOf(userRef, claims),
    ]);
    const owned = new Set<string>();
    for (const [accountId, owner] of owners)
      if (owner === userRef || groups.has(owner)) owned.add(accountId);
    return owned;
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
}
