import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AccessSources,
  ProvisionOnDemandResult,
  Provisioner,
  SourceContext,
} from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { IdentityGroup } from '../snapshot/model';
import { applyUserRefresh } from '../snapshot/applyUserRefresh';
import { withPersonRead } from '../snapshot/freshness';
import type { SyncService } from '../sync/SyncService';
import {
  ProvisioningRateLimit,
  SlidingWindowQueue,
} from './ProvisioningRateLimit';

export { TooManyRequestsError } from './ProvisioningRateLimit';

export interface ProvisionOutcome extends ProvisionOnDemandResult {
  action: 'provision' | 'deprovision';
  /** The snapshot version after the targeted refresh, when it committed. */
  version?: number;
}

/** One thing to provision: the user, or a group carrying the user's membership. */
type Subject = Parameters<Provisioner['provisionOnDemand']>[0]['subject'] & {
  name: string;
};

type Answer = ProvisionOnDemandResult & { name: string };

export interface ProvisioningServiceOptions {
  sync: SyncService;
  sources: Pick<AccessSources, 'identity' | 'aws' | 'provisioner'>;
  logger: LoggerService;
  perUserPerHour: number;
  now?: () => number;
  /** Entra's provisionOnDemand limit per application. Default 5 per 10 seconds. */
  onDemandLimit?: { limit: number; windowMs: number };
}

/**
 * Provision-on-demand: asks the identity source to push one person to AWS now (or to remove a leaver now), then
 * re-reads just that person's state on both sides and commits it through the normal commit path, so their page
 * updates within seconds instead of after the next cycle and the next full sync.
 */
export class ProvisioningService {
  readonly #sync: SyncService;
  readonly #sources: ProvisioningServiceOptions['sources'];
  readonly #logger: LoggerService;
  readonly #rateLimit: ProvisioningRateLimit;
  readonly #onDemand: SlidingWindowQueue;

  static create(options: ProvisioningServiceOptions) {
    return new ProvisioningService(options);
  }

