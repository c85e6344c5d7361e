/**
 * Scaffolder actions of the AWS access plugins: onboard an AWS account with its baseline of assignments.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAwsAccess as default } from './module';
export {
  createApplyBaselineAction,
  APPLY_BASELINE_ACTION_ID,
} from './actions/applyBaseline';
