import { randomUUID } from 'node:crypto';
import type { Config } from '@backstage/config';
import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  CatalogProcessor,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import { AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC } from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { AwsAccessRelationsProcessor } from '../processor/AwsAccessRelationsProcessor';
import type { AwsAccessProviderConfig } from './config';
import { readProviderConfig } from './config';
import { EventRefreshPacer } from './EventRefreshPacer';
import type { EmittedState, MutationPlan } from './planMutation';
import { planMutationSliced } from './planMutation';
import { checkProjectionShape, ProjectionStore } from './ProjectionStore';
import type { MappingOptions, ProjectionIndex } from './projection';
import { logApplied, logMappingIssues } from './refreshLog';
import { compareCodeUnits, sortInSlices } from './sortInSlices';
import { FETCH_TIMEOUT_MS, withTimeout } from './withTimeout';

/** Refresh keys per `connection.refresh` call. */
const REFRESH_KEYS_CHUNK = 1000;

/**
 * What one refresh did.
 *
 * @public
 */
export interface AwsAccessRefreshOutcome {
  /**
   * `applied`: a full or delta mutation was applied; `unchanged`: the new snapshot changed no entity; every other
   * status means nothing was applied (`fetch-failed`, `invalid` response, `older-version`, `same-version`,
   * `empty` projection, `refused` by a safety rule, `aborted`, `apply-failed`, or `not-connected` yet).
   */
  status:
    | 'applied'
    | 'unchanged'
    | 'not-connected'
    | 'fetch-failed'
    | 'invalid'
    | 'older-version'
    | 'same-version'
    | 'empty'
    | 'refused'
    | 'aborted'
    | 'apply-failed';
  /** The snapshot version the refresh looked at. */
  snapshotVersion?: number;
  /** The kind of mutation, when one was planned. */
  mutation?: 'full' | 'delta' | 'none';
  /** Entities new to the provider, changed, removed and unchanged. */
  counts?: {
    added: number;
    updated: number;
    removed: number;
    unchanged: number;
  };
  /** Refresh keys passed to `connection.refresh` because the relations behind them changed. */
  refreshedKeys?: number;
  /** Why nothing was applied. */
  reason?: string;
}

/**
 * Emits AWS accounts and permission sets (and, in emit mode, Entra groups and users) from the committed snapshot
 * of the aws-access backend plugin, as delta mutations against what it emitted before. It never reads AWS or
 * Microsoft Graph itself.
 *
 * Safety: a failed fetch, a malformed response, an older or the same snapshot version, a projection without
 * accounts, or a mutation that would remove every entity emitted before changes nothing.
 *
 * The provider name `AwsAccessEntityProvider:<id>` is stable forever: renaming it orphans (and, with the
 * catalog's default `orphanProviderStrategy`, deletes) every entity it emitted.
 *
 * @public
 */
export class AwsAccessEntityProvider implements EntityProvider {
  readonly #config: AwsAccessProviderConfig;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #awsAccess: AwsAccessService;
  readonly #events?: EventsService;
  readonly #store: ProjectionStore;
  readonly #processor: AwsAccessRelationsProcessor;
  readonly #eventPacer: EventRefreshPacer;
  #connection?: EntityProviderConnection;
  #lastApplied?: { snapshotVersion: number; state: EmittedState };
  #announcedSignatures: ReadonlyMap<string, string> = new Map();
  #inFlight?: Promise<AwsAccessRefreshOutcome>;
  #rerun = false;

