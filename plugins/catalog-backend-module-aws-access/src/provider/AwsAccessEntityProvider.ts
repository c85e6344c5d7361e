import { Config } from '@backstage/config';
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { AwsAccessService } from '@aws-access/plugin-aws-access-node';

/**
 * Emits AWS accounts and permission sets (and, in emit mode, Entra groups and users) from the aws-access
 * snapshot. The provider name is stable forever: renaming it orphans every entity it emitted.
 *
 * @public
 */
export class AwsAccessEntityProvider implements EntityProvider {
  readonly #id: string;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #awsAccess: AwsAccessService;
  #connection?: EntityProviderConnection;

  static fromConfig(
    _config: Config,
    deps: { logger: LoggerService; scheduler: SchedulerService; awsAccess: AwsAccessService },
  ): AwsAccessEntityProvider {
    const taskRunner = deps.scheduler.createScheduledTaskRunner({
      frequency: { minutes: 10 },
      timeout: { minutes: 5 },
    });
    return new AwsAccessEntityProvider({ id: 'default', taskRunner, ...deps });
  }

  private constructor(options: {
    id: string;
    logger: LoggerService;
    taskRunner: SchedulerServiceTaskRunner;
    awsAccess: AwsAccessService;
  }) {
    this.#id = options.id;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
    this.#awsAccess = options.awsAccess;
  }

  getProviderName(): string {
    return `AwsAccessEntityProvider:${this.#id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        // Filled in by the catalog projection work: read the projection, compute a delta, apply it.
        this.#logger.debug('aws-access catalog projection is not implemented yet', {
          provider: this.getProviderName(),
          connected: Boolean(this.#connection),
          client: Boolean(this.#awsAccess),
        });
      },
    });
  }
}
