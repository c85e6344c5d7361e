import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import type { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { toCloudAccountEntity } from './cloudAccountEntity';
import type { MappingReport } from './MappingReport';
import { toPermissionSetEntity } from './permissionSetEntity';
import type {
  EntityNames,
  MappingOptions,
  ProjectionRecords,
  ResourceRefs,
} from './types';
import { buildValidEntities } from './validateEntity';

/** The emitted Resources (accounts first, then permission sets) and their refs. */
export interface EmittedResources extends ResourceRefs {
  entities: Entity[];
}

/**
 * Step 3: the `cloud-account` and `aws-permission-set` Resources. No accounts when the upstream AWS
 * organization processor emits them.
 */
export async function emitResources(
  records: ProjectionRecords,
  names: EntityNames,
  context: {
    projection: Pick<CatalogProjection, 'organizationId' | 'instanceArn'>;
    options: MappingOptions;
    report: MappingReport;
    slices?: EventLoopSlices;
  },
): Promise<EmittedResources> {
  const { projection, options, report, slices } = context;
  const accounts = options.linkAccountsFromUpstream
    ? new Map<string, Entity>()
    : await buildValidEntities(
        records.accounts,
        {
          what: 'account',
          keyOf: account => account.id,
          names: names.accounts,
          build: (account, name) =>
            toCloudAccountEntity(account, {
              name,
              options,
              organizationId: projection.organizationId,
              report,
            }),
        },
        report,
        slices,
      );
  const permissionSets = await buildValidEntities(
    records.permissionSets,
    {
      what: 'permission set',
      keyOf: ps => ps.arn,
      names: names.permissionSets,
      build: (ps, name) =>
        toPermissionSetEntity(ps, {
          name,
          options,
          instanceArn: projection.instanceArn,
          report,
        }),
    },
    report,
    slices,
  );
  return {
    entities: [...accounts.values(), ...permissionSets.values()],
    accountRefs: refsByKey(accounts),
    permissionSetRefs: refsByKey(permissionSets),
  };
}

function refsByKey(entities: ReadonlyMap<string, Entity>): Map<string, string> {
  return new Map(
    [...entities].map(([key, entity]) => [key, stringifyEntityRef(entity)]),
  );
}
