import { scimCalls } from '../events/scimCalls';
import type { IdcUser } from '../state/IdentityStore';
import type { World } from '../state/World';
import { countProvisioned } from '../state/loadWorld';
import { CycleRun } from './CycleRun';
import type { OnDemandSubject, ScimChange, ScimCycleResult } from './types';

export type { OnDemandSubject, ScimChange, ScimCycleResult } from './types';

const ACTIONS: ScimChange['action'][] = [
  'createUser',
  'updateUser',
  'disableUser',
  'enableUser',
  'deleteUser',
  'createGroup',
  'updateGroup',
  'addMember',
  'removeMember',
];

/** CloudTrail's record of the SCIM calls behind the changes (the tenant id is the SCIM endpoint's path). */
function recordCalls(world: World, changes: ScimChange[]) {
  const tenantId = new URL(world.scimIssuer).pathname.split('/')[1] ?? '';
  for (const call of scimCalls(changes, tenantId, world.clock.iso()))
    world.trail.record(call);
}

/**
 * Moves Entra state into the Identity Store the way Entra's "AWS IAM Identity Center" connector does: users who
 * are direct members of app-assigned groups (or assigned directly) are created and updated, disabled users are
 * disabled (never deleted), assigned groups are created, direct user memberships are added and removed, an
 * unassigned group loses its memberships. Nesting is never flattened. Each change goes to the provisioning log.
 */
export class ScimBridge {
  readonly #world: () => World;
  #timer: NodeJS.Timeout | undefined;
  readonly #autoCycle: boolean;

  static create(options: {
    world: () => World;
    autoCycle: boolean;
  }): ScimBridge {
    return new ScimBridge(options);
  }

  private constructor(options: { world: () => World; autoCycle: boolean }) {
    this.#world = options.world;
    this.#autoCycle = options.autoCycle;
  }

  /** Runs cycles on the job's interval (checked every second against the emulator clock). */
  start(): void {
    if (!this.#autoCycle || this.#timer) return;
    this.#timer = setInterval(() => this.tick(), 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Runs the scheduled cycle if it is due. Exposed so clock advances take effect at once. */
  tick(): ScimCycleResult | undefined {
    const world = this.#world();
    const { job } = world;
    if (job.status !== 'Active' && job.status !== 'Quarantine')
      return undefined;
    if (world.clock.nowMs() < job.nextCycleMs) return undefined;
    return this.runCycle({ trigger: 'schedule' });
  }

  runCycle(options: { trigger: 'schedule' | 'control' }): ScimCycleResult {
    const world = this.#world();
    // What Entra did by itself up to now (PIM expiry) is in scope for this cycle.
    world.settle();
    const { job } = world;
    const beganMs = world.clock.nowMs();
    const cycleId = job.nextCycleId();
    if (job.quarantined) {
      job.recordQuarantinedAttempt({ beganMs, endedMs: beganMs });
      return this.#result(world, {
        cycleId,
        trigger: options.trigger,
        status: 'Quarantined',
        reason: job.quarantineReason ?? undefined,
        beganMs,
        changes: [],
      });
    }
    const run = new CycleRun(world, cycleId, false);
    const scope = world.scimScopeUserIds();
    for (const id of scope) run.syncUser(world.entra.users.get(id)!, scope);
    for (const user of world.identityStore.users.values()) {
      if (
        user.externalId?.Issuer === world.scimIssuer &&
        !scope.has(user.externalId.Id)
      )
        run.deprovisionUser(user);
    }
    for (const group of world.entra.groups.values()) {
      if (group.assignedToAwsApp) run.syncGroup(group, undefined);
      else run.unassignGroup(group);
    }
    recordCalls(world, run.changes);
    job.recordSuccess({
      beganMs,
      endedMs: world.clock.nowMs(),
      exported: run.changes.length,
      entitled: scope.size,
    });
    job.entryCounts = countProvisioned(world);
    return this.#result(world, {
      cycleId,
      trigger: options.trigger,
      status: 'Succeeded',
      beganMs,
      changes: run.changes,
    });
  }

  /** Graph provisionOnDemand: one user, or one group with the given members, right now. */
  provisionOnDemand(
    subject: OnDemandSubject,
  ): ScimCycleResult & { source?: { id: string; displayName: string } } {
    const world = this.#world();
    const beganMs = world.clock.nowMs();
    const cycleId = world.job.nextCycleId();
    const run = new CycleRun(world, cycleId, true);
    const scope = world.scimScopeUserIds();
    let status: ScimCycleResult['status'] = 'Succeeded';
    let reason: string | undefined;
    const entraUser =
      subject.objectTypeName === 'User'
        ? world.entra.users.get(subject.objectId)
        : undefined;
    const entraGroup =
      subject.objectTypeName === 'Group'
        ? world.entra.groups.get(subject.objectId)
        : undefined;
    const source = entraUser ?? entraGroup;
    if (world.job.quarantined) {
      status = 'Quarantined';
      reason = world.job.quarantineReason ?? 'EncounteredQuarantineException';
      if (source) run.failure(subject.objectTypeName, source, reason);
    } else if (entraUser) {
      if (scope.has(entraUser.id)) run.syncUser(entraUser, scope);
      else {
        const existing = this.#existing(world, entraUser.id);
        if (existing) run.deprovisionUser(existing);
        else {
          status = 'Skipped';
          reason =
            'NotEffectivelyEntitled: the user is not assigned to the application, directly or through a group';
        }
      }
    } else if (entraGroup) {
      if (!entraGroup.assignedToAwsApp) {
        status = 'Skipped';
        reason =
          'NotEffectivelyEntitled: the group is not assigned to the application';
      } else {
        for (const memberId of subject.memberIds ?? []) {
          const member = world.entra.users.get(memberId);
          if (member && scope.has(member.id)) run.syncUser(member, scope);
        }
        run.syncGroup(entraGroup, new Set(subject.memberIds ?? []));
      }
    }
    recordCalls(world, run.changes);
    world.job.entryCounts = countProvisioned(world);
    const result = this.#result(world, {
      cycleId,
      trigger: 'onDemand',
      status,
      reason,
      beganMs,
      changes: run.changes,
    });
    return {
      ...result,
      ...(source && {
        source: {
          id: source.id,
          displayName: 'upn' in source ? source.upn : source.name,
        },
      }),
    };
  }

  #existing(world: World, entraId: string): IdcUser | undefined {
    const id = world.identityStore.byExternalId(world.scimIssuer, entraId);
    return id ? world.identityStore.users.get(id) : undefined;
  }

  #result(
    world: World,
    options: {
      cycleId: string;
      trigger: ScimCycleResult['trigger'];
      status: ScimCycleResult['status'];
      reason?: string;
      beganMs: number;
      changes: ScimChange[];
    },
  ): ScimCycleResult {
    const counts = Object.fromEntries(
      ACTIONS.map(a => [a, 0]),
    ) as ScimCycleResult['counts'];
    for (const change of options.changes) counts[change.action]++;
    return {
      cycleId: options.cycleId,
      trigger: options.trigger,
      status: options.status,
      ...(options.reason !== undefined && { reason: options.reason }),
      startedAt: new Date(options.beganMs).toISOString(),
      finishedAt: world.clock.iso(),
      changes: options.changes,
      counts,
      job: {
        status: world.job.status,
        nextCycleAt: new Date(world.job.nextCycleMs).toISOString(),
      },
    };
  }
}
