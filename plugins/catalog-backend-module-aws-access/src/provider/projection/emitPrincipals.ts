import type { GroupEntity, UserEntity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { ProjectedEntraGroup } from '@aws-access/plugin-aws-access-common';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { asArray, shortHash, stableStringify } from '../sanitize';
import { toGroupEntityBase, toUserEntityBase } from './entraEntities';
import { locationAnnotations } from './entityRefs';
import type { MappingReport } from './MappingReport';
import type {
  EntityNames,
  MappingOptions,
  PrincipalAccess,
  ProjectionRecords,
  RelationIndex,
} from './types';
import { buildValidEntities } from './validateEntity';

/**
 * Hash of the access relations of an emitted Group or User. It changes when the entity's relations change, so
 * the catalog reprocesses the entity (and this module's processor recomputes its relations).
 *
 * @public
 */
export const ANNOTATION_AWS_ACCESS_PROJECTION_HASH =
  'aws-access/projection-hash';

const NO_ACCESS: PrincipalAccess = { accounts: [], permissionSets: [] };

/** The emitted Groups (then Users), in emit mode. */
export interface EmittedPrincipals {
  groups: GroupEntity[];
  users: UserEntity[];
}

/**
 * Step 5, emit mode only: Group and User entities as the msgraph module would emit them, each with the hash of
 * its access relations (from the relation index), so that a change of access reprocesses the entity.
 */
export async function emitPrincipals(
  records: ProjectionRecords,
  names: EntityNames,
  relations: Pick<RelationIndex, 'groupAccess' | 'userAccess'>,
  context: {
    options: MappingOptions;
    report: MappingReport;
    slices?: EventLoopSlices;
  },
): Promise<EmittedPrincipals> {
  const { options, report } = context;
  const slices = context.slices ?? new EventLoopSlices(Infinity);
  const annotationsOf = (
    kind: string,
    name: string,
    access?: PrincipalAccess,
  ) => ({
    ...locationAnnotations(options.providerId, kind, name),
    [ANNOTATION_AWS_ACCESS_PROJECTION_HASH]: shortHash(
      stableStringify(access ?? NO_ACCESS),
      16,
    ),
  });
  const groups = await buildValidEntities(
    records.groups,
    {
      what: 'group',
      keyOf: group => group.id,
      names: names.groups,
      build: (group, name) => {
        const entity = toGroupEntityBase(group, name);
        entity.metadata.annotations = {
          ...entity.metadata.annotations,
          ...annotationsOf('Group', name, relations.groupAccess.get(group.id)),
        };
        return entity;
      },
    },
    report,
    slices,
  );
  await slices.run(linkGroupHierarchy(records.groups, groups));
  const memberOf = await slices.run(directMemberships(records.groups, groups));
  const users = await buildValidEntities(
    records.users,
    {
      what: 'user',
      keyOf: user => user.id,
      names: names.users,
      build: (user, name) => {
        const entity = toUserEntityBase(user, name);
        entity.metadata.annotations = {
          ...entity.metadata.annotations,
          ...annotationsOf('User', name, relations.userAccess.get(user.id)),
        };
        entity.spec.memberOf = [...(memberOf.get(user.id) ?? [])].reverse();
        return entity;
      },
    },
    report,
    slices,
  );
  return { groups: [...groups.values()], users: [...users.values()] };
}

/** Emitted groups sorted by Entra id, the order the msgraph reader works in. */
function byEntraId(
  groups: ProjectedEntraGroup[],
  entities: ReadonlyMap<string, GroupEntity>,
): Array<[ProjectedEntraGroup, GroupEntity]> {
  return [...groups]
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap(group => {
      const entity = entities.get(group.id);
      return entity
        ? [[group, entity] as [ProjectedEntraGroup, GroupEntity]]
        : [];
    });
}

/**
 * The hierarchy as the msgraph provider builds it: children = member groups, parent = the first parent by id.
 * Filled after validation, on entities that are already valid.
 */
function* linkGroupHierarchy(
  groups: ProjectedEntraGroup[],
  entities: ReadonlyMap<string, GroupEntity>,
): Sliced<void> {
  const parents = new Map<string, string[]>();
  for (const [group, entity] of byEntraId(groups, entities)) {
    yield;
    const childIds = [...new Set(asArray<string>(group.memberGroupIds))].sort();
    for (const childId of childIds) {
      const child = entities.get(childId);
      if (child && childId !== group.id) {
        entity.spec.children.push(stringifyEntityRef(child));
        parents.set(childId, [...(parents.get(childId) ?? []), group.id]);
      }
    }
  }
  for (const [childId, parentIds] of parents) {
    yield;
    const parent = entities.get([...parentIds].sort()[0]);
    if (parent) {
      entities.get(childId)!.spec.parent = stringifyEntityRef(parent);
    }
  }
}

/**
 * User id → refs of the emitted groups the user is a direct member of, in ascending group id. The msgraph
 * reader collects them in that order and its buildMemberOf pops them off a stack, so `memberOf` is this list
 * reversed.
 */
function* directMemberships(
  groups: ProjectedEntraGroup[],
  entities: ReadonlyMap<string, GroupEntity>,
): Sliced<Map<string, string[]>> {
  const memberOf = new Map<string, string[]>();
  for (const [group, entity] of byEntraId(groups, entities)) {
    yield;
    for (const userId of new Set(asArray<string>(group.memberUserIds))) {
      yield;
      memberOf.set(userId, [
        ...(memberOf.get(userId) ?? []),
        stringifyEntityRef(entity),
      ]);
    }
  }
  return memberOf;
}
