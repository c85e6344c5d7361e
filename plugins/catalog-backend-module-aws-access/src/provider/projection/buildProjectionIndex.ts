import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import { allocateNames, entraRefs } from './allocateNames';
import type { EmittedPrincipals } from './emitPrincipals';
import { emitPrincipals } from './emitPrincipals';
import { emitResources } from './emitResources';
import { indexRelations } from './indexRelations';
import { MappingReport } from './MappingReport';
import { sanitizeRecords } from './sanitizeRecords';
import type { MappingOptions, ProjectionIndex } from './types';

const NO_PRINCIPALS: EmittedPrincipals = { groups: [], users: [] };

/**
 * Derives the entities and relation lookups from a projection, in steps: sanitize the records, allocate entity
 * names, emit the Resources, index who reaches what, and (emit mode) emit Groups and Users, which carry a hash
 * of their access and so come after the index. Record-level problems (hostile names, look-alike names, missing
 * fields) skip or rename that record with an issue; they never fail the whole batch.
 */
export async function buildProjectionIndex(
  projection: CatalogProjection,
  options: MappingOptions,
): Promise<ProjectionIndex> {
  const report = new MappingReport();
  const records = sanitizeRecords(projection, report);
  const names = allocateNames(records, options, report);
  const resources = await emitResources(records, names, {
    projection,
    options,
    report,
  });
  const { groupRefs, userRefs } = entraRefs(names);
  const relations = indexRelations(
    records,
    { ...resources, groupRefs, userRefs },
    options,
  );
  const principals =
    options.mode === 'emit'
      ? await emitPrincipals(records, names, relations, { options, report })
      : NO_PRINCIPALS;
  return {
    snapshotVersion: projection.snapshotVersion,
    syncedAt: projection.syncedAt,
    counts: records.received,
    entities: [
      ...resources.entities,
      ...principals.groups,
      ...principals.users,
    ],
    emitted: {
      accounts: resources.accountRefs.size,
      permissionSets: resources.permissionSetRefs.size,
      groups: principals.groups.length,
      users: principals.users.length,
    },
    skipped: report.skipped,
    accountRefs: resources.accountRefs,
    permissionSetRefs: resources.permissionSetRefs,
    groupRefs,
    userRefs,
    ...relations,
    issues: report.issues,
  };
}
