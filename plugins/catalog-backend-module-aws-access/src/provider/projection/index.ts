// The catalog projection as a pipeline of steps: sanitizeRecords → allocateNames → emitResources →
// indexRelations → emitPrincipals, composed by buildProjectionIndex.
export { buildProjectionIndex } from './buildProjectionIndex';
export { ANNOTATION_AWS_ACCESS_PROJECTION_HASH } from './emitPrincipals';
export { refreshKeys } from './indexRelations';
export type {
  MappingIssue,
  MappingOptions,
  PrincipalAccess,
  ProjectionIndex,
} from './types';
