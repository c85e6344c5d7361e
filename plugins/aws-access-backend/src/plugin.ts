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
import {
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
import { CatalogDirectory } from './auth/CatalogDirectory';
import { IdentityResolver } from './auth/IdentityResolver';
import { ProvisioningService } from './provisioning/ProvisioningService';
import { SnapshotCache } from './sync/SnapshotCache';
import { SYNC_TASK_ID, SyncService } from './sync/SyncService';
import { EVENTS_TASK_ID, EventConsumer } from './events/EventConsumer';
import {
  IDENTITY_REFRESH_TASK_ID,
  IdentityRefresh,
} from './sync/IdentityRefresh';
import { SnapshotStore } from './store/SnapshotStore';
import { RequestStore } from './governance/RequestStore';
import { RequestWorker } from './governance/RequestWorker';
import { RequestNotifier } from './governance/RequestNotifier';
import { ReviewNotifier } from './governance/ReviewNotifier';
import { ReviewStore } from './governance/ReviewStore';
import { ReviewWorker } from './governance/ReviewWorker';
import type { GovernancePolicies } from './governance/GovernancePolicies';
import type { ReviewsConfig } from './governance/governanceConfig';
import { DEFAULT_REVIEW_REMINDERS } from './governance/governanceConfig';
import { snapshotAnnouncer } from './sync/snapshotAnnouncer';

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
 * The change events consumer as a scheduler task of global scope: one replica consumes, in sessions of a minute;
 * when that replica dies, its claim expires with the timeout and another replica takes the task over.
 */
async function scheduleEventConsumer(
  deps: {
    sources: AccessSources;
    logger: LoggerService;
    scheduler: SchedulerService;
  },
  services: {
    config: AwsAccessConfig;
    sync: SyncService;
    store: SnapshotStore;
  },
) {
  const events = services.config.identityCenter.events;
  const queue = deps.sources.changeEvents;
  if (!events || !queue) return;
  const consumer = new EventConsumer({
    queue,
    aws: deps.sources.aws,
    sync: services.sync,
    store: services.store,
    config: events,
    logger: deps.logger.child({ task: EVENTS_TASK_ID }),
  });
  await deps.scheduler.scheduleTask({
    id: EVENTS_TASK_ID,
    scope: 'global',
    frequency: { seconds: 5 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 5 },
    fn: signal => consumer.consume(signal as AbortSignal, 60_000),
  });
}

/** The identity refresh's task timeout: a quiet tenant is a few requests, an expired delta token a full read. */
const IDENTITY_REFRESH_TIMEOUT_MS = 15 * 60_000;

/**
 * Entra's incremental read as a scheduler task of global scope, every `entra.refreshEvery`: one replica reads at a
 * time, and another takes over when its claim expires. Without Entra there is nothing to refresh.
 */
async function scheduleIdentityRefresh(
  deps: {
    sources: AccessSources;
    logger: LoggerService;
    scheduler: SchedulerService;
  },
  services: {
    config: AwsAccessConfig;
    sync: SyncService;
    store: SnapshotStore;
  },
): Promise<IdentityRefresh | undefined> {
  const entra = services.config.entra;
  const identity = deps.sources.identity;
  if (!entra || !identity) return undefined;
  const refresh = new IdentityRefresh({
    identity,
    sync: services.sync,
    store: services.store,
    logger: deps.logger.child({ task: IDENTITY_REFRESH_TASK_ID }),
    everyMs: entra.refreshMs,
    timeoutMs: IDENTITY_REFRESH_TIMEOUT_MS,
  });
  await deps.scheduler.scheduleTask({
    id: IDENTITY_REFRESH_TASK_ID,
    scope: 'global',
    frequency: { milliseconds: entra.refreshMs },
    timeout: { milliseconds: IDENTITY_REFRESH_TIMEOUT_MS },
    initialDelay: { milliseconds: entra.refreshMs },
    fn: async signal => {
      await refresh.run(signal as AbortSignal);
    },
  });
  return refresh;
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

/**
 * The review worker as a scheduler task of global scope. Like the request worker it runs whether or not
 * governance is configured now: removals decided while it was must still reach AWS.
 */
async function scheduleReviewWorker(
  deps: {
    sources: AccessSources;
    notifications: NotificationService;
    auditor: AuditorService;
    logger: LoggerService;
    scheduler: SchedulerService;
  },
  services: {
    reviews: ReviewStore;
    provisioning: ProvisioningService;
    cache: SnapshotCache;
    config?: ReviewsConfig;
    platformGroups: string[];
    requests: RequestStore;
    policies?: GovernancePolicies;
  },
) {
  const logger = deps.logger.child({ task: 'aws-access-reviews' });
  await new ReviewWorker({
    store: services.reviews,
    config: services.config ?? {
      closingPolicy: 'keep',
      reminders: DEFAULT_REVIEW_REMINDERS,
    },
    writers: deps.sources.membershipWriters ?? {},
    provisioning: services.provisioning,
    snapshots: services.cache,
    notifier: new ReviewNotifier({
      notifications: deps.notifications,
      logger,
      platformGroups: services.platformGroups,
    }),
    auditor: deps.auditor,
    logger,
    requests: services.requests,
    policies: services.policies,
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
        const access = AccessControl.create({
          ...deps,
          permissionDecisionTtlMs: config.permissionDecisionTtlMs,
        });
        const catalogDirectory = new CatalogDirectory(deps);
        const requests = await RequestStore.create({ database: deps.database });
        const reviews = await ReviewStore.create({ database: deps.database });
        const platformGroups =
          deps.rootConfig.getOptionalStringArray('awsAccess.platformGroups') ??
          [];
        const governance = governanceConfig
          ? createGovernance({
              ...deps,
              config: governanceConfig,
              store: requests,
              reviewStore: reviews,
              platformGroups,
              access,
              catalogDirectory,
            })
          : undefined;
        const reportBaselineProblems = baselineReporter(
          baseline,
          cache,
          deps.logger,
        );
        const announceCommitted = snapshotAnnouncer(deps.events, deps.logger);
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
          onReconciled: config.identityCenter.events
            ? async ({ runId, at, differences }) =>
                store.writeChangeEventStatus(
                  'reconcile',
                  {
                    at,
                    runId,
                    missed: differences.length,
                    differences: differences.slice(0, 50),
                  },
                  at,
                )
            : undefined,
          onCommitted: async (snapshotVersion, index) => {
            if (index) cache.adopt(index);
            else await cache.invalidate();
            await reportBaselineProblems();
            if (index) governance?.reportUnknownGroups(index);
            announceCommitted(snapshotVersion);
          },
        });
        await reportBaselineProblems();
        await scheduleSync(deps.scheduler, config, sync);
        await scheduleEventConsumer(deps, { config, sync, store });
        const identityRefresh = await scheduleIdentityRefresh(deps, {
          config,
          sync,
          store,
        });
        registerPermissions(deps.permissionsRegistry);
        const provisioning = ProvisioningService.create({
          sync,
          sources: deps.sources,
          logger: deps.logger,
          perUserPerHour: config.provisionOnDemand.perUserPerHour,
        });
        await scheduleRequestWorker(deps, { requests, provisioning, cache });
        await scheduleReviewWorker(deps, {
          reviews,
          provisioning,
          cache,
          config: governanceConfig?.reviews,
          platformGroups,
          requests,
          policies: governance?.policies,
        });

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
            identities: IdentityResolver.create({
              ...deps,
              matchByEmail: config.userMatching.byEmail,
            }),
            catalogDirectory,
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
            changeEvents: Boolean(config.identityCenter.events),
            identityRefresh,
          }),
        );
      },
    });
  },
});
