import type { GroupEntity, UserEntity } from '@backstage/catalog-model';
import type {
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_GROUP_ID,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';

/**
 * A Group exactly as the msgraph module's `defaultGroupTransformer` builds it (name, `graph.microsoft.com/group-id`,
 * `spec.type: team`, profile, description), without the hierarchy, which the caller fills like the msgraph
 * provider does.
 */
export function toGroupEntityBase(
  group: ProjectedEntraGroup,
  name: string,
): GroupEntity {
  const entity: GroupEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: {
        [ANNOTATION_MICROSOFT_GRAPH_GROUP_ID]: group.id,
      },
    },
    spec: {
      type: 'team',
      profile: {},
      children: [],
    },
  };
  if (group.description) {
    entity.metadata.description = group.description;
  }
  if (group.displayName) {
    entity.spec.profile!.displayName = group.displayName;
  }
  if (group.mail) {
    entity.spec.profile!.email = group.mail;
  }
  return entity;
}

/** A User exactly as the msgraph module's `defaultUserTransformer` builds it (without `memberOf`). */
export function toUserEntityBase(
  user: ProjectedEntraUser,
  name: string,
): UserEntity {
  const entity: UserEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      annotations: {
        [ANNOTATION_MICROSOFT_GRAPH_USER_ID]: user.id,
      },
    },
    spec: {
      profile: {
        displayName: user.displayName,
      },
      memberOf: [],
    },
  };
  if (user.mail) {
    entity.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL] = user.mail;
    entity.spec.profile!.email = user.mail;
  }
  return entity;
}
