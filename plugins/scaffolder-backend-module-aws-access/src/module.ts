import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { createApplyBaselineAction } from './actions/applyBaseline';

/**
 * Adds `aws-access:account:apply-baseline` to the scaffolder, so teams onboard AWS accounts through software
 * templates.
 *
 * @public
 */
export const scaffolderModuleAwsAccess = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-access',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        awsAccess: awsAccessServiceRef,
      },
      async init({ scaffolder, awsAccess }) {
        scaffolder.addActions(createApplyBaselineAction({ awsAccess }));
      },
    });
  },
});
