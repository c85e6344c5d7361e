import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AwsAccessPermissionPolicy } from './AwsAccessPermissionPolicy';

/** Installs {@link AwsAccessPermissionPolicy} as the backend's permission policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'aws-access-policy',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig, policy: policyExtensionPoint },
      async init({ config, policy }) {
        policy.setPolicy(AwsAccessPermissionPolicy.fromConfig(config));
      },
    });
  },
});
