/**
 * Types, permissions, annotations and launch-link builders shared by the AWS access plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './entityNames';
export * from './events';
export * from './governance';
export * from './launchLinks';
export * from './paging';
export * from './permissions';
export * from './relations';
export * from './reviews';
export * from './states';
export * from './types';
