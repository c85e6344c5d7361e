import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the AWS access plugins (validated at startup; errors name the key and the fix). */
  awsAccess?: {
    /**
     * Entity refs of the groups whose members are the platform team, e.g. `group:default/platform-team`.
     * Read by the sample permission policy; the plugin itself never grants anything by group.
     */
    platformGroups?: string[];

    /** The AWS side: IAM Identity Center, its identity store, and AWS Organizations. */
    identityCenter: {
      /**
       * Region of the IAM Identity Center instance, e.g. `us-east-1`. Its partition (`aws`, `aws-us-gov` for
       * `us-gov-*`, `aws-cn` for `cn-*`) sets where Organizations answers and the default access portal domain.
       */
      region: string;
      /** Instance ARN (`arn:aws:sso:::instance/ssoins-…`); discovered with ListInstances when left out. */
      instanceArn?: string;
      /** Identity store id (`d-xxxxxxxxxx`); discovered with ListInstances when left out. */
      identityStoreId?: string;
      /**
       * AWS access portal start URL for launch links. Default: the sign-on URL of the Entra AWS app (Graph `loginUrl`,
       * where a custom alias lives), else the instance's default: `https://<identityStoreId>.awsapps.com/start`
       * (`https://start.us-gov-home.awsapps.com/directory/<id>` in GovCloud, `https://start.home.awsapps.cn/directory/<id>`
       * in China).
       * @visibility frontend
       */
      accessPortalUrl?: string;
      /**
       * Read with the credentials the `aws` integration config has for this account (delegated admin or
       * management account). Leave out to use the main credentials (or `roleArn`).
       */
      accountId?: string;
      /** A read-only role to assume with the main credentials, e.g. `arn:aws:iam::111111111111:role/backstage-aws-access-read`. */
      roleArn?: string;
      /**
       * External id for the role assumption.
       * @visibility secret
       */
      externalId?: string;
      /**
       * One endpoint for sso-admin, identitystore, organizations, sts and sqs (an emulator): shorthand for setting
       * every one of `endpoints`.
       */
      endpoint?: string;
      /**
       * Endpoint overrides by service, e.g. interface VPC endpoints (one host per service); each wins over
       * `endpoint`. A service left out is resolved by the AWS SDK: `AWS_ENDPOINT_URL_<SERVICE>`
       * (`AWS_ENDPOINT_URL_SSO_ADMIN`, `…_IDENTITYSTORE`, `…_ORGANIZATIONS`, `…_STS`), `AWS_ENDPOINT_URL`, the shared
       * config file's `services` section, else the public endpoint. Organizations is always signed for its
       * partition's region (us-east-1, us-gov-west-1, cn-northwest-1). `sqs` is where the change events' queue
       * is read (`AWS_ENDPOINT_URL_SQS` otherwise; without either, the host of `events.queueUrl`).
       */
      endpoints?: {
        ssoAdmin?: string;
        identityStore?: string;
        organizations?: string;
        sts?: string;
        sqs?: string;
      };
      /**
       * Change events: CloudTrail records of Identity Center, Identity Store, SCIM and Organizations writes, delivered
       * by EventBridge to an SQS queue (the template in `cloudformation/aws-access-events.yaml`). The backend
       * long-polls the queue on one replica, re-reads exactly what each burst of events names, commits it, and only
       * then deletes the messages. With events, the full sync is the safety net: its default frequency becomes
       * `reconcileEvery` (Entra's side has its own refresh, `entra.refreshEvery`), and each full run reports on the
       * platform board what the events had missed.
       */
      events?: {
        /** The queue, e.g. `https://sqs.eu-west-1.amazonaws.com/111111111111/aws-access-events` (the stack's QueueUrl output). */
        queueUrl: string;
        /** The dead-letter queue (the stack's DeadLetterQueueUrl output): its depth is shown on the platform board. */
        deadLetterQueueUrl?: string;
        /** Long poll of one receive, at most 20 seconds. Default 20 seconds. */
        waitTime?: HumanDuration | string;
        /** After a burst's first message, how long more are gathered into the same refresh. Default 2 seconds. */
        batchWindow?: HumanDuration | string;
        /** At most this many messages in one refresh. Default 500. */
        maxBatch?: number;
        /** The full reconciliation's default frequency (without `awsAccess.schedule`), Entra or not. Default 24 hours. */
        reconcileEvery?: HumanDuration | string;
      };
      /** Requests per second shared by sso-admin and identitystore (the instance allows about 20 in total). Default 10. */
      requestsPerSecond?: number;
      /** Requests per second for AWS Organizations. Default 5. */
      organizationsRequestsPerSecond?: number;
      /** How long permission set definitions and account tags are reused before they are read again. Default 6 hours. */
      detailsRefresh?: HumanDuration | string;
      /** Timeout of one AWS request. Default 30 seconds. */
      requestTimeout?: HumanDuration | string;
    };

    /**
     * The Entra side: the app registration the plugin signs in with, and the AWS enterprise application.
     * Optional: leave it out when Identity Center uses its own directory or another identity provider. Then
     * Identity Center is read alone: every grant is active (what AWS holds is what is intended), people are
     * matched to catalog users by Identity Store user name, then email, and there are no pending or
     * being-removed states, no provisioning status and no provision-on-demand (that route answers 501).
     */
    entra?: {
      /** Directory (tenant) id. */
      tenantId: string;
      /** Application (client) id of the app registration the plugin uses (not needed for managed identity). */
      clientId?: string;
      /**
       * Client secret of that app registration. Set exactly one of clientSecret, certificatePath, managedIdentity.
       * @visibility secret
       */
      clientSecret?: string;
      /** Path to a PEM file with the certificate and private key of the app registration. */
      certificatePath?: string;
      /** Use the managed identity of the host (`true`), or a user-assigned one (`{ clientId }`). */
      managedIdentity?: boolean | { clientId?: string };
      /**
       * The Microsoft cloud of the tenant: `public` (default), `usGov` (GCC High), `usGovDoD` or `china`. Sets the
       * sign-in host, the Graph host and the token scope (`https://graph.microsoft.us/.default` for `usGov`).
       */
      cloud?: 'public' | 'usGov' | 'usGovDoD' | 'china';
      /** Sign-in authority; default the cloud's (`https://login.microsoftonline.com`). For a gateway or emulator. */
      authority?: string;
      /**
       * Microsoft Graph base URL; default the cloud's (`https://graph.microsoft.com`). Only where requests go: the
       * token scope stays the cloud's Graph.
       */
      graphBaseUrl?: string;
      /** Application (client) id of the "AWS IAM Identity Center" enterprise application. */
      awsAppId: string;
      /** Requests per second to Microsoft Graph. Default 20. */
      requestsPerSecond?: number;
      /** How far back provisioning and directory audit logs are kept. Default 7 days. */
      auditLookback?: HumanDuration | string;
      /**
       * How often Entra is read incrementally on its own (users and groups from the last delta links, the app's
       * assignments, the provisioning job and logs, directory audits), apart from the full sync and without any AWS
       * call; a snapshot is committed only when something changed. One replica reads at a time, never while a full
       * sync runs. At least 5 seconds. Default 1 minute.
       */
      refreshEvery?: HumanDuration | string;
    };

    /**
     * Credentials for account onboarding (creating and deleting account assignments). Off unless configured;
     * the sync itself only ever reads.
     */
    write?: {
      /** Account whose `aws` integration credentials may write assignments. */
      accountId?: string;
      /** Role allowed to create and delete account assignments, assumed with the main credentials. */
      roleArn?: string;
      /**
       * External id for the role assumption.
       * @visibility secret
       */
      externalId?: string;
      /** At most this many assignment operations in flight (AWS allows 10). Default 10. */
      maxOutstanding?: number;
      /** How often the status of an assignment operation is polled. Default 1 second. */
      pollInterval?: HumanDuration | string;
    };

    /**
     * The onboarding baseline: which (group, permission set) pairs accounts must have, and must not have.
     * Groups are Entra display names; accounts are selected by OU path (`*` one level, `**` any depth), name
     * pattern and/or tags — all given selectors must match.
     */
    baseline?: {
      /** Accounts first seen within this many days are flagged new. Default 14. */
      newAccountDays?: number;
      rules?: Array<{
        name?: string;
        accounts: {
          ouPath?: string;
          name?: string;
          tags?: { [key: string]: string };
        };
        require?: Array<{ group: string; permissionSet: string }>;
        /** `group` may be left out to forbid the permission set for any group. */
        forbid?: Array<{ group?: string; permissionSet: string }>;
      }>;
    };

    /**
     * When the full sync runs. Default every 15 minutes (with `identityCenter.events`: its `reconcileEvery`, 24
     * hours), timeout 90 minutes; the task runs on one replica at a time. Entra is also read on its own
     * `entra.refreshEvery`.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;

    /** Holds back snapshots that would remove too much (like Entra's TooManyDeletes). */
    massDeleteBrake?: {
      /** Default true. */
      enabled?: boolean;
      /** Share (0-1) of accounts, assignments or users a snapshot may drop before it is held. Default 0.2. */
      threshold?: number;
    };

    /** Data older than this is marked stale. Default three times the schedule's frequency. */
    staleAfter?: HumanDuration | string;
    /** How long sync run history is kept. Default 30 days. */
    runHistory?: HumanDuration | string;
    /** How many committed snapshots are kept. Default 5. */
    keepSnapshots?: number;
    /** How often replicas look for a snapshot another replica committed. Default 5 seconds. */
    pollInterval?: HumanDuration | string;
    /**
     * How long a permission decision is reused for the same caller token and permission (a team page's matrix asks
     * the same question many times a second). A new sign-in is decided again. At most a minute; 0 asks the
     * permission framework on every request. Default 5 seconds.
     */
    permissionDecisionTtl?: HumanDuration | string;

    /**
     * How a catalog user is matched to a person. Always first: with Entra the `graph.microsoft.com/user-id`
     * annotation, then the catalog user's email (`microsoft.com/email`, `spec.profile.email`) as an Entra user
     * principal name; without Entra the Identity Store user name. Never the entity name. An entity ref the catalog
     * does not have (a leaver Entra disabled) identifies, when someone asks about another person, the one person
     * the API names with that ref; `/me` always goes through the catalog.
     */
    userMatching?: {
      /**
       * Also match the catalog user's email to the person's email (Entra `mail`; without Entra the Identity
       * Center user's email) when nothing above matched. Default false: an email is not an identity. Never
       * matches an email two people share; the drift report lists those as `shared-email` findings.
       */
      byEmail?: boolean;
    };

    /** Retries of throttled and transient failures; waits honour Retry-After and never pass the run's timeout. */
    retries?: {
      /** Attempts per request, the first included. Default 5. */
      maxAttempts?: number;
      /** Base of the jittered exponential backoff. Default 250 ms. */
      baseDelay?: HumanDuration | string;
    };

    /** Provision-on-demand through Entra. */
    provisionOnDemand?: {
      /** Requests per person per hour. Default 5. */
      perUserPerHour?: number;
    };

    /**
     * Access requests (ask, approve, expire). Absent: the feature is off, its routes answer 404 and the UI hides
     * it. Validated at startup: every bad key is named in one error. A `group` that matches no group of the
     * identity source is a warning after each sync and a lint finding, never a startup failure.
     */
    governance?: {
      /**
       * How access is written to Entra. `membership` (default): plain group membership, removed at expiry by
       * the plugin's own durable task (needs Graph `GroupMember.ReadWrite.All`). `pim`: a PIM for Groups
       * assignment with an expiration that Entra ends itself (needs `PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup`
       * and Entra ID P2 / Governance licences).
       */
      mode?: 'membership' | 'pim';
      /** The policies; for each group, the first whose `group` matches applies. Groups no policy matches cannot be requested. */
      policies?: Array<{
        /** A group entity ref, or a glob over refs (`*`, `?`), e.g. `group:default/aws-*-admin`. */
        group: string;
        /** `everyone` (default), or user and group entity refs (members of a group count transitively). */
        requesters?: 'everyone' | string[];
        /**
         * Who may approve, any of: `group-owners` (the Entra group's owners), `account-owners` (members of the
         * catalog `spec.owner` group of each account the group reaches; with several owner groups, one approval
         * from each), or user and group entity refs. The requester never approves their own request; the
         * permission `aws-access.request.approve` can narrow this list, never widen it.
         */
        approvers?: string[];
        /** How many different people must approve: 1 (default) or 2. */
        approvals?: number;
        /** ISO 8601 upper bound on a membership, e.g. `PT4H`; absent: standing access may be requested. */
        maxDuration?: string;
        /** ISO 8601 duration used when a request names none; default `maxDuration`. At most `maxDuration`. */
        defaultDuration?: string;
        /** Whether a request needs a justification. Default `optional`. */
        justification?: 'required' | 'optional';
        /** A regular expression the ticket reference must match; when set, a ticket is required. */
        ticketPattern?: string;
        /** Approve at once (still audited, still expiring). Default false. The lint flags it on admin groups. */
        autoApprove?: boolean;
        /** ISO 8601: a request nobody decides within this expires, e.g. `P2D`. Absent: it waits. */
        approvalTimeout?: string;
        /** This policy's mode, overriding `governance.mode`. */
        mode?: 'membership' | 'pim';
      }>;
      /**
       * Access reviews (attestation). Campaigns are started through the API by holders of
       * `aws-access.review.manage`; each group's reviewers are its policy's approvers, else its Entra owners, else
       * the platform team.
       */
      reviews?: {
        /**
         * What a campaign's due date does to items nobody decided, unless the campaign says otherwise: `keep`
         * (default; recorded as undecided) or `remove` (removed like a `remove` decision).
         */
        closingPolicy?: 'keep' | 'remove';
        /**
         * ISO 8601 durations before the due date at which reviewers with undecided items are reminded through the
         * notifications plugin. Default `[P3D, P1D]`: three days before, and on the due day.
         */
        reminders?: string[];
      };
    };
  };
}
