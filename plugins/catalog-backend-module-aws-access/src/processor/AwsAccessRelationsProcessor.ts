import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import type {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import { processingResult } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_MICROSOFT_GRAPH_GROUP_ID,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
  RELATION_ACCESSIBLE_BY,
  RELATION_GRANTS_PERMISSION_SET,
  RELATION_HAS_ACCESS_TO,
  RELATION_PERMISSION_SET_GRANTED_TO,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';
import type { ProjectionStore } from '../provider/ProjectionStore';
import type { PrincipalAccess, ProjectionIndex } from '../provider/projection';
import { refreshKeys } from '../provider/projection';

/** `[source ref, relation type, target ref]` */
type RelationTriple = [string, string, string];

/** What the processor remembers per entity (in the catalog's processor cache, so it survives restarts). */
type CachedRelations = {
  key: string;
  snapshotVersion: number;
  relations: RelationTriple[];
};

const CACHE_KEY = 'relations';

interface Target {
  /** Refresh key registered on the entity; also identifies the cached relations. */
  key: string;
  compute(index: ProjectionIndex): RelationTriple[];
}

function principalRelations(
  principalRef: string,
  access: PrincipalAccess | undefined,
): RelationTriple[] {
  if (!access) {
    return [];
  }
  const relations: RelationTriple[] = [];
  for (const account of access.accounts) {
    relations.push([principalRef, RELATION_HAS_ACCESS_TO, account]);
    relations.push([account, RELATION_ACCESSIBLE_BY, principalRef]);
  }
  for (const permissionSet of access.permissionSets) {
    relations.push([
      principalRef,
      RELATION_GRANTS_PERMISSION_SET,
      permissionSet,
    ]);
    relations.push([
      permissionSet,
      RELATION_PERMISSION_SET_GRANTED_TO,
      principalRef,
    ]);
  }
  return relations;
}

/**
 * Adds the access relations to Group and User entities, whoever emitted them (this module in emit mode, the
 * msgraph module in link mode): group/user `hasAccessTo` ⇄ `accessibleBy` cloud-account, and group
 * `grantsPermissionSet` ⇄ `permissionSetGrantedTo` aws-permission-set. Principals are matched by
 * `graph.microsoft.com/group-id` / `user-id`; entities without those annotations by their ref (msgraph naming).
 * With `linkAccountsFromUpstream`, the account relations are added while processing the upstream `cloud-account`
 * Resources instead (matched by `amazonaws.com/account-id`).
 *
 * When no projection is available (backend down after a restart), or the one in memory is older than the one
 * that produced the entity's last relations, the processor re-emits the relations it emitted last (kept in the
 * processor cache), so a failed fetch never strips relations.
 *
 * @public
 */
export class AwsAccessRelationsProcessor implements CatalogProcessor {
  readonly #store: ProjectionStore;
  readonly #logger: LoggerService;

  constructor(options: { store: ProjectionStore; logger: LoggerService }) {
    this.#store = options.store;
    this.#logger = options.logger;
  }

  getProcessorName(): string {
    return 'AwsAccessRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const target = this.#targetOf(entity);
    if (!target) {
      return entity;
    }
    emit(processingResult.refresh(target.key));

    const cached = await cache.get<CachedRelations>(CACHE_KEY);
    const usableCache =
      cached && cached.key === target.key && Array.isArray(cached.relations)
        ? cached
        : undefined;

    let relations: RelationTriple[] = usableCache?.relations ?? [];
    try {
      const index = await this.#store.getForProcessing();
      if (
        index &&
        (!usableCache || index.snapshotVersion >= usableCache.snapshotVersion)
      ) {
        relations = target.compute(index);
        await cache.set<CachedRelations>(CACHE_KEY, {
          key: target.key,
          snapshotVersion: index.snapshotVersion,
          relations,
        });
      }
    } catch (error) {
      this.#logger.warn(
        `Could not compute aws-access relations for ${stringifyEntityRef(
          entity,
        )}; re-emitting the previous ones: ${error}`,
      );
    }

    for (const [source, type, targetRef] of relations) {
      try {
        emit(
          processingResult.relation({
            source: parseEntityRef(source),
            type,
            target: parseEntityRef(targetRef),
          }),
        );
      } catch {
        // A malformed cached ref: skip that relation only.
      }
    }
    return entity;
  }

  #targetOf(entity: Entity): Target | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const kind = entity.kind.toLocaleLowerCase('en-US');
    if (kind === 'group' || kind === 'user') {
      const ref = stringifyEntityRef(entity);
      const isGroup = kind === 'group';
      const entraId =
        annotations[
          isGroup
            ? ANNOTATION_MICROSOFT_GRAPH_GROUP_ID
            : ANNOTATION_MICROSOFT_GRAPH_USER_ID
        ];
      if (entraId) {
        return {
          key: isGroup ? refreshKeys.group(entraId) : refreshKeys.user(entraId),
          compute: index =>
            principalRelations(
              ref,
              (isGroup ? index.groupAccess : index.userAccess).get(entraId),
            ),
        };
      }
      return {
        key: refreshKeys.entity(ref),
        compute: index =>
          principalRelations(
            ref,
            (isGroup ? index.groupAccessByRef : index.userAccessByRef).get(ref),
          ),
      };
    }
    if (
      kind === 'resource' &&
      this.#store.mapping.linkAccountsFromUpstream &&
      (entity.spec as { type?: unknown } | undefined)?.type ===
        RESOURCE_TYPE_CLOUD_ACCOUNT &&
      annotations[ANNOTATION_AWS_ACCOUNT_ID]
    ) {
      const accountId = annotations[ANNOTATION_AWS_ACCOUNT_ID];
      const accountRef = stringifyEntityRef(entity);
      return {
        key: refreshKeys.account(accountId),
        compute: index => {
          const relations: RelationTriple[] = [];
          for (const principal of index.accountPrincipals.get(accountId) ??
            []) {
            relations.push([principal, RELATION_HAS_ACCESS_TO, accountRef]);
            relations.push([accountRef, RELATION_ACCESSIBLE_BY, principal]);
          }
          return relations;
        },
      };
    }
    return undefined;
  }
}
