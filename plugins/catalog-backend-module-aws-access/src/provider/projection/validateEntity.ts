import type { Entity, KindValidator } from '@backstage/catalog-model';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  groupEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import type { MappingReport } from './MappingReport';

const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators: Record<string, KindValidator> = {
  Resource: resourceEntityV1alpha1Validator,
  Group: groupEntityV1alpha1Validator,
  User: userEntityV1alpha1Validator,
};

/** Runs the catalog's own entity policies and kind validator; returns the reason when the entity is invalid. */
export async function validateEntity(
  entity: Entity,
): Promise<string | undefined> {
  try {
    await entityPolicy.enforce(entity);
    const validator = kindValidators[entity.kind];
    if (validator && !(await validator.check(entity))) {
      return `not a valid ${entity.kind}`;
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Builds the entity of each named record and keeps the valid ones, by record key in record order. A record
 * without a name is skipped silently (its name allocation said why), an invalid entity with an issue.
 */
export async function buildValidEntities<T, E extends Entity>(
  records: T[],
  how: {
    /** Names the records in issues: `account`, `permission set`, `group`, `user`. */
    what: string;
    keyOf: (record: T) => string;
    names: ReadonlyMap<string, string>;
    build: (record: T, name: string) => E;
  },
  report: MappingReport,
  slices?: EventLoopSlices,
): Promise<Map<string, E>> {
  const entities = new Map<string, E>();
  for (const record of records) {
    // Validation awaits only promises that are already settled: without a turn, the event loop would wait.
    if (slices?.due()) await slices.turn();
    const key = how.keyOf(record);
    const name = how.names.get(key);
    if (!name) {
      report.skipUnnamed();
      continue;
    }
    const entity = how.build(record, name);
    const invalid = await validateEntity(entity);
    if (invalid) {
      report.skip(
        `${how.what} ${key}`,
        `entity is not valid (${invalid}); skipped`,
      );
      continue;
    }
    entities.set(key, entity);
  }
  return entities;
}
