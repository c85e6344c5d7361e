import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { allocateNamesSliced, entraRefsSliced } from './allocateNames';
import type { EmittedPrincipals } from './emitPrincipals';
import { emitPrincipals } from './emitPrincipals';
import { emitResources } from './emitResources';
import { indexRelationsSliced } from './indexRelations';
import { MappingReport } from './MappingReport';
import { sanitizeRecordsSliced } from './sanitizeRecords';
import type { MappingOptions, ProjectionIndex } from './types';

const NO_PRINCIPALS: EmittedPrincipals = { groups: [], users: [] };

/**
 * Derives the entities and relation lookups from a projection, in steps: sanitize the records, allocate entity
 * names, emit the Resources, index who reaches what, and (emit mode) emit Groups and Users, which carry a hash
 * of their access and so come after the index. Record-level problems (hostile names, look-alike names, missing
 * fields) skip or rename that record with an issue; they never fail the whole batch.
 *
 * Every step works record by record in `slices`, giving the event loop a turn between slices: at 100,000 people
 * the steps take seconds of CPU in the catalog's process, which serves requests meanwhile.
 */
export async function buildProjectionIndex(
  projection: CatalogProjection,
  options: MappingOptions,
  slices: EventLoopSlices = new EventLoopSlices(),
): Promise<ProjectionIndex> {
  const report = new MappingReport();
  const records = await slices.run(sanitizeRecordsSliced(projection, report));
  const names = await slices.run(allocateNamesSliced(records, options, report));
  const resources = await emitResources(records, names, {
    projection,
    options,
    report,
    slices,
  });
  const { groupRefs, userRefs } = await slices.run(entraRefsSliced(names));
  const relations = await slices.run(
    indexRelationsSliced(
      records,
      { ...resources, groupRefs, userRefs },
      options,
    ),
  );
  const principals =
    options.mode === 'emit'
      ? await emitPrincipals(records, names, relations, {
          options,
          report,
          slices,
        })
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
