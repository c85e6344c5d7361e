import type { CounterSnapshot } from '../Counters';
import type { EventDeliveryStats } from '../events/EventDelivery';
import type { ActiveFault } from '../faults/FaultInjector';
import type { ScimCycleResult } from '../scim/ScimBridge';
import type {
  AccountStatus,
  EmulatorSettings,
  FaultSpec,
  ProvisioningStatusCode,
  RateLimitService,
} from '../scenario/types';
import type { EmulatorState } from './state';

/**
 * A control API error (`{ error: { code, message } }` with a 4xx status).
 *
 * @public
 */
export class EmulatorControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(`${status} ${code}: ${message}`);
    this.name = 'EmulatorControlError';
    this.status = status;
    this.code = code;
  }
}

/** @public */
export interface EntraUserSummary {
  id: string;
  upn: string;
  displayName: string;
  enabled: boolean;
  deleted: boolean;
}

/**
 * Typed client of the control API: one method per route, over HTTP, so it works in-process and from other
 * processes (benchmarks) alike.
 *
 * @public
 */
export class EmulatorControlClient {
  readonly baseUrl: string;

  static create(options: { baseUrl: string }): EmulatorControlClient {
    return new EmulatorControlClient(options.baseUrl);
  }

  private constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Runs one SCIM provisioning cycle now; answers what it changed. */
  runScimCycle(): Promise<ScimCycleResult> {
    return this.#call('POST', '/scim/cycle');
  }

  getScim(): Promise<{ nextCycleAt: string; job: Record<string, unknown> }> {
    return this.#call('GET', '/scim');
  }

  /** Changes the provisioning interval, pauses, quarantines or un-quarantines the job. */
  setScim(options: {
    intervalSeconds?: number;
    status?: ProvisioningStatusCode;
    quarantineReason?: string | null;
  }): Promise<{ nextCycleAt: string; job: Record<string, unknown> }> {
    return this.#call('PUT', '/scim', options);
  }

  createEntraUser(user: {
    upn: string;
    displayName: string;
    enabled?: boolean;
    givenName?: string;
    surname?: string;
    mail?: string;
    department?: string;
    jobTitle?: string;
    manager?: string;
    id?: string;
    assignedToAwsApp?: boolean;
  }): Promise<EntraUserSummary> {
    return this.#call('POST', '/entra/users', user);
  }