  /** Reads `catalog.providers.awsAccess` (validated; errors name the key) and creates the provider. */
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      scheduler: SchedulerService;
      awsAccess: AwsAccessService;
      events?: EventsService;
    },
  ): AwsAccessEntityProvider {
    const providerConfig = readProviderConfig(config);
    return new AwsAccessEntityProvider({
      config: providerConfig,
      logger: deps.logger,
      awsAccess: deps.awsAccess,
      events: deps.events,
      taskRunner: deps.scheduler.createScheduledTaskRunner(
        providerConfig.schedule,
      ),
    });
  }

  private constructor(options: {
    config: AwsAccessProviderConfig;
    logger: LoggerService;
    taskRunner: SchedulerServiceTaskRunner;
    awsAccess: AwsAccessService;
    events?: EventsService;
  }) {
    this.#config = options.config;
    this.#logger = options.logger.child({
      provider: `AwsAccessEntityProvider:${options.config.id}`,
    });
    this.#taskRunner = options.taskRunner;
    this.#awsAccess = options.awsAccess;
    this.#events = options.events;
    this.#store = new ProjectionStore({
      awsAccess: options.awsAccess,
      logger: this.#logger,
      mapping: toMappingOptions(options.config),
    });
    this.#processor = new AwsAccessRelationsProcessor({
      store: this.#store,
      logger: this.#logger,
    });
    this.#eventPacer = new EventRefreshPacer({
      minIntervalMs: options.config.eventRefreshMinIntervalMs,
      refresh: logger => this.refresh({ logger }),
    });
  }

  /** {@inheritdoc @backstage/plugin-catalog-node#EntityProvider.getProviderName} */
  getProviderName(): string {
    return `AwsAccessEntityProvider:${this.#config.id}`;
  }

  /** The processor that adds the access relations; it shares this provider's in-memory projection. */
  getRelationsProcessor(): CatalogProcessor {
    return this.#processor;
  }

  /** {@inheritdoc @backstage/plugin-catalog-node#EntityProvider.connect} */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    const taskId = `${this.getProviderName()}:refresh`;

    if (this.#events) {
      await this.#events.subscribe({
        id: `aws-access-entity-provider-${this.#config.id}`,
        topics: [AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC],
        onEvent: async params => {
          const payload = params.eventPayload as
            | { snapshotVersion?: unknown }
            | undefined;
          const version =
            typeof payload?.snapshotVersion === 'number'
              ? payload.snapshotVersion
              : undefined;
          const logger = this.#logger.child({
            trigger: 'event',
            announcedSnapshotVersion: version,
          });
          if (
            version !== undefined &&
            this.#lastApplied &&
            version <= this.#lastApplied.snapshotVersion
          ) {
            logger.debug('Snapshot already projected; no refresh needed');
            return;
          }
          await this.#eventPacer.announced(logger);
        },
      });
    }

    await this.#taskRunner.run({
      id: taskId,
      fn: async signal => {
        const logger = this.#logger.child({
          taskId,
          taskInstanceId: randomUUID(),
        });
        await this.refresh({ logger, signal });
      },
    });
  }

  /**
   * Fetches the projection and applies what changed. Concurrent calls (schedule and events) are coalesced: one
   * runs at a time, and a call during a run causes one more run afterwards. Never throws. Not paced: only
   * announcements wait for `eventRefreshMinInterval`.
   */
  refresh(options?: {
    logger?: LoggerService;
    signal?: AbortSignal;
  }): Promise<AwsAccessRefreshOutcome> {
    if (this.#inFlight) {
      this.#rerun = true;
      return this.#inFlight;
    }
    const run = async () => {
      let outcome: AwsAccessRefreshOutcome;
      do {
        this.#rerun = false;
        this.#eventPacer.refreshStarted();
        outcome = await this.#refreshOnce(
          options?.logger ?? this.#logger,
          options?.signal,
        );
      } while (this.#rerun && !options?.signal?.aborted);
      return outcome;
    };
    this.#inFlight = run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #refreshOnce(
    logger: LoggerService,
    signal?: AbortSignal,
  ): Promise<AwsAccessRefreshOutcome> {
    const connection = this.#connection;
    if (!connection) {
      return { status: 'not-connected' };
    }
    const fetched = await this.#fetchNewProjection(logger);
    if ('outcome' in fetched) {
      return fetched.outcome;
    }
    const index = await this.#indexOf(fetched.projection, logger);
    const plan = await this.#planMutation(index);
    if (plan.type === 'refused') {
      logger.error(
        `Refusing to apply the aws-access projection: ${plan.reason}`,
        {
          snapshotVersion: index.snapshotVersion,
        },
      );
      return {
        status: 'refused',
        snapshotVersion: index.snapshotVersion,
        reason: plan.reason,
      };
    }

    this.#store.offer(index);

    if (signal?.aborted) {
      return { status: 'aborted', snapshotVersion: index.snapshotVersion };
    }
    const applyFailure = await this.#apply(connection, plan, index, logger);
    if (applyFailure) {
      return applyFailure;
    }
    this.#lastApplied = {
      snapshotVersion: index.snapshotVersion,
      state: plan.state,
    };
    const refreshedKeys = await this.#refreshChangedRelations(
      connection,
      logger,
      index,
    );
    logApplied(logger, index, plan, refreshedKeys);
    return {
      status: plan.type === 'none' ? 'unchanged' : 'applied',
      snapshotVersion: index.snapshotVersion,
      mutation: plan.type,
      counts: plan.counts,
      refreshedKeys,
    };
  }

  /**
   * Fetches the projection and takes it only when it is well-formed, newer than the one applied and has
   * accounts; otherwise says why nothing changes.
   */
  async #fetchNewProjection(
    logger: LoggerService,
  ): Promise<
    { projection: CatalogProjection } | { outcome: AwsAccessRefreshOutcome }
  > {
    let projection: CatalogProjection;
    try {
      projection = await withTimeout(
        this.#awsAccess.getCatalogProjection(),
        FETCH_TIMEOUT_MS,
        'Fetching the aws-access catalog projection',
      );
    } catch (error) {
      logger.warn(
        `Could not fetch the aws-access catalog projection; the catalog keeps what it has: ${error}`,
      );
      return { outcome: { status: 'fetch-failed', reason: String(error) } };
    }

    const invalid = checkProjectionShape(projection);
    if (invalid) {
      logger.error(
        `The aws-access catalog projection is malformed (${invalid}); nothing changed`,
      );
      return { outcome: { status: 'invalid', reason: invalid } };
    }

    const version = projection.snapshotVersion;
    const last = this.#lastApplied;
    if (last && version < last.snapshotVersion) {
      logger.warn(
        'The aws-access projection is older than the one applied; nothing changed',
        {
          snapshotVersion: version,
          appliedSnapshotVersion: last.snapshotVersion,
        },
      );
      return { outcome: { status: 'older-version', snapshotVersion: version } };
    }
    if (last && version === last.snapshotVersion) {
      this.#store.confirm(version);
      logger.debug('The aws-access projection is unchanged', {
        snapshotVersion: version,
      });
      return { outcome: { status: 'same-version', snapshotVersion: version } };
    }
    if (projection.accounts.length === 0) {
      logger.warn(
        'The aws-access projection has no accounts; refusing to project it (nothing changed)',
        { snapshotVersion: version, emittedBefore: last?.state.size ?? 0 },
      );
      return { outcome: { status: 'empty', snapshotVersion: version } };
    }
    return { projection };
  }

  /** The index of the projection, or of a newer one the processor fetched meanwhile; its issues logged. */
  async #indexOf(
    projection: CatalogProjection,
    logger: LoggerService,
  ): Promise<ProjectionIndex> {
    let index = await this.#store.build(projection);
    const held = this.#store.current();
    if (held && held.snapshotVersion > index.snapshotVersion) {
      // The processor already fetched a newer snapshot while we were fetching: project that one.
      index = held;
    }
    logMappingIssues(logger, index);
    return index;
  }

  /** The mutation from what was applied last to this index's entities (or why it is refused). */
  #planMutation(index: ProjectionIndex): Promise<MutationPlan> {
    const config = this.#config;
    // The records that could have become entities, for the share of skipped ones.
    const records =
      (config.linkAccountsFromUpstream ? 0 : index.counts.accounts) +
      index.counts.permissionSets +
      (config.mode === 'emit'
        ? index.counts.entraGroups + index.counts.entraUsers
        : 0);
    // Hashing every entity's content takes seconds at 100,000 people: in slices, between other work.
    return new EventLoopSlices().run(
      planMutationSliced({
        previous: this.#lastApplied?.state,
        entities: index.entities,
        locationKey: `aws-access-provider:${config.id}`,
        records,
        skipped: index.skipped,
      }),
    );
  }

  /** Applies a full or delta mutation (nothing for `none`); the outcome when the catalog refused it. */
  async #apply(
    connection: EntityProviderConnection,
    plan: Exclude<MutationPlan, { type: 'refused' }>,
    index: ProjectionIndex,
    logger: LoggerService,
  ): Promise<AwsAccessRefreshOutcome | undefined> {
    const snapshotVersion = index.snapshotVersion;
    try {
      if (plan.type === 'full') {
        await connection.applyMutation({
          type: 'full',
          entities: plan.entities,
        });
      } else if (plan.type === 'delta') {
        await connection.applyMutation({
          type: 'delta',
          added: plan.added,
          removed: plan.removed,
        });
      }
      return undefined;
    } catch (error) {
      logger.error(
        `Applying the aws-access projection failed; it is retried on the next refresh: ${error}`,
        { snapshotVersion },
      );
      return { status: 'apply-failed', snapshotVersion, reason: String(error) };
    }
  }

  /** Asks the catalog to reprocess the entities whose relations changed (processor refresh keys). */
  async #refreshChangedRelations(
    connection: EntityProviderConnection,
    logger: LoggerService,
    index: ProjectionIndex,
  ): Promise<number> {
    const after = index.relationSignatures;
    const keys = await new EventLoopSlices().run(
      changedKeys(this.#announcedSignatures, after),
    );
    try {
      for (let i = 0; i < keys.length; i += REFRESH_KEYS_CHUNK) {
        await connection.refresh({
          keys: keys.slice(i, i + REFRESH_KEYS_CHUNK),
        });
      }
      this.#announcedSignatures = after;
    } catch (error) {
      logger.warn(
        `Could not request reprocessing of entities whose aws-access relations changed; the catalog's regular processing catches up: ${error}`,
      );
    }
    return keys.length;
  }
}

/** The refresh keys whose relation signature differs between `before` and `after`, sorted; one key a step. */
export function* changedKeys(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): Sliced<string[]> {
  const changed = new Set<string>();
  for (const [key, signature] of after) {
    yield;
    if (before.get(key) !== signature) {
      changed.add(key);
    }
  }
  for (const key of before.keys()) {
    yield;
    if (!after.has(key)) {
      changed.add(key);
    }
  }
  return yield* sortInSlices([...changed], compareCodeUnits);
}

/** The mapping settings of a provider config. */
export function toMappingOptions(
  config: AwsAccessProviderConfig,
): MappingOptions {
  return {
    providerId: config.id,
    mode: config.mode,
    ownerTag: config.ownerTag,
    defaultOwner: config.defaultOwner,
    systemTag: config.systemTag,
    relations: config.relations,
    linkAccountsFromUpstream: config.linkAccountsFromUpstream,
    accessPageUrl: config.accessPageUrl,
  };
}
