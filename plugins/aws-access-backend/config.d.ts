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
      /** Region of the IAM Identity Center instance, e.g. `us-east-1`. */
      region: string;
      /** Instance ARN (`arn:aws:sso:::instance/ssoins-…`); discovered with ListInstances when left out. */
      instanceArn?: string;
      /** Identity store id (`d-xxxxxxxxxx`); discovered with ListInstances when left out. */
      identityStoreId?: string;
      /**
       * AWS access portal start URL for launch links; default `https://<identityStoreId>.awsapps.com/start`.
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
      /** Endpoint override for sso-admin, identitystore, organizations and sts (VPC endpoints, emulators). */
      endpoint?: string;
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
      /** Sign-in authority. Default `https://login.microsoftonline.com`. */
      authority?: string;
      /** Microsoft Graph base URL. Default `https://graph.microsoft.com`. */
      graphBaseUrl?: string;
      /** Application (client) id of the "AWS IAM Identity Center" enterprise application. */
      awsAppId: string;
      /** Requests per second to Microsoft Graph. Default 20. */
      requestsPerSecond?: number;
      /** How far back provisioning and directory audit logs are kept. Default 7 days. */
      auditLookback?: HumanDuration | string;
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

    /** When the sync runs. Default every 15 minutes, timeout 90 minutes; the task runs on one replica at a time. */
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
    };
  };
}
