/**
 * The AWS access backend plugin: syncs Microsoft Entra ID and AWS IAM Identity Center into one validated
 * snapshot and serves engineers' access, team access, sync status, drift and diagnosis.
 *
 * @packageDocumentation
 */

export { awsAccessPlugin as default } from './plugin';
