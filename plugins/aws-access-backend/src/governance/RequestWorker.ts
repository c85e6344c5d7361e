import type {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { RequestState } from '@aws-access/plugin-aws-access-common';
import { Duration } from 'luxon';
import { RequestStats } from '../sources/requests/RequestStats';
import type { MembershipFollowThroughOptions } from './MembershipFollowThrough';
import { MembershipFollowThrough } from './MembershipFollowThrough';
import type { MembershipInSnapshot } from './membershipInSnapshot';
import type { RequestPatch, RequestStore, StoredRequest } from './RequestStore';

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

/** The follow-through's options (writers, provisioning, snapshots, recheck interval) and the worker's own. */
export interface RequestWorkerOptions extends MembershipFollowThroughOptions {
  store: Pick<RequestStore, 'list' | 'transition' | 'markExpiryWarned'>;
  notifier?: WorkerNotifications;
  auditor?: AuditorService;
  logger: LoggerService;
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
  readonly #through: MembershipFollowThrough;

  static create(options: RequestWorkerOptions) {
    return new RequestWorker(options);
  }

  private constructor(options: RequestWorkerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#through = new MembershipFollowThrough(options);
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
    const writer = this.#through.writer(request.mode);
    const attempt: RequestPatch = {
      attempts: request.attempts + 1,
      lastAttemptAt: now.toISOString(),
    };
    const failure = writer
      ? await this.#through.write(
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
   * growing interval (the shared follow-through): remove the member if Entra still has them (revoking),
   * provision that membership now, and refresh the person.
   */
  async #follow(request: StoredRequest, signal?: AbortSignal) {
    // Keyed by state: a request that moved on (a revoke during granting) is due at once.
    const key = `${request.id}/${request.state}`;
    const failure = await this.#through.follow(
      {
        key,
        groupId: request.group.id,
        userId: request.requesterUserId,
        since: request.updatedAt,
        removeIn:
          request.state === 'revoking' && this.#removalNeeded(request)
            ? request.mode
            : undefined,
        label: `access request ${request.id}`,
      },
      shown => this.#settle(request, shown),
      signal,
    );
    if (failure) {
      // A retry (failed → revoking) writes again at once.
      this.#through.forget(key);
      await this.#move(request, 'failed', {
        note: failure,
        patch: {
          error: failure,
          attempts: request.attempts + 1,
          lastAttemptAt: this.#now().toISOString(),
        },
      });
    }
  }

  /** Moves a request whose result the snapshot shows; true when it moved (or someone else did). */
  async #settle(
    request: StoredRequest,
    shown: MembershipInSnapshot,
  ): Promise<boolean> {
    if (request.state === 'granting' && shown.usable) {
      const active = await this.#move(request, 'active', {
        note: `AWS shows ${shown.grants} grant(s) usable`,
      });
      if (active) await this.#notify('usable', active);
      return true;
    }
    if (request.state === 'revoking' && shown.gone && !shown.intended) {
      await this.#move(request, 'ended', {
        note: 'AWS no longer shows the grants',
      });
      return true;
    }
    return false;
  }

  /**
   * Whether the member must be removed from Entra. In `pim` mode an expired assignment is Entra's to end;
   * `adminRemove` is only for a revoke before expiry. (The follow-through removes once per process; after a
   * restart once more: the removal is idempotent.)
   */
  #removalNeeded(request: StoredRequest): boolean {
    if (request.mode !== 'pim' || !request.expiresAt) return true;
    return Date.parse(request.expiresAt) > this.#now().getTime();
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
