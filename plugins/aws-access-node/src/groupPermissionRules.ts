import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { AWS_ACCESS_GROUP_RESOURCE_TYPE } from '@aws-access/plugin-aws-access-common';
import { z } from 'zod';

/**
 * The resource a group-scoped read is about: the group's entity ref.
 *
 * @public
 */
export type AwsAccessGroupResource = { entityRef: string };

/**
 * Query form of group conditions: the group refs a caller may read (for filtering lists).
 *
 * @public
 */
export type AwsAccessGroupQuery = { anyOfGroupRefs: string[] };

/** @public */
export const awsAccessGroupResourceRef = createPermissionResourceRef<
  AwsAccessGroupResource,
  AwsAccessGroupQuery
>().with({
  pluginId: 'aws-access',
  resourceType: AWS_ACCESS_GROUP_RESOURCE_TYPE,
});

/**
 * Allows a group when its ref is one of the claims, typically the caller's `ownershipEntityRefs`
 * (the user and the groups they are a direct member of).
 */
const isGroupMember = createPermissionRule<
  typeof awsAccessGroupResourceRef,
  { claims: string[] }
>({
  name: 'IS_GROUP_MEMBER',
  description:
    'Allow when the group is one of the given claims (the caller and their groups)',
  resourceRef: awsAccessGroupResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the caller and the groups they belong to'),
  }),
  apply: (resource, { claims }) => claims.includes(resource.entityRef),
  toQuery: ({ claims }) => ({
    anyOfGroupRefs: claims.filter((ref: string) => ref.startsWith('group:')),
  }),
});

/** Rules the backend registers for the `aws-access-group` resource type. @public */
export const awsAccessGroupRules = { isGroupMember };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: awsAccessGroupResourceRef,
  rules: awsAccessGroupRules,
});

/** Condition factories for permission policies, e.g. `awsAccessGroupConditions.isGroupMember({ claims })`. @public */
export const awsAccessGroupConditions = conditions;

/** Wraps group conditions into a policy decision. @public */
export const createAwsAccessGroupConditionalDecision =
  createConditionalDecision;
