import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { AccessControl } from '../auth/AccessControl';
import type { CatalogDirectory } from '../auth/CatalogDirectory';
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
import { ReviewNotifier } from './ReviewNotifier';
import { ReviewService } from './ReviewService';
import type { ReviewStore } from './ReviewStore';

/** Access requests and reviews, when `awsAccess.governance` is configured: what the routes and the workers share. */
export interface Governance {
  config: GovernanceConfig;
  policies: GovernancePolicies;
  directory: ApproverDirectory;
  store: RequestStore;
  service: RequestService;
  /** Access reviews (governance.md §3). */
  reviews: ReviewService;
  /** Logs the policies whose selector matches no group (after each commit): a warning, never a failure. */
  reportUnknownGroups(index: AccessIndex): void;
}

/** Wires the governance services over the plugin's database, catalog and sources. */
export function createGovernance(options: {
  config: GovernanceConfig;
  /** The plugin's one request store (the worker moves the same requests). */
  store: RequestStore;
  /** Group membership and account ownership, shared with the read routes. */
  catalogDirectory: CatalogDirectory;
  /** The plugin's one review store (the review worker follows the same items). */
  reviewStore: ReviewStore;
  /** `awsAccess.platformGroups`: told about review items nobody else reviews. */
  platformGroups?: string[];
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
  const reviews = new ReviewService({
    store: options.reviewStore,
    requests: store,
    policies,
    directory,
    access: options.access,
    notifier: new ReviewNotifier(options),
    config: config.reviews,
    logger,
    now: options.now,
  });
  return {
    config,
    policies,
    directory,
    store,
    service,
    reviews,
    reportUnknownGroups(index) {
      for (const finding of unknownGroupFindings(index, policies)) {
        logger.warn(`awsAccess.governance: ${finding.message}`);
      }
    },
  };
}
