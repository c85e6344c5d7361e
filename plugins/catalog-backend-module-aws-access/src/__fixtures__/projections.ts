import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  AwsAccount,
  CatalogProjection,
} from '@aws-access/plugin-aws-access-common';
import type { MappingOptions } from '../provider/projection';
import { seedProjection } from './seedProjection';

/* Mapping settings and small projections for the projection pipeline's tests. */

export const linkOptions: MappingOptions = {
  providerId: 'default',
  mode: 'link',
  ownerTag: 'owner',
  defaultOwner: 'group:default/platform-team',
  // The tests look at every relation the projection can give; the shipped default is `none`.
  relations: 'all',
  linkAccountsFromUpstream: false,
};
export const emitOptions: MappingOptions = { ...linkOptions, mode: 'emit' };

export const byRef = (entities: Entity[]) =>
  new Map(entities.map(e => [stringifyEntityRef(e), e]));

export function account(
  overrides: Partial<AwsAccount> & { id: string },
): AwsAccount {
  return {
    name: `acct-${overrides.id}`,
    email: 'x@example.com',
    arn: `arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/${overrides.id}`,
    status: 'ACTIVE',
    ouPath: 'Root',
    tags: {},
    ...overrides,
  };
}

/** The seed projection's envelope with only the records given. */
export function projectionWith(
  overrides: Partial<CatalogProjection>,
): CatalogProjection {
  return {
    ...seedProjection(),
    permissionSets: [],
    entraGroups: [],
    entraUsers: [],
    assignments: [],
    ...overrides,
  };
}
