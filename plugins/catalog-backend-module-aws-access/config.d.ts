import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

/** Settings of the AWS access entity provider. */
interface AwsAccessProviderSettings {
  /**
   * `link` (default): Users and Groups come from another provider (the msgraph module); this module emits only
   * `cloud-account` and `aws-permission-set` Resources and adds relations to the Users/Groups it finds by their
   * `graph.microsoft.com/group-id` / `graph.microsoft.com/user-id` annotations.
   * `emit`: this module also emits the Entra groups assigned to the AWS app (and groups nested in them) and their
   * enabled members, named and annotated exactly like the msgraph module's default transformers. Do not use
   * `emit` together with the msgraph module: the refs would conflict.
   */
  mode?: 'link' | 'emit';
  /**
   * Name of the AWS account tag (and permission set tag) whose value names the owner: `backend-team` becomes
   * `group:default/backend-team`, a full ref such as `user:default/sara_example.com` is used as is.
   * Defaults to `owner`.
   */
  ownerTag?: string;
  /**
   * Owner (entity ref; the kind defaults to `group`) of accounts and permission sets without a usable owner tag.
   * Defaults to `group:default/platform-team`.
   */
  defaultOwner?: string;
  /**
   * Name of the AWS account tag whose value becomes `spec.system` (`payments` → `system:default/payments`).
   * Unset by default: no `spec.system`.
   */
  systemTag?: string;
  /**
   * Set to true when the upstream `AwsOrganizationCloudAccountProcessor` (@backstage/plugin-catalog-backend-module-aws)
   * already emits the accounts: this module then emits no `cloud-account` entities and adds the access relations
   * to the upstream ones (matched by `amazonaws.com/account-id`). Defaults to false.
   */
  linkAccountsFromUpstream?: boolean;
  /**
   * Which access relations the catalog carries. Every catalog reader sees them, while the aws-access API shows who
   * holds what only to an account's owners and readers of all access: `none` (default) keeps principals out of
   * the catalog; `groups` relates groups to the accounts and permission sets they are assigned; `all` adds direct
   * user assignments. Choose more than `none` only when everyone who may read the catalog may see it.
   */
  relations?: 'none' | 'groups' | 'all';
  /**
   * Absolute URL of the Backstage AWS access page, added as a link on account entities. Defaults to
   * `<app.baseUrl>/aws-access`.
   */
  accessPageUrl?: string;
  /**
   * Fallback refresh schedule. The provider also refreshes whenever the aws-access backend announces a committed
   * snapshot (events topic `aws-access.snapshot.committed`). Defaults to every 30 minutes, timeout 10 minutes,
   * first run 15 seconds after start.
   */
  schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
  /**
   * Least time from the start of one refresh (whatever triggered it) to the start of a refresh that a snapshot
   * announcement triggers. An announcement sooner than that is not dropped: one refresh runs when the interval has
   * passed, for every announcement received meanwhile. Each refresh of a large projection costs seconds of CPU on
   * the backend's event loop, and with change events a snapshot may be committed every few seconds. The schedule and
   * explicit refreshes are not paced. A duration object (`{ seconds: 30 }`) or string (`PT30S`, `30s`); a zero
   * duration (`{ seconds: 0 }`) refreshes on every announcement at once. Defaults to 30 seconds.
   */
  eventRefreshMinInterval?: HumanDuration | string;
}

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The AWS access entity provider: projects the aws-access backend's committed snapshot into the catalog.
       * Either one settings object (provider id `default`, name `AwsAccessEntityProvider:default`) or a map with
       * exactly one entry `{ <id>: settings }` (name `AwsAccessEntityProvider:<id>`). Never change the id: the
       * catalog removes the entities of a provider whose name disappears.
       */
      awsAccess?:
        | AwsAccessProviderSettings
        | { [id: string]: AwsAccessProviderSettings };
    };
  };
}
