import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GovernanceMode } from '@aws-access/plugin-aws-access-common';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { MembershipWriter } from '../sources/ports';
import { personReadSince } from '../snapshot/freshness';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import { FollowUpSchedule } from './FollowUpSchedule';
import type { MembershipInSnapshot } from './membershipInSnapshot';
import { membershipInSnapshot } from './membershipInSnapshot';

/** One membership a worker follows until the snapshot shows what it waits for. */
export interface FollowedMembership {
  /** Names this membership's rounds, in the follow-up schedule and the removal memory (e.g. `<request id>/<state>`). */
  key: string;
  /** The identity source's group and user ids. */
  groupId: string;
  userId: string;
  /** When the thing followed last changed: only a snapshot read after this counts. */
  since: string;
  /** Remove the member from the identity source in this mode before the first round (once per process). */
  removeIn?: GovernanceMode;
  /** What the logs call it: `access request <id>`, `review item <id>`. */
  label: string;
}

export interface MembershipFollowThroughOptions {
  writers: Partial<Record<MembershipWriter['mode'], MembershipWriter>>;
  provisioning: Pick<ProvisioningService, 'provisionMembership'>;
  /** The index this replica serves (the latest committed snapshot). */
  snapshots: { tryCurrent(): Promise<AccessIndex | undefined> };
  logger: LoggerService;
  now?: () => Date;
  /** First wait before provisioning and refreshing again when AWS does not show the result yet; it doubles. */
  recheckAfterMs?: number;
}

/**
 * The follow-through that access requests and reviews share (governance.md §2): after a write to Entra, ask Entra
 * to provision that membership now (provision-on-demand, queued under Entra's limit) and refresh the snapshot
 * until AWS shows the result, on a growing interval. A removal is written once per process and is idempotent,
 * so a restart or a second replica repeats nothing harmful. Whether the result is there is the caller's to say,
 * from what the snapshot shows; this class never decides "done" from what was written.
 */
export class MembershipFollowThrough {
  readonly #options: MembershipFollowThroughOptions;
  readonly #followUps: FollowUpSchedule;
  /** Memberships this process removed from the identity source (a restart removes once more, harmlessly). */
  readonly #removed = new Set<string>();

  constructor(options: MembershipFollowThroughOptions) {
    this.#options = options;
    const now = options.now ?? (() => new Date());
    this.#followUps = new FollowUpSchedule(
      options.recheckAfterMs ?? 15_000,
      () => now().getTime(),
    );
  }

  /**
   * One round for a membership, when it is due: if the served snapshot already shows the result (`settle` says
   * so), done; otherwise remove the member (when asked), provision the membership now, refresh, and ask `settle`
   * again. Returns the removal's failure in words, if it failed (nothing else is done then, and the next round
   * waits for the grown interval unless the caller `forget`s the key).
   */
  async follow(
    membership: FollowedMembership,
    settle: (shown: MembershipInSnapshot) => Promise<boolean>,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const { key } = membership;
    if (!this.#followUps.isDue(key)) return undefined;
    const index = await this.#options.snapshots.tryCurrent();
    if (index && (await this.#settled(membership, index, settle)))
      return undefined;
    if (membership.removeIn && !this.#removed.has(key)) {
      const failure = await this.#removeMember(membership, signal);
      if (failure) {
        this.#followUps.done(key);
        return failure;
      }
      this.#removed.add(key);
    }
    this.#followUps.done(key);
    if (!index) return undefined;
    const person = index.personByKey(membership.userId);
    if (!person) return undefined;
    const outcome = await this.#options.provisioning.provisionMembership({
      index,
      person,
      groupId: membership.groupId,
      signal,
    });
    if (outcome.outcome === 'failure') {
      this.#options.logger.warn(
        `Provision-on-demand for ${membership.label} failed: ${outcome.message}`,
      );
    }
    const refreshed = await this.#options.snapshots.tryCurrent();
    if (refreshed) await this.#settled(membership, refreshed, settle);
    return undefined;
  }

  /** Drops what is remembered of a key: its next round is due at once, and a removal is written again. */
  forget(key: string) {
    this.#followUps.forget(key);
    this.#removed.delete(key);
  }

  /** What a snapshot read after `since` shows of the membership; undefined when none is that fresh. */
  async shown(
    membership: Pick<FollowedMembership, 'groupId' | 'userId' | 'since'>,
  ): Promise<MembershipInSnapshot | undefined> {
    const index = await this.#options.snapshots.tryCurrent();
    if (!index || !isFresh(index, membership)) return undefined;
    return membershipInSnapshot(index, membership);
  }

  /**
   * Runs a write to the identity source; the cause of its failure in words, or undefined when it succeeded. A
   * write stopped by the task's signal (shutdown) is no failure: it is rethrown, and the next run writes again.
   */
  async write(
    write: () => Promise<void>,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    try {
      await write();
      return undefined;
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof SourceError)
        return `${error.errorClass}: ${error.message}`;
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** The writer of a mode, when the identity source has one. */
  writer(mode: GovernanceMode): MembershipWriter | undefined {
    return this.#options.writers[mode];
  }

  async #settled(
    membership: FollowedMembership,
    index: AccessIndex,
    settle: (shown: MembershipInSnapshot) => Promise<boolean>,
  ): Promise<boolean> {
    // Only a snapshot read after the last change counts: an older one may predate the write it is asked about.
    if (!isFresh(index, membership)) return false;
    if (!(await settle(membershipInSnapshot(index, membership)))) return false;
    this.forget(membership.key);
    return true;
  }

  async #removeMember(
    membership: FollowedMembership,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const mode = membership.removeIn!;
    const writer = this.writer(mode);
    if (!writer) return `No identity source writes memberships in ${mode} mode`;
    return this.write(
      () =>
        writer.removeMember(
          { stats: new RequestStats(), signal },
          { groupId: membership.groupId, userId: membership.userId },
        ),
      signal,
    );
  }
}

/**
 * Whether the snapshot read this membership's person on both sides after `since`: AWS must show the result, and a
 * revocation also needs the identity source to no longer have the member. A refresh of the identity side alone
 * (its own refresh), or of other AWS objects (change events), says nothing new about AWS for this person.
 */
function isFresh(
  index: AccessIndex,
  membership: Pick<FollowedMembership, 'userId' | 'since'>,
): boolean {
  return personReadSince(index.snapshot, membership.userId, membership.since);
}
