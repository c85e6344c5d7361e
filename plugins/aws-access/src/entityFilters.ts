import type { Entity } from '@backstage/catalog-model';
import {
  RESOURCE_TYPE_AWS_PERMISSION_SET,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';

function isResourceOfType(entity: Entity, type: string): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    String(
      (entity.spec as { type?: unknown } | undefined)?.type ?? '',
    ).toLocaleLowerCase('en-US') === type
  );
}

/**
 * True for AWS account Resources (`kind: Resource`, `spec.type: cloud-account`), for legacy EntityPage switches.
 *
 * @public
 */
export function isAwsAccount(entity: Entity): boolean {
  return isResourceOfType(entity, RESOURCE_TYPE_CLOUD_ACCOUNT);
}

/**
 * True for IAM Identity Center permission set Resources (`kind: Resource`, `spec.type: aws-permission-set`).
 *
 * @public
 */
export function isAwsPermissionSet(entity: Entity): boolean {
  return isResourceOfType(entity, RESOURCE_TYPE_AWS_PERMISSION_SET);
}
