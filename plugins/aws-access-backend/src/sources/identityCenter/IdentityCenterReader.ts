import type {
  ListInstancesCommandOutput,
  ListPermissionSetsProvisionedToAccountCommandOutput,
} from '@aws-sdk/client-sso-admin';
import {
  ListInstancesCommand,
  ListPermissionSetsProvisionedToAccountCommand,
} from '@aws-sdk/client-sso-admin';
import { defaultAccessPortalUrl } from '@aws-access/plugin-aws-access-common';
import type { AwsSide } from '../../snapshot/model';
import type {
  AwsSource,
  IdentityCenterUserRead,
  ReadContext,
  SourceContext,
} from '../ports';
import { mapWithConcurrency } from '../requests/RequestBudget';
import { SourceError } from '../requests/SourceError';
import type { AwsRequests } from './AwsRequests';
import type { RefreshTarget } from '../../events/changeTargets';
import type { TargetRead } from './readChangeTargets';
import { readChangeTarget } from './readChangeTargets';
import { readIdentityCenterUser, readIdentityStore } from './readIdentityStore';
import { readOrganization } from './readOrganization';
import { PreviousRecords } from './PreviousRecords';
import { readAssignments, readPermissionSets } from './readPermissionSets';

export interface IdentityCenterReaderOptions {
  aws: AwsRequests;
  region: string;
  instanceArn?: string;
  identityStoreId?: string;
  accessPortalUrl?: string;
  detailsRefreshMs: number;
  concurrency?: number;
}

/**
 * IAM Identity Center, its identity store and Organizations as the AWS source, read with as few calls as the
 * organisation's shape allows (see docs/api-calls.md for the formula):
 *
 *   ⌈P/100⌉ ListPermissionSets + Σ_p ⌈A_p/100⌉ ListAccountsForProvisionedPermissionSet (+ P for failures)
 *   + Σ_pairs ⌈k/100⌉ ListAccountAssignments + ⌈N/20⌉ ListAccounts + OU tree
 *   + ⌈U/100⌉ ListUsers + ⌈G/100⌉ ListGroups + Σ_g ⌈m_g/100⌉ ListGroupMemberships
 *
 * Permission set definitions and account tags change rarely and are reused from the previous snapshot until
 * they are older than the refresh interval. Any failed page fails the whole read: nothing partial returns.
 */
export class IdentityCenterReader implements AwsSource {
  readonly #options: IdentityCenterReaderOptions;
  readonly #aws: AwsRequests;
  readonly #concurrency: number;

  static create(options: IdentityCenterReaderOptions) {
    return new IdentityCenterReader(options);
  }

  private constructor(options: IdentityCenterReaderOptions) {
    this.#options = options;
    this.#aws = options.aws;
    this.#concurrency = options.concurrency ?? 8;
  }

  /** The configured instance, else the one the previous run found, else the only instance these credentials see. */
  async resolveInstance(
    ctx: ReadContext,
    previous?: AwsSide,
  ): Promise<{ instanceArn: string; identityStoreId: string }> {
    const { instanceArn, identityStoreId } = this.#options;
    if (instanceArn && identityStoreId) return { instanceArn, identityStoreId };
    // An instance never changes its ARN: what the last run discovered stays valid.
    if (previous && (!instanceArn || previous.instanceArn === instanceArn)) {
      return {
        instanceArn: previous.instanceArn,
        identityStoreId: previous.identityStoreId,
      };
    }
    const instances = await this.#aws.list(
      'ssoAdmin',
      ctx,
      token => new ListInstancesCommand({ NextToken: token }),
      (out: ListInstancesCommandOutput) => out.Instances,
    );
    const onlyInstance = instances.length === 1 ? instances[0] : undefined;
    const match = instanceArn
      ? instances.find(i => i.InstanceArn === instanceArn)
      : onlyInstance;
    if (!match?.InstanceArn || !match.IdentityStoreId) {
      throw new SourceError({
        source: 'sso-admin',
        errorClass: 'instance-not-found',
        message: instanceArn
          ? `Identity Center instance ${instanceArn} is not visible to these credentials`
          : `Found ${instances.length} Identity Center instances; set awsAccess.identityCenter.instanceArn`,
      });
    }
    return {
      instanceArn: match.InstanceArn,
      identityStoreId: match.IdentityStoreId,
    };
  }

  async read(ctx: ReadContext, previous?: AwsSide): Promise<AwsSide> {
    const { instanceArn, identityStoreId } = await this.resolveInstance(
      ctx,
      previous,
    );
    const options = {
      detailsRefreshMs: this.#options.detailsRefreshMs,
      concurrency: this.#concurrency,
    };
    const previousRecords = await PreviousRecords.of(previous);
    const [organization, permissionSets, identity] = await Promise.all([
      readOrganization(this.#aws, ctx, previous, options),
      readPermissionSets(
        this.#aws,
        ctx,
        instanceArn,
        previous,
        options,
        previousRecords,
      ),
      readIdentityStore(
        this.#aws,
        ctx,
        identityStoreId,
        this.#concurrency,
        previousRecords,
      ),
    ]);
    return {
      instanceArn,
      identityStoreId,
      region: this.#options.region,
      accessPortalUrl:
        this.#options.accessPortalUrl ??
        defaultAccessPortalUrl(identityStoreId, this.#options.region),
      accessPortalUrlFrom: this.#options.accessPortalUrl ? 'config' : 'default',
      organizationId: organization.organizationId,
      accounts: organization.accounts,
      permissionSets: permissionSets.records,
      provisionedPairs: permissionSets.pairs,
      provisioningFailures: permissionSets.failures,
      users: identity.users,
      groups: identity.groups,
      assignments: permissionSets.assignments,
    };
  }

  /**
   * One account's provisioned permission sets and assignments, for a targeted refresh after onboarding:
   * 1 + pages ListPermissionSetsProvisionedToAccount, then one ListAccountAssignments per permission set.
   */
  async readAccountAssignments(
    ctx: SourceContext,
    options: { instanceArn: string; accountId: string },
  ) {
    const { instanceArn, accountId } = options;
    const permissionSetArns = await this.#aws.list(
      'ssoAdmin',
      ctx,
      token =>
        new ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: instanceArn,
          AccountId: accountId,
          NextToken: token,
          MaxResults: 100,
        }),
      (out: ListPermissionSetsProvisionedToAccountCommandOutput) =>
        out.PermissionSets ?? [],
    );
    const assignments = await mapWithConcurrency(
      permissionSetArns,
      this.#concurrency,
      permissionSetArn =>
        readAssignments(this.#aws, ctx, instanceArn, {
          accountId,
          permissionSetArn,
        }),
    );
    return { permissionSetArns, assignments: assignments.flat() };
  }

  readChangeTarget(
    ctx: SourceContext,
    ids: { instanceArn: string; identityStoreId: string },
    target: RefreshTarget,
  ): Promise<TargetRead> {
    return readChangeTarget(this.#aws, ctx, ids, target);
  }

  readUser(
    ctx: SourceContext,
    options: Parameters<AwsSource['readUser']>[1],
  ): Promise<IdentityCenterUserRead> {
    return readIdentityCenterUser(this.#aws, ctx, options, this.#concurrency);
  }
}
