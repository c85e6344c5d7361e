import type {
  AuditorService,
  LoggerService,
  PermissionsRegistryService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { AwsAccessSnapshotCommittedEvent } from '@aws-access/plugin-aws-access-common';
import {
  AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
  awsAccessGroupReadPermission,
  awsAccessPermissions,
  awsAccessRequestApprovePermission,
  awsAccessRequestCreatePermission,
} from '@aws-access/plugin-aws-access-common';
import {
  awsAccessGroupResourceRef,
  awsAccessGroupRules,
} from '@aws-access/plugin-aws-access-node';
import type { AwsAccessConfig } from './config/readAwsAccessConfig';
import { readAwsAccessConfig } from './config/readAwsAccessConfig';
import { BaselinePolicy, readBaselineRules } from './onboarding/BaselinePolicy';
import { OnboardingService } from './onboarding/OnboardingService';
import { accessSourcesServiceRef } from './sources/accessSourcesServiceRef';
import type { AccessSources } from './sources/ports';
import { createRouter } from './api/router';
import { createGovernance } from './governance/Governance';
import { readGovernanceConfig } from './governance/governanceConfig';
import { AccessControl } from './auth/AccessControl';
import { IdentityResolver } from './auth/IdentityResolver';
import { ProvisioningService } from './provisioning/ProvisioningService';
import { SnapshotCache } from './sync/SnapshotCache';
import { SYNC_TASK_ID, SyncService } from './sync/SyncService';
import { SnapshotStore } from './store/SnapshotStore';
import { RequestStore } from './governance/RequestStore';
import { RequestWorker } from './governance/RequestWorker';
import { RequestNotifier } from './governance/RequestNotifier';

/**
 * Unknown groups or permission sets in the baseline can only be named once AWS and the identity source have been
 * read: checked at start against the stored snapshot, and after every commit.
 */
function baselineReporter(
  baseline: BaselinePolicy,
  cache: SnapshotCache,
  logger: LoggerService,
) {
  return async () => {
    const index = await cache.tryCurrent();
    const problems = index ? baseline.problems(index) : [];
    if (problems.length > 0) {
      logger.error(
        `awsAccess.baseline names groups or permission sets that do not exist: ${problems.join(
          '; ',
        )}`,
      );
    }
  };
}

/** The full sync as a scheduler task of global scope: one replica runs it at a time. */
async function scheduleSync(
  scheduler: SchedulerService,
  config: AwsAccessConfig,
  sync: SyncService,
) {
  await scheduler.scheduleTask({
    id: SYNC_TASK_ID,
    ...config.schedule,
    scope: 'global',
    fn: async signal => {
      const run = await sync.run({ signal: signal as AbortSignal });
      if (run.outcome === 'failed') {
        throw new Error(
          `AWS access sync failed at ${run.error?.source}: ${run.error?.class}`,
        );
      }
    },
  });
}

/**
 * The request worker as a scheduler task of global scope. It runs whether or not governance is configured now:
 * memberships granted while it was must still expire.
 */
async function scheduleRequestWorker(
  deps: {
    sources: AccessSources;
    notifications: NotificationService;
    auditor: AuditorService;
    logger: LoggerService;
    scheduler: SchedulerService;
  },
  services: {
    requests: RequestStore;
    provisioning: ProvisioningService;
    cache: SnapshotCache;
  },
) {
  const logger = deps.logger.child({ task: 'aws-access-requests' });
  await RequestWorker.create({
    store: services.requests,
    writers: deps.sources.membershipWriters ?? {},
    provisioning: services.provisioning,
    snapshots: services.cache,
    notifier: new RequestNotifier({
      notifications: deps.notifications,
      logger,
    }),
    auditor: deps.auditor,
    logger,
  }).schedule(deps.scheduler);
}

function registerPermissions(registry: PermissionsRegistryService) {
  registry.addPermissions(awsAccessPermissions);
  registry.addResourceType({
    resourceRef: awsAccessGroupResourceRef,
    permissions: [
      awsAccessGroupReadPermission,
      awsAccessRequestCreatePermission,
      awsAccessRequestApprovePermission,
    ],
    rules: Object.values(awsAccessGroupRules),
    getResources: async refs => refs.map(entityRef => ({ entityRef })),
  });
}

/** The services the plugin uses; `sources` is its own (the clouds), replaceable in tests. */
const PLUGIN_DEPS = {
  rootConfig: coreServices.rootConfig,
  logger: coreServices.logger,
  database: coreServices.database,
  scheduler: coreServices.scheduler,
  httpRouter: coreServices.httpRouter,
  httpAuth: coreServices.httpAuth,
  userInfo: coreServices.userInfo,
  auth: coreServices.auth,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  auditor: coreServices.auditor,
  catalog: catalogServiceRef,
  events: eventsServiceRef,
  notifications: notificationService,
  sources: accessSourcesServiceRef,
};

/**
 * Serves engineers' AWS access and keeps it in sync with Entra ID and IAM Identity Center.
 *
 * @public
 */
export const awsAccessPlugin = createBackendPlugin({
  pluginId: 'aws-access',
  register(env) {
    env.registerInit({
      deps: PLUGIN_DEPS,
      async init(deps) {
        const config = readAwsAccessConfig(deps.rootConfig);
        const governanceConfig = readGovernanceConfig(deps.rootConfig);
        const store = await SnapshotStore.create({
          database: deps.database,
          keepSnapshots: config.keepSnapshots,
        });
        const cache = SnapshotCache.create({
          store,
          logger: deps.logger,
          pollIntervalMs: config.pollIntervalMs,
        });
        const baseline = new BaselinePolicy(readBaselineRules(deps.rootConfig));
        const access = AccessControl.create(deps);
        const requests = await RequestStore.create({ database: deps.database });
        const governance = governanceConfig
          ? createGovernance({
              ...deps,
              config: governanceConfig,
              store: requests,
              access,
            })
          : undefined;
        const reportBaselineProblems = baselineReporter(
          baseline,
          cache,
          deps.logger,
        );
        const sync = SyncService.create({
          store,
          sources: deps.sources,
          logger: deps.logger,
          massDeleteThreshold: config.massDeleteThreshold,
          massDeleteBrake: config.massDeleteBrake,
          timeoutMs: config.syncTimeoutMs,
          runHistoryMs: config.runHistoryMs,
          observationLookbackMs: config.entra?.auditLookbackMs,
          servedIndex: () => cache.tryCurrent(),
          onCommitted: async (snapshotVersion, index) => {
            if (index) cache.adopt(index);
            else await cache.invalidate();
            await reportBaselineProblems();
            if (index) governance?.reportUnknownGroups(index);
            const eventPayload: AwsAccessSnapshotCommittedEvent = {
              snapshotVersion,
            };
            await deps.events.publish({
              topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
              eventPayload,
            });
          },
        });
        await reportBaselineProblems();
        await scheduleSync(deps.scheduler, config, sync);
        registerPermissions(deps.permissionsRegistry);
        const provisioning = ProvisioningService.create({
          sync,
          sources: deps.sources,
          logger: deps.logger,
          perUserPerHour: config.provisionOnDemand.perUserPerHour,
        });
        await scheduleRequestWorker(deps, { requests, provisioning, cache });

        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          await createRouter({
            logger: deps.logger,
            auditor: deps.auditor,
            scheduler: deps.scheduler,
            access,
            identities: IdentityResolver.create(deps),
            cache,
            store,
            sync,
            provisioning,
            requests,
            onboarding: OnboardingService.create({
              policy: baseline,
              sources: deps.sources,
              sync,
              logger: deps.logger,
            }),
            staleAfterMs: config.staleAfterMs,
            governance,
            identitySource: deps.sources.identity ? 'entra' : 'none',
          }),
        );
      },
    });
  },
});
