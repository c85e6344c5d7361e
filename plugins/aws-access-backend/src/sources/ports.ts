import type {
  AssignmentCallResult,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import type {
  AssignmentRecord,
  AwsSide,
  IdcGroup,
  IdcUser,
  IdentitySide,
  IdentityUser,
  ProvisioningLogEntry,
} from '../snapshot/model';
import type { RefreshTarget } from '../events/changeTargets';
import type { TargetRead } from './identityCenter/readChangeTargets';
import type { RequestBudget } from './requests/RequestBudget';
import type { RequestStats } from './requests/RequestStats';

/*
 * The data-source seam: what the sync, the targeted refreshes and the writes need from the clouds, named for
 * what it is rather than for the cloud behind it. Implementations live side by side per cloud: `entra/` (the
 * identity source and its provisioner) and `identityCenter/` (the AWS source and the assignment writer).
 */

/** One read or write: counts requests, stops with the run, and gives up before the run's deadline. */
export interface SourceContext {
  stats: RequestStats;
  signal?: AbortSignal;
  /** Epoch ms by which the run must finish; no retry waits past it. */
  deadline?: number;
}

/** A read within a sync run, at the run's start time. */
export interface ReadContext extends SourceContext {
  now: Date;
}

/** One user as the identity source holds them now, with the groups they are directly in. */
export interface IdentityUserRead {
  user: IdentityUser;
  directGroupIds: string[];
}

/**
 * Who *should* have access: the directory whose groups intend AWS access and that provisions them into Identity
 * Center (Microsoft Entra ID today). Reads users, groups, the provisioning scope (the AWS app's assignments), the
 * provisioning job, its log and directory changes; incrementally from the previous side's cursor.
 */
export interface IdentitySource {
  /**
   * The identity side: read from scratch, or continued from `previous` (its cursor) when it can be. Any failed
   * page fails the read; nothing partial is returned.
   */
  read(ctx: ReadContext, previous?: IdentitySide): Promise<IdentitySide>;
  /** One user's current state and direct groups (a targeted refresh); undefined when the user is gone. */
  readUser(
    ctx: SourceContext,
    userId: string,
  ): Promise<IdentityUserRead | undefined>;
  /** The provisioning log since the newest entry of `previous`, merged with it. */
  readProvisioningLog(
    ctx: ReadContext,
    previous: IdentitySide,
  ): Promise<ProvisioningLogEntry[]>;
}

/** One Identity Center user as AWS holds them now: their groups and direct assignments. */
export interface IdentityCenterUserRead {
  user?: IdcUser;
  groupIds: string[];
  directAssignments: AssignmentRecord[];
  /** The user's groups, described (groups created since the last full read are new to the snapshot). */
  groups: IdcGroup[];
}

/** Who *has* access: IAM Identity Center, its identity store, and AWS Organizations. */
export interface AwsSource {
  /** A full read of the AWS side; `previous` supplies cached definitions, tags and first-seen times. */
  read(ctx: ReadContext, previous?: AwsSide): Promise<AwsSide>;
  /** One user (by the identity source's id in ExternalIds, else by user name), for provision-on-demand. */
  readUser(
    ctx: SourceContext,
    options: {
      instanceArn: string;
      identityStoreId: string;
      identityUserId: string;
      issuer?: string;
      userName: string;
    },
  ): Promise<IdentityCenterUserRead>;
  /**
   * What AWS holds now for one change-event target (a pair's assignments, a group, a user, a permission set, an
   * account).
   */
  readChangeTarget(
    ctx: SourceContext,
    ids: { instanceArn: string; identityStoreId: string },
    target: RefreshTarget,
  ): Promise<TargetRead>;
  /** One account's provisioned permission sets and assignments, for the refresh after onboarding. */
  readAccountAssignments(
    ctx: SourceContext,
    options: { instanceArn: string; accountId: string },
  ): Promise<{ permissionSetArns: string[]; assignments: AssignmentRecord[] }>;
}

/** What the identity source answered when asked to provision one subject now. */
export interface ProvisionOnDemandResult {
  outcome: 'success' | 'skipped' | 'failure';
  /** The source's explanation, from its provisioning steps. */
  message: string;
}

/** Pushes one user or group from the identity source into AWS now, instead of at the next cycle. */
export interface Provisioner {
  provisionOnDemand(
    options: {
      servicePrincipalId: string;
      jobId: string;
      subject: {
        objectId: string;
        objectTypeName: 'User' | 'Group';
        /** For a group: the members whose membership should be provisioned with it. */
        memberIds?: string[];
      };
    },
    ctx: SourceContext,
  ): Promise<ProvisionOnDemandResult>;
}

/** Creates and deletes account assignments in Identity Center (account onboarding), every call reported. */
export interface AssignmentWriter {
  apply(options: {
    plan: OnboardingPlan;
    stats: RequestStats;
    signal?: AbortSignal;
    onResult?: (result: AssignmentCallResult) => Promise<void>;
  }): Promise<AssignmentCallResult[]>;
}

/** One membership written by an access request: an identity-source user in an identity-source group. */
export interface MembershipRef {
  /** The identity source's group id (the Entra object id). */
  groupId: string;
  /** The identity source's user id (the Entra object id). */
  userId: string;
}

/**
 * Adds a user to or removes them from a group of the identity source (access requests: granting, expiring and
 * revoking membership). Both are idempotent: adding a member who is in, or removing one who is out, succeeds and
 * changes nothing, so a write interrupted before its commit can be repeated after a restart. Implementations:
 * plain membership (`membership` mode; expiry is ours) and PIM for Groups (`pim` mode; Entra ends the membership
 * at `expiresAt` itself).
 */
export interface MembershipWriter {
  readonly mode: 'membership' | 'pim';
  /** `expiresAt` is honoured by the `pim` writer; the `membership` writer ignores it (our scheduler removes). */
  addMember(
    ctx: SourceContext,
    membership: MembershipRef & { expiresAt?: Date; justification?: string },
  ): Promise<void>;
  removeMember(ctx: SourceContext, membership: MembershipRef): Promise<void>;
}

/** A person who owns a group in the identity source (Entra `GET /groups/{id}/owners`; users only). */
export interface GroupOwner {
  /** The identity source's user id. */
  id: string;
  userPrincipalName?: string;
  mail?: string;
}

/** Reads a group's owners: one approver source of an access request's policy (`group-owners`). */
export interface GroupOwnersReader {
  readGroupOwners(ctx: SourceContext, groupId: string): Promise<GroupOwner[]>;
}

/** One message of the change events' queue, as received. */
export interface QueuedChange {
  messageId: string;
  /** Valid until the message's visibility timeout ends; deleting needs it. */
  receiptHandle: string;
  body: string;
  /** How often the queue has handed this message out, this time included. */
  receiveCount: number;
}

/** The queue change events arrive on (SQS): receive, delete once handled, and the dead-letter queue's depth. */
export interface ChangeEventQueue {
  /** Waits up to `waitSeconds` for messages (at most 10 a call). */
  receive(options: {
    waitSeconds: number;
    max: number;
    signal?: AbortSignal;
  }): Promise<QueuedChange[]>;
  /** Deletes handled messages; answers how many could not be deleted (they come back and are handled again). */
  delete(messages: readonly QueuedChange[]): Promise<number>;
  /** Messages in the dead-letter queue; undefined when its URL is not configured. */
  deadLetterDepth(): Promise<number | undefined>;
}

/**
 * The sources of one backend, as a plugin-scoped service (`accessSourcesServiceRef`). Without an identity source,
 * the identity side is derived from what the AWS source read (Identity Center's own users and groups), with no
 * second read of the identity store; without a provisioner there is no provision-on-demand, and without an
 * assignment writer no onboarding apply.
 */
export interface AccessSources {
  identity?: IdentitySource;
  aws: AwsSource;
  provisioner?: Provisioner;
  assignmentWriter?: AssignmentWriter;
  /** Membership writers for access requests, by governance mode (only with an identity source). */
  membershipWriters?: Partial<
    Record<MembershipWriter['mode'], MembershipWriter>
  >;
  /** The identity source's group owners (approvers), when it has them. */
  groupOwners?: GroupOwnersReader;
  /** Shared by every sso-admin and identitystore call, writes included: the instance's collective limit. */
  identityCenterBudget: RequestBudget;
  /** The change events' queue, when `awsAccess.identityCenter.events` is configured. */
  changeEvents?: ChangeEventQueue;
}
