import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { AccessControl } from '../auth/AccessControl';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { AccessSources } from '../sources/ports';
import { ApproverDirectory } from './ApproverDirectory';
import type { GovernanceConfig } from './governanceConfig';
import { GovernancePolicies } from './GovernancePolicies';
import { unknownGroupFindings } from './governanceViews';
import { RequestNotifier } from './RequestNotifier';
import { RequestRules } from './RequestRules';
import { RequestService } from './RequestService';
import type { RequestStore } from './RequestStore';

/** Access requests, when `awsAccess.governance` is configured: what the routes and the worker share. */
export interface Governance {
  config: GovernanceConfig;
  policies: GovernancePolicies;
  directory: ApproverDirectory;
  store: RequestStore;
  service: RequestService;
  /** Logs the policies whose selector matches no group (after each commit): a warning, never a failure. */
  reportUnknownGroups(index: AccessIndex): void;
}

/** Wires the governance services over the plugin's database, catalog and sources. */
export function createGovernance(options: {
  config: GovernanceConfig;
  /** The plugin's one request store (the worker moves the same requests). */
  store: RequestStore;
  catalog: CatalogService;
  auth: AuthService;
  sources: AccessSources;
  access: AccessControl;
  logger: LoggerService;
  notifications?: NotificationService;
  now?: () => Date;
}): Governance {
  const { config, logger } = options;
  const policies = new GovernancePolicies(config);
  const directory = new ApproverDirectory(options);
  const { store } = options;
  const service = new RequestService({
    store,
    policies,
    directory,
    rules: new RequestRules({ access: options.access, policies, directory }),
    access: options.access,
    notifier: new RequestNotifier(options),
    now: options.now,
  });
  return {
    config,
    policies,
    directory,
    store,
    service,
    reportUnknownGroups(index) {
      for (const finding of unknownGroupFindings(index, policies)) {
        logger.warn(`awsAccess.governance: ${finding.message}`);
      }
    },
  };
}