  private constructor(options: ProvisioningServiceOptions) {
    this.#sync = options.sync;
    this.#sources = options.sources;
    this.#logger = options.logger;
    this.#rateLimit = new ProvisioningRateLimit(
      options.perUserPerHour,
      options.now ?? Date.now,
    );
    this.#onDemand = new SlidingWindowQueue(
      options.onDemandLimit ?? { limit: 5, windowMs: 10_000 },
    );
  }

  /** Whether the source should add the person to AWS (enabled and in the provisioning scope) or take them out. */
  static actionFor(
    index: AccessIndex,
    person: Person,
  ): 'provision' | 'deprovision' {
    const user = person.identityUser;
    if (!user?.accountEnabled) return 'deprovision';
    const inScope =
      index.scopedUserIds.has(user.id) ||
      [...index.scopedGroupIds].some(id =>
        index.identityGroupsById.get(id)?.memberUserIds.includes(user.id),
      );
    return inScope ? 'provision' : 'deprovision';
  }

  /** Why provisioning cannot even be asked for this person, if it cannot. */
  #refusal(index: AccessIndex, person: Person): string | undefined {
    if (!this.#sources.provisioner)
      return 'Provision-on-demand needs an identity source that provisions AWS; none is configured';
    if (!person.identityUser)
      return 'This person has no Entra user; remove the Identity Center user by hand';
    if (!index.snapshot.identity.provisioning.id)
      return 'The AWS enterprise application has no provisioning job to run';
    return undefined;
  }

  async provision(options: {
    index: AccessIndex;
    person: Person;
    signal?: AbortSignal;
  }): Promise<ProvisionOutcome> {
    const { index, person } = options;
    const action = ProvisioningService.actionFor(index, person);
    const refusal = this.#refusal(index, person);
    if (refusal) return { action, outcome: 'failure', message: refusal };
    this.#rateLimit.admit(person.key);

    const answers = await this.#provisionSubjects(
      index,
      ProvisioningService.subjectsOf(index, person),
      { stats: new RequestStats(), signal: options.signal },
    );
    const result = summarize(answers);
    this.#logger.info('Provision-on-demand answered', {
      user: person.entityRef,
      action,
      outcome: result.outcome,
      subjects: answers.length,
    });
    if (answers.every(r => r.outcome === 'failure')) {
      return { action, ...result };
    }
    const version = await this.refreshPerson({
      person,
      reason: `provision-on-demand ${person.entityRef}`,
      signal: options.signal,
    });
    return { action, ...result, version };
  }

  /**
   * After an access request's write to the identity source: pushes that one membership to AWS now (the group with
   * just this member, after the user when AWS does not know them yet), then refreshes the person. No per-person
   * limit: the request worker asks once per write, and Entra's own limit is kept by the queue.
   */
  async provisionMembership(options: {
    index: AccessIndex;
    person: Person;
    groupId: string;
    signal?: AbortSignal;
  }): Promise<ProvisionOnDemandResult & { version?: number }> {
    const { index, person, groupId } = options;
    const refusal = this.#refusal(index, person);
    if (refusal) return { outcome: 'failure', message: refusal };
    const user = person.identityUser!;
    const group = index.identityGroupsById.get(groupId);
    const subjects: Subject[] = [
      ...(person.idcUser
        ? []
        : [
            {
              objectId: user.id,
              objectTypeName: 'User' as const,
              name: person.displayName,
            },
          ]),
      {
        objectId: groupId,
        objectTypeName: 'Group',
        memberIds: [user.id],
        name: group?.displayName ?? groupId,
      },
    ];
    const answers = await this.#provisionSubjects(index, subjects, {
      stats: new RequestStats(),
      signal: options.signal,
    });
    const result = summarize(answers);
    if (answers.every(r => r.outcome === 'failure')) return result;
    const version = await this.refreshPerson({
      person,
      reason: `access request ${person.entityRef} in ${
        group?.displayName ?? groupId
      }`,
      signal: options.signal,
    });
    return { ...result, version };
  }

  /** Asks for each subject in turn (queued under Entra's limit); stops at the first failure. */
  async #provisionSubjects(
    index: AccessIndex,
    subjects: Subject[],
    ctx: SourceContext,
  ): Promise<Answer[]> {
    const { servicePrincipalId } = index.snapshot.identity.app;
    const jobId = index.snapshot.identity.provisioning.id!;
    const answers: Answer[] = [];
    for (const { name, ...subject } of subjects) {
      try {
        await this.#onDemand.acquire(ctx.signal);
        const answer = await this.#sources.provisioner!.provisionOnDemand(
          { servicePrincipalId, jobId, subject },
          ctx,
        );
        answers.push({ ...answer, name });
      } catch (error) {
        const message =
          error instanceof SourceError
            ? `${error.errorClass}: ${error.message}`
            : String(error);
        answers.push({ outcome: 'failure', message, name });
      }
      if (answers[answers.length - 1].outcome === 'failure') break;
    }
    return answers;
  }

  /** The user first, then every in-scope group whose membership of this person AWS should gain or lose. */
  static subjectsOf(index: AccessIndex, person: Person): Subject[] {
    const user = person.identityUser!;
    return [
      { objectId: user.id, objectTypeName: 'User', name: person.displayName },
      ...ProvisioningService.groupsToProvision(index, person).map(
        (group): Subject => ({
          objectId: group.id,
          objectTypeName: 'Group',
          memberIds: [user.id],
          name: group.displayName,
        }),
      ),
    ];
  }

  /**
   * In-scope groups the person is directly in (AWS should have the membership) or that AWS still has them in (a
   * mover's old group: AWS should lose it).
   */
  static groupsToProvision(index: AccessIndex, person: Person) {
    const userId = person.identityUser?.id;
    const groups = new Map<string, IdentityGroup>();
    for (const groupId of index.scopedGroupIds) {
      const group = index.identityGroupsById.get(groupId);
      if (group && userId && group.memberUserIds.includes(userId))
        groups.set(group.id, group);
    }
    for (const idcGroup of person.idcUser
      ? index.idcGroupsOfUser(person.idcUser.id)
      : []) {
      const group = index.identityGroupByIdcGroupId.get(idcGroup.id);
      if (group && index.scopedGroupIds.has(group.id))
        groups.set(group.id, group);
    }
    return [...groups.values()].sort((a, b) =>
      a.displayName.localeCompare(b.displayName),
    );
  }

  /** Re-reads one person on both sides and commits the result as a targeted snapshot. */
  async refreshPerson(options: {
    person: Person;
    reason: string;
    signal?: AbortSignal;
  }): Promise<number | undefined> {
    const identityUserId = options.person.identityUser?.id;
    const { identity, aws } = this.#sources;
    if (!identityUserId || !identity) return undefined;
    const { version } = await this.#sync.commitTargeted({
      reason: options.reason,
      signal: options.signal,
      build: async (current, ctx) => {
        const read = await identity.readUser(ctx, identityUserId);
        const issuer = current.aws.users.find(
          u => u.externalIssuer,
        )?.externalIssuer;
        const idc = await aws.readUser(ctx, {
          instanceArn: current.aws.instanceArn,
          identityStoreId: current.aws.identityStoreId,
          identityUserId,
          issuer,
          userName:
            read?.user.userPrincipalName ??
            options.person.identityUser!.userPrincipalName,
        });
        const provisioningLog = await identity.readProvisioningLog(
          ctx,
          current.identity,
        );
        const refreshed = applyUserRefresh(current, {
          identityUserId,
          identity: read,
          idc,
        });
        return withPersonRead(
          {
            ...refreshed,
            identity: { ...refreshed.identity, provisioningLog },
          },
          identityUserId,
          ctx.now.toISOString(),
        );
      },
    });
    return version;
  }
}

/** One answer for the person: failed if any step failed, skipped if the source skipped everything, else success. */
function summarize(answers: Answer[]): ProvisionOnDemandResult {
  const failed = answers.find(r => r.outcome === 'failure');
  if (failed)
    return { outcome: 'failure', message: `${failed.name}: ${failed.message}` };
  const message = answers.map(r => `${r.name}: ${r.message}`).join('; ');
  return answers.every(r => r.outcome === 'skipped')
    ? { outcome: 'skipped', message }
    : { outcome: 'success', message };
}
