import type {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { RequestState } from '@aws-access/plugin-aws-access-common';
import { Duration } from 'luxon';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { MembershipWriter } from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import type { RequestPatch, RequestStore, StoredRequest } from './RequestStore';
import { membershipInSnapshot } from './membershipInSnapshot';
import { FollowUpSchedule } from './FollowUpSchedule';

/** The scheduler task that carries requests forward (one replica at a time). */
export const REQUEST_WORKER_TASK_ID = 'aws-access-requests';

/** Who the worker's transitions are by, in the history and the audit. */
const SYSTEM = 'system';

/** The requester is told this long before a membership expires. */
export const EXPIRY_WARNING_MS = 10 * 60_000;

/** What the worker tells the requester (the plugin's RequestNotifier, through the notifications service). */
export interface WorkerNotifications {
  /** AWS shows the access: it is usable now. */
  usable(request: StoredRequest): Promise<void>;
  /** The membership ends in at most {@link EXPIRY_WARNING_MS}. */
  expiresSoon(request: StoredRequest): Promise<void>;
}

export interface RequestWorkerOptions {
  store: Pick<RequestStore, 'list' | 'transition' | 'markExpiryWarned'>;
  writers: Partial<Record<MembershipWriter['mode'], MembershipWriter>>;
  provisioning: Pick<ProvisioningService, 'provisionMembership'>;
  /** The index this replica serves (the latest committed snapshot). */
  snapshots: { tryCurrent(): Promise<AccessIndex | undefined> };
  notifier?: WorkerNotifications;
  auditor?: AuditorService;
  logger: LoggerService;
  now?: () => Date;
  /** First wait before provisioning and refreshing again when AWS does not show the result yet; it doubles. */
  recheckAfterMs?: number;
}

/**
 * Carries access requests from `approved` to `ended` (governance.md §2): writes memberships to Entra, asks
 * Entra to provision them now, and follows the snapshot until AWS shows the grant (`active`) and, after expiry
 * or a revoke, until it no longer does (`ended`). Expires undecided requests, ends expired memberships (catching
 * up, oldest first, on what passed while no replica ran), and warns requesters before expiry.
 *
 * Every move is a compare-and-set in the store, so a second replica, a revoke racing a grant, or a crash
 * between the Entra write and the commit repeats nothing harmful: the writes are idempotent, and a request whose
 * write was not committed is written again.
 */
export class RequestWorker {
  readonly #options: RequestWorkerOptions;
  readonly #now: () => Date;
  readonly #followUps: FollowUpSchedule;
  /** Revoking requests whose member this worker removed from Entra (in memory: a restart removes once more). */
  readonly #removed = new Set<string>();

  static create(options: RequestWorkerOptions) {
    return new RequestWorker(options);
  }

  private constructor(options: RequestWorkerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#followUps = new FollowUpSchedule(
      options.recheckAfterMs ?? 15_000,
      () => this.#now().getTime(),
    );
  }

  /** Runs the worker every few seconds as a task of global scope. */
  async schedule(
    scheduler: SchedulerService,
    frequency: { seconds: number } = { seconds: 5 },
  ) {
    await scheduler.scheduleTask({
      id: REQUEST_WORKER_TASK_ID,
      scope: 'global',
      frequency,
      timeout: { minutes: 5 },
      fn: async signal => this.runOnce({ signal: signal as AbortSignal }),
    });
  }

  /** One pass over every request that needs the worker, each kind oldest first. */
  async runOnce(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    const { store } = this.#options;
    await this.#expireUndecided();
    await this.#endExpired();
    for (const request of await store.list({
      states: ['approved'],
      order: 'oldest',
    })) {
      signal?.throwIfAborted();
      await this.#guard(request, () => this.#grant(request, signal), signal);
    }
    // Removals first (they end access), the earliest end first; then grants, oldest first.
    const revoking = await store.list({
      states: ['revoking'],
      order: 'oldest',
    });
    const granting = await store.list({
      states: ['granting'],
      order: 'oldest',
    });
    for (const request of [...revoking.sort(byEnd), ...granting]) {
      signal?.throwIfAborted();
      await this.#guard(request, () => this.#follow(request, signal), signal);
    }
    await this.#warnExpiring();
  }

  /** One request's failure is logged and leaves the others to go on; a stopped task stops. */
  async #guard(
    request: StoredRequest,
    step: () => Promise<void>,
    signal?: AbortSignal,
  ) {
    try {
      await step();
    } catch (error) {
      if (signal?.aborted) throw error;
      this.#options.logger.warn(
        `Access request ${request.id} (${request.state}) could not be carried forward: ${error}`,
      );
    }
  }

  /** `submitted` past the policy's approval timeout → `expired`. */
  async #expireUndecided() {
    const now = this.#now().toISOString();
    const undecided = await this.#options.store.list({
      states: ['submitted'],
      decideByBefore: now,
      order: 'oldest',
    });
    for (const request of undecided) {
      await this.#move(request, 'expired', {
        note: `Nobody decided before ${request.decideBy}`,
      });
    }
  }

  /** `granting` or `active` past `expiresAt` → `revoking`, the soonest expiry first (the catch-up after downtime). */
  async #endExpired() {
    const now = this.#now().toISOString();
    const expired = await this.#options.store.list({
      states: ['granting', 'active'],
      expiresBefore: now,
      order: 'expiring',
    });
    for (const request of expired) {
      await this.#move(request, 'revoking', {
        note: `Expired at ${request.expiresAt}`,
        patch: { revokedBy: SYSTEM },
      });
    }
  }

  /** `approved` → the Entra write → `granting` (or `failed` with the cause), then the first follow-up at once. */
  async #grant(request: StoredRequest, signal?: AbortSignal) {
    const now = this.#now();
    const expiresAt =
      request.expiresAt ?? endOf(now, request.duration)?.toISOString();
    const writer = this.#options.writers[request.mode];
    const attempt: RequestPatch = {
      attempts: request.attempts + 1,
      lastAttemptAt: now.toISOString(),
    };
    const failure = writer
      ? await this.#write(
          () =>
            writer.addMember(
              { stats: new RequestStats(), signal },
              {
                groupId: request.group.id,
                userId: request.requesterUserId,
                expiresAt: expiresAt ? new Date(expiresAt) : undefined,
                justification: request.justification,
              },
            ),
          signal,
        )
      : `No identity source writes memberships in ${request.mode} mode`;
    if (failure) {
      await this.#move(request, 'failed', {
        note: failure,
        patch: { ...attempt, error: failure },
      });
      return;
    }
    const granting = await this.#move(request, 'granting', {
      note: `Added to ${request.group.name} in Entra (${request.mode})`,
      patch: { ...attempt, ...(expiresAt && { expiresAt }) },
    });
    if (granting) await this.#follow(granting, signal);
  }

  /**
   * `granting` → `active` once AWS shows the grant; `revoking` → `ended` once it no longer does. Until then, on a
   * growing interval: remove the member if Entra still has them (revoking), provision that membership now, and
   * refresh the person.
   */
  async #follow(request: StoredRequest, signal?: AbortSignal) {
    // Keyed by state: a request that moved on (a revoke during granting) is due at once.
    const key = `${request.id}/${request.state}`;
    if (!this.#followUps.isDue(key)) return;
    const index = await this.#options.snapshots.tryCurrent();
    if (index && (await this.#settle(request, index))) return;
    if (request.state === 'revoking' && this.#removalNeeded(request)) {
      const failure = await this.#remove(request, signal);
      if (failure) {
        await this.#move(request, 'failed', {
          note: failure,
          patch: {
            error: failure,
            attempts: request.attempts + 1,
            lastAttemptAt: this.#now().toISOString(),
          },
        });
        return;
      }
      this.#removed.add(request.id);
    }
    this.#followUps.done(key);
    if (!index) return;
    const person = index.personByKey(request.requesterUserId);
    if (!person) return;
    const outcome = await this.#options.provisioning.provisionMembership({
      index,
      person,
      groupId: request.group.id,
      signal,
    });
    if (outcome.outcome === 'failure') {
      this.#options.logger.warn(
        `Provision-on-demand for access request ${request.id} failed: ${outcome.message}`,
      );
    }
    const refreshed = await this.#options.snapshots.tryCurrent();
    if (refreshed) await this.#settle(request, refreshed);
  }

  /**
   * Moves a request whose result the snapshot shows; true when it moved (or someone else did). Only a snapshot
   * read after the request's last move counts: an older one may predate the write it is asked about.
   */
  async #settle(request: StoredRequest, index: AccessIndex): Promise<boolean> {
    if (Date.parse(index.snapshot.readAt) < Date.parse(request.updatedAt))
      return false;
    const shown = membershipInSnapshot(index, {
      groupId: request.group.id,
      userId: request.requesterUserId,
    });
    if (request.state === 'granting' && shown.usable) {
      const active = await this.#move(request, 'active', {
        note: `AWS shows ${shown.grants} grant(s) usable`,
      });
      this.#followUps.forget(`${request.id}/granting`);
      if (active) await this.#notify('usable', active);
      return true;
    }
    if (request.state === 'revoking' && shown.gone && !shown.intended) {
      await this.#move(request, 'ended', {
        note: 'AWS no longer shows the grants',
      });
      this.#followUps.forget(`${request.id}/revoking`);
      this.#removed.delete(request.id);
      return true;
    }
    return false;
  }

  /**
   * Whether the member must still be removed from Entra: not yet by this worker (after a restart, once more:
   * the removal is idempotent). In `pim` mode an expired assignment is Entra's to end; `adminRemove` is only for
   * a revoke before expiry.
   */
  #removalNeeded(request: StoredRequest): boolean {
    if (this.#removed.has(request.id)) return false;
    if (request.mode !== 'pim' || !request.expiresAt) return true;
    return Date.parse(request.expiresAt) > this.#now().getTime();
  }

  async #remove(
    request: StoredRequest,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const writer = this.#options.writers[request.mode];
    if (!writer)
      return `No identity source writes memberships in ${request.mode} mode`;
    return this.#write(
      () =>
        writer.removeMember(
          { stats: new RequestStats(), signal },
          { groupId: request.group.id, userId: request.requesterUserId },
        ),
      signal,
    );
  }

  /**
   * Runs a write; the cause of its failure in words, or undefined when it succeeded. A write stopped by the
   * task's signal (shutdown) is no failure of the request: it is rethrown, and the next run writes again.
   */
  async #write(
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

  /** `active` requests within {@link EXPIRY_WARNING_MS} of expiry: warned once each (the store decides who won). */
  async #warnExpiring() {
    const now = this.#now();
    const soon = await this.#options.store.list({
      states: ['active'],
      expiresBefore: new Date(now.getTime() + EXPIRY_WARNING_MS).toISOString(),
      order: 'expiring',
    });
    for (const request of soon) {
      const end = Date.parse(request.expiresAt!);
      if (end <= now.getTime()) continue;
      // Usable only inside the window (a short request): the "usable" notification already said when it ends.
      if (Date.parse(request.grantedAt ?? '') > end - EXPIRY_WARNING_MS)
        continue;
      if (await this.#options.store.markExpiryWarned(request.id))
        await this.#notify('expiresSoon', request);
    }
  }

  async #notify(kind: keyof WorkerNotifications, request: StoredRequest) {
    try {
      await this.#options.notifier?.[kind](request);
    } catch (error) {
      this.#options.logger.warn(
        `Could not notify ${request.requester} about access request ${request.id}: ${error}`,
      );
    }
  }

  /** One compare-and-set move by the worker, audited; undefined when the request had moved on (a conflict). */
  async #move(
    request: StoredRequest,
    to: RequestState,
    options: { note?: string; patch?: RequestPatch },
  ): Promise<StoredRequest | undefined> {
    const meta = {
      requestId: request.id,
      requester: request.requester,
      group: request.group.entityRef,
      mode: request.mode,
      from: request.state,
      to,
      by: SYSTEM,
    };
    const event = await this.#options.auditor?.createEvent({
      eventId: 'access-request-transition',
      severityLevel: 'medium',
      meta,
    });
    try {
      const moved = await this.#options.store.transition(request.id, {
        from: [request.state],
        to,
        by: SYSTEM,
        note: options.note,
        patch: options.patch,
      });
      await event?.success({ meta: { note: options.note ?? null } });
      this.#options.logger.info(
        `Access request ${request.id} ${request.state} → ${to}`,
        { requestId: request.id, group: request.group.entityRef },
      );
      return moved;
    } catch (error) {
      await event?.fail({ error: error as Error });
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }
}

/** When a request's access ended or was asked to end: its expiry, else when it was revoked. */
function endedAt(request: StoredRequest): string {
  const asked = request.revokeRequestedAt ?? request.updatedAt;
  return request.expiresAt && request.expiresAt < asked
    ? request.expiresAt
    : asked;
}

function byEnd(a: StoredRequest, b: StoredRequest): number {
  return endedAt(a).localeCompare(endedAt(b));
}

/** When a membership of `duration` (ISO 8601) that starts at `start` ends; undefined for standing access. */
function endOf(start: Date, duration?: string): Date | undefined {
  if (!duration) return undefined;
  const ms = Duration.fromISO(duration).toMillis();
  return Number.isFinite(ms) ? new Date(start.getTime() + ms) : undefined;
}
