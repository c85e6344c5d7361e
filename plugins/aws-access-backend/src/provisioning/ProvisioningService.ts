import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ProvisionOnDemandResult } from '../sources/entra/EntraProvisioner';
import type { Readers } from '../sources/createAccessSources';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { EntraGroup } from '../snapshot/model';
import { applyUserRefresh } from '../snapshot/applyUserRefresh';
import type { SyncService } from '../sync/SyncService';

/** Too many provisioning requests for one person: 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ProvisionOutcome extends ProvisionOnDemandResult {
  action: 'provision' | 'deprovision';
  /** The snapshot version after the targeted refresh, when it committed. */
  version?: number;
}

const HOUR = 3_600_000;

/**
 * Provision-on-demand: asks Entra to push one person to AWS now (or to remove a leaver now), then re-reads
 * just that person's state on both sides and commits it through the normal commit path, so their page updates
 * within seconds instead of after the next cycle and the next full sync.
 */
export class ProvisioningService {
  readonly #sync: SyncService;
  readonly #readers: Readers;
  readonly #logger: LoggerService;
  readonly #perUserPerHour: number;
  readonly #now: () => number;
  readonly #requests = new Map<string, number[]>();

  static create(options: {
    sync: SyncService;
    readers: Readers;
    logger: LoggerService;
    perUserPerHour: number;
    now?: () => number;
  }) {
    return new ProvisioningService(options);
  }

  private constructor(options: {
    sync: SyncService;
    readers: Readers;
    logger: LoggerService;
    perUserPerHour: number;
    now?: () => number;
  }) {
    this.#sync = options.sync;
    this.#readers = options.readers;
    this.#logger = options.logger;
    this.#perUserPerHour = options.perUserPerHour;
    this.#now = options.now ?? Date.now;
  }

  /** Whether Entra should add the person to AWS (enabled and in the app's scope) or take them out. */
  static actionFor(
    index: AccessIndex,
    person: Person,
  ): 'provision' | 'deprovision' {
    const user = person.entraUser;
    if (!user?.accountEnabled) return 'deprovision';
    const inScope =
      index.appAssignedUserIds.has(user.id) ||
      [...index.appAssignedGroupIds].some(id =>
        index.entraGroupsById.get(id)?.memberUserIds.includes(user.id),
      );
    return inScope ? 'provision' : 'deprovision';
  }

  #admit(personKey: string) {
    const now = this.#now();
    const recent = (this.#requests.get(personKey) ?? []).filter(
      t => t > now - HOUR,
    );
    if (recent.length >= this.#perUserPerHour) {
      const retryAfterSeconds = Math.ceil((recent[0] + HOUR - now) / 1000);
      throw new TooManyRequestsError(
        `Provisioning was requested ${
          recent.length
        } times for this person in the last hour; try again in ${Math.ceil(
          retryAfterSeconds / 60,
        )} minutes`,
        retryAfterSeconds,
      );
    }
    recent.push(now);
    this.#requests.set(personKey, recent);
  }

  async provision(options: {
    index: AccessIndex;
    person: Person;
    signal?: AbortSignal;
  }): Promise<ProvisionOutcome> {
    const { index, person } = options;
    const entraUser = person.entraUser;
    const action = ProvisioningService.actionFor(index, person);
    if (!entraUser) {
      return {
        action,
        outcome: 'failure',
        message:
          'This person has no Entra user; remove the Identity Center user by hand',
      };
    }
    const { servicePrincipalId } = index.snapshot.entra.app;
    const jobId = index.snapshot.entra.provisioning.id;
    if (!jobId) {
      return {
        action,
        outcome: 'failure',
        message:
          'The AWS enterprise application has no provisioning job to run',
      };
    }
    this.#admit(person.key);

    // The user first, then every app-assigned group whose membership of this person AWS should gain or lose.
    const subjects: Array<{
      objectId: string;
      objectTypeName: 'User' | 'Group';
      memberIds?: string[];
      name: string;
    }> = [
      {
        objectId: entraUser.id,
        objectTypeName: 'User',
        name: person.displayName,
      },
      ...ProvisioningService.groupsToProvision(index, person).map(group => ({
        objectId: group.id,
        objectTypeName: 'Group' as const,
        memberIds: [entraUser.id],
        name: group.displayName,
      })),
    ];
    const stats = new RequestStats();
    const results: Array<ProvisionOnDemandResult & { name: string }> = [];
    for (const subject of subjects) {
      try {
        const answer = await this.#readers.provisioner.provisionOnDemand(
          { servicePrincipalId, jobId, subject },
          { stats, signal: options.signal },
        );
        results.push({ ...answer, name: subject.name });
      } catch (error) {
        const message =
          error instanceof SourceError
            ? `${error.errorClass}: ${error.message}`
            : String(error);
        results.push({ outcome: 'failure', message, name: subject.name });
      }
      if (results[results.length - 1].outcome === 'failure') break;
    }
    const result = summarize(results);
    this.#logger.info('Provision-on-demand answered', {
      user: person.entityRef,
      action,
      outcome: result.outcome,
      subjects: subjects.length,
    });
    if (results.every(r => r.outcome === 'failure')) {
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
   * App-assigned groups the person is directly in (AWS should have the membership) or that AWS still has them
   * in (a mover's old group: AWS should lose it).
   */
  static groupsToProvision(index: AccessIndex, person: Person) {
    const userId = person.entraUser?.id;
    const groups = new Map<string, EntraGroup>();
    for (const groupId of index.appAssignedGroupIds) {
      const group = index.entraGroupsById.get(groupId);
      if (group && userId && group.memberUserIds.includes(userId))
        groups.set(group.id, group);
    }
    for (const idcGroup of person.idcUser
      ? index.idcGroupsOfUser(person.idcUser.id)
      : []) {
      const group = index.entraGroupByIdcGroupId.get(idcGroup.id);
      if (group && index.appAssignedGroupIds.has(group.id))
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
    const entraId = options.person.entraUser?.id;
    if (!entraId) return undefined;
    const { version } = await this.#sync.commitTargeted({
      reason: options.reason,
      signal: options.signal,
      build: async (current, ctx) => {
        const entra = await this.#readers.provisioner.readUser(entraId, ctx);
        const issuer = current.aws.users.find(
          u => u.externalIssuer,
        )?.externalIssuer;
        const idc = await this.#readers.identityCenter.readUser(ctx, {
          instanceArn: current.aws.instanceArn,
          identityStoreId: current.aws.identityStoreId,
          entraId,
          issuer,
          userName:
            entra?.user.userPrincipalName ??
            options.person.entraUser!.userPrincipalName,
        });
        const provisioningLog = await this.#readers.entra.readProvisioningLog(
          ctx,
          current.entra,
        );
        const refreshed = applyUserRefresh(current, {
          entraUserId: entraId,
          entra,
          idc,
        });
        return { ...refreshed, entra: { ...refreshed.entra, provisioningLog } };
      },
    });
    return version;
  }
}

/** One answer for the person: failed if any step failed, skipped if Entra skipped everything, else success. */
function summarize(
  results: Array<ProvisionOnDemandResult & { name: string }>,
): ProvisionOnDemandResult {
  const failed = results.find(r => r.outcome === 'failure');
  if (failed)
    return { outcome: 'failure', message: `${failed.name}: ${failed.message}` };
  if (results.every(r => r.outcome === 'skipped')) {
    return {
      outcome: 'skipped',
      message: results.map(r => `${r.name}: ${r.message}`).join('; '),
    };
  }
  return {
    outcome: 'success',
    message: results.map(r => `${r.name}: ${r.message}`).join('; '),
  };
}