  updateEntraUser(
    upn: string,
    patch: {
      enabled?: boolean;
      displayName?: string;
      givenName?: string;
      surname?: string;
      mail?: string;
      department?: string;
      jobTitle?: string;
    },
  ): Promise<EntraUserSummary> {
    return this.#call(
      'PATCH',
      `/entra/users/${encodeURIComponent(upn)}`,
      patch,
    );
  }

  setEntraUserEnabled(
    upn: string,
    enabled: boolean,
  ): Promise<EntraUserSummary> {
    return this.updateEntraUser(upn, { enabled });
  }

  deleteEntraUser(
    upn: string,
    options: { permanent?: boolean } = {},
  ): Promise<EntraUserSummary & { permanent: boolean }> {
    return this.#call(
      'DELETE',
      `/entra/users/${encodeURIComponent(upn)}${
        options.permanent ? '?permanent=true' : ''
      }`,
    );
  }

  createEntraGroup(group: {
    name: string;
    members?: string[];
    assignedToAwsApp?: boolean;
    securityEnabled?: boolean;
    description?: string;
    mailNickname?: string;
    id?: string;
  }): Promise<{ id: string; name: string }> {
    return this.#call('POST', '/entra/groups', group);
  }

  /** `member` is a upn or a group name (nesting). */
  addGroupMember(
    group: string,
    member: string,
  ): Promise<{ group: string; member: string }> {
    return this.#call(
      'POST',
      `/entra/groups/${encodeURIComponent(group)}/members`,
      { member },
    );
  }

  removeGroupMember(
    group: string,
    member: string,
  ): Promise<{ group: string; member: string }> {
    return this.#call(
      'DELETE',
      `/entra/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(
        member,
      )}`,
    );
  }

  assignGroupToApp(
    group: string,
  ): Promise<{ group: string; changed: boolean }> {
    return this.#call(
      'POST',
      `/entra/groups/${encodeURIComponent(group)}/assignment`,
    );
  }

  unassignGroupFromApp(
    group: string,
  ): Promise<{ group: string; changed: boolean }> {
    return this.#call(
      'DELETE',
      `/entra/groups/${encodeURIComponent(group)}/assignment`,
    );
  }

  setSamlCertificateExpiry(
    samlCertificateExpires: string,
  ): Promise<{ samlCertificateExpires: string }> {
    return this.#call('PATCH', '/entra/app', { samlCertificateExpires });
  }

  /** Makes every issued Graph delta token answer 410 (expired sync state). */
  expireDeltaTokens(): Promise<{ expired: boolean }> {
    return this.#call('POST', '/graph/delta/expire');
  }

  /** A new AWS account appears in the organization (id generated from the name when absent). */
  createAccount(account: {
    id?: string;
    name: string;
    email: string;
    ou?: string;
    tags?: Record<string, string>;
    status?: AccountStatus;
  }): Promise<{ id: string; name: string; path: string }> {
    return this.#call('POST', '/organizations/accounts', account);
  }

  /** Changes an account as Organizations would (CloseAccount, MoveAccount to `ou`, Tag/UntagResource: null removes). */
  updateAccount(
    id: string,
    patch: {
      status?: AccountStatus;
      name?: string;
      ou?: string;
      tags?: Record<string, string | null>;
    },
  ): Promise<{
    id: string;
    name: string;
    status: AccountStatus;
    path: string;
    tags: Record<string, string>;
  }> {
    return this.#call('PATCH', `/organizations/accounts/${id}`, patch);
  }

  /** EventBridge's delivery of the World's writes to setting `eventQueue`: counts, and what was lost. */
  getEvents(): Promise<EventDeliveryStats & { queue: string | null }> {
    return this.#call('GET', '/events');
  }

  injectFault(fault: FaultSpec): Promise<ActiveFault> {
    return this.#call<{ faults: ActiveFault[] }>('POST', '/faults', fault).then(
      r => r.faults[0],
    );
  }

  listFaults(): Promise<ActiveFault[]> {
    return this.#call<{ faults: ActiveFault[] }>('GET', '/faults').then(
      r => r.faults,
    );
  }

  clearFaults(): Promise<void> {
    return this.#call<unknown>('DELETE', '/faults').then(() => undefined);
  }

  /** Token-bucket limit; `aws` is shared by SSO Admin and Identity Store. null or 0 turns it off. */
  setRateLimit(
    service: RateLimitService,
    perSecond: number | null,
    burst?: number,
  ): Promise<{
    rateLimits: { service: string; perSecond: number; burst: number }[];
  }> {
    return this.#call('PUT', '/rate-limits', {
      service,
      perSecond,
      ...(burst !== undefined && { burst }),
    });
  }

  clearRateLimits(): Promise<void> {
    return this.#call<unknown>('DELETE', '/rate-limits').then(() => undefined);
  }

  getSettings(): Promise<EmulatorSettings> {
    return this.#call('GET', '/settings');
  }

  updateSettings(
    settings: Partial<EmulatorSettings>,
  ): Promise<EmulatorSettings> {
    return this.#call('PUT', '/settings', settings);
  }

  getCounters(): Promise<CounterSnapshot> {
    return this.#call('GET', '/counters');
  }

  resetCounters(): Promise<CounterSnapshot> {
    return this.#call('DELETE', '/counters');
  }

  /** Back to the loaded scenario (state, clock, faults, limits, counters; old delta tokens expire). */
  reset(): Promise<void> {
    return this.#call<unknown>('POST', '/reset').then(() => undefined);
  }

  getState(): Promise<EmulatorState> {
    return this.#call('GET', '/state');
  }

  getClock(): Promise<{ now: string; offsetSeconds: number }> {
    return this.#call('GET', '/clock');
  }

  /** Moves the emulators' clock forward; a SCIM cycle that becomes due runs and is returned. */
  advanceClock(
    seconds: number,
  ): Promise<{ now: string; offsetSeconds: number; cycle?: ScimCycleResult }> {
    return this.#call('POST', '/clock', { advanceSeconds: seconds });
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new EmulatorControlError(
        response.status,
        json?.error?.code ?? 'Error',
        json?.error?.message ?? text,
      );
    }
    return json as T;
  }
}
