import type { TypedRouter } from '@backstage/backend-openapi-utils';
import type {
  AuditorService,
  AuditorServiceEvent,
  AuditorServiceEventSeverityLevel,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotImplementedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { IdentitySourceKind } from '@aws-access/plugin-aws-access-common';
import { awsAccessUserReadPermission } from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { CatalogDirectory } from '../auth/CatalogDirectory';
import type { IdentityResolver } from '../auth/IdentityResolver';
import { PrincipalView } from '../auth/PrincipalView';
import type { Governance } from '../governance/Governance';
import type { RequestStore } from '../governance/RequestStore';
import type { OnboardingService } from '../onboarding/OnboardingService';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import type { EndpointMap } from '../schema/openapi.generated';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { SnapshotStore } from '../store/SnapshotStore';
import type { IdentityRefresh } from '../sync/IdentityRefresh';
import type { SnapshotCache } from '../sync/SnapshotCache';
import type { SyncService } from '../sync/SyncService';
import { AccessListCache } from './views/AccessListCache';
import { describeSyncState } from './views/syncStatus';

/** The router, typed by openapi.yaml: only its routes can be added, with its parameters and response bodies. */
export type AwsAccessRouter = TypedRouter<EndpointMap>;

export interface RouterOptions {
  logger: LoggerService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  access: AccessControl;
  identities: IdentityResolver;
  /** Group membership and account ownership from the catalog: account owners see who holds what. */
  catalogDirectory: CatalogDirectory;
  cache: SnapshotCache;
  store: SnapshotStore;
  sync: SyncService;
  provisioning: ProvisioningService;
  onboarding: OnboardingService;
  /** Access requests: the open ones explain grants on `/me`. */
  requests?: Pick<RequestStore, 'list'>;
  staleAfterMs: number;
  /** Access requests; absent when `awsAccess.governance` is not configured (the routes answer 404). */
  governance?: Governance;
  /** `none` without `awsAccess.entra`: Identity Center is read alone, and routes that need Entra refuse. */
  identitySource: IdentitySourceKind;
  /** Whether the backend consumes change events (`identityCenter.events`): the status then shows them. */
  changeEvents?: boolean;
  /** The identity source's own refresh (with Entra): the status shows when it last read and committed. */
  identityRefresh?: Pick<IdentityRefresh, 'status'>;
  now?: () => Date;
}

/** An audit event a route records, and what it says about the request. */
export interface AuditSpec {
  eventId: string;
  severityLevel: AuditorServiceEventSeverityLevel;
  meta?: Record<string, string | number | undefined>;
}

/**
 * What every route shares: the services behind the API, the served index, and the one way a route checks a
 * permission and audits a refusal.
 */
export class ApiContext {
  readonly options: RouterOptions;
  readonly now: () => Date;
  /** The sorted rows of the long lists (a team, a power user's grants), kept for their next pages. */
  readonly accessLists = new AccessListCache();

  constructor(options: RouterOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  get access(): AccessControl {
    return this.options.access;
  }

  /** The served index; 503 with what the sync is doing before the first snapshot. */
  currentIndex(): Promise<AccessIndex> {
    const { cache, store } = this.options;
    return cache.current(() => describeSyncState(store));
  }

  /**
   * Refuses (501) what only an identity source can do (provision-on-demand, Entra's checks) when this backend
   * reads Identity Center alone, naming the configuration that would enable it.
   */
  requireIdentitySource(what: string): void {
    if (this.options.identitySource === 'none')
      throw new NotImplementedError(
        `${what} needs an identity source: configure awsAccess.entra. This backend reads IAM Identity Center alone.`,
      );
  }

  /** Opens an audit event for the request; the route concludes it. */
  audit(req: Request, spec: AuditSpec): Promise<AuditorServiceEvent> {
    return this.options.auditor.createEvent({ ...spec, request: req });
  }

  /** Runs a step that may refuse the request, failing the audit event (when there is one) if it does. */
  async refusing<T>(
    event: AuditorServiceEvent | undefined,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Checks that the caller holds a basic permission: a refusal is a NotAllowedError naming the permission and
   * `what` the caller wanted, and fails the route's audit event.
   */
  requirePermission(
    caller: Caller,
    permission: BasicPermission,
    what: string,
    event?: AuditorServiceEvent,
  ): Promise<void> {
    return this.refusing(event, () =>
      this.access.require(caller, permission, what),
    );
  }

  /**
   * The one way an audited route checks a permission: opens the route's audit event, checks the permission (a
   * refusal fails the event), and returns the open event for the route to conclude.
   */
  async authorize(
    req: Request,
    caller: Caller,
    check: { permission: BasicPermission; what: string; audit: AuditSpec },
  ): Promise<AuditorServiceEvent> {
    const event = await this.audit(req, check.audit);
    await this.requirePermission(caller, check.permission, check.what, event);
    return event;
  }

  /** Checks that the caller may read a group's access (members by default); audited like every check. */
  requireGroupRead(
    caller: Caller,
    groupRef: string,
    event: AuditorServiceEvent,
  ): Promise<void> {
    return this.refusing(event, async () => {
      if (!(await this.access.groupReader(caller))(groupRef)) {
        throw new NotAllowedError(
          `You may read the AWS access of your own groups only; ${groupRef} is not one of them`,
        );
      }
    });
  }

  /**
   * The person behind an entity ref the caller asked about: their own always (their catalog user), others with
   * permission (audited), a leaver no longer in the catalog by the name the product gives them.
   */
  async personFor(
    req: Request,
    caller: Caller,
    index: AccessIndex,
    userRef: string,
  ): Promise<Person> {
    const { identities } = this.options;
    if (caller.userEntityRef === userRef)
      return identities.resolve(index, userRef);
    const event = await this.authorize(req, caller, {
      permission: awsAccessUserReadPermission,
      what: `read ${userRef}'s AWS access`,
      audit: {
        eventId: 'user-access-read',
        severityLevel: 'medium',
        meta: { subject: userRef },
      },
    });
    await event.success();
    return identities.resolveSubject(index, userRef);
  }

  /** The caller's own person, when the caller is a user the snapshot knows. */
  async callerPerson(
    caller: Caller,
    index: AccessIndex,
  ): Promise<Person | undefined> {
    return caller.userEntityRef
      ? this.options.identities
          .resolve(index, caller.userEntityRef)
          .catch(() => undefined)
      : undefined;
  }

  /**
   * What of who-holds-what the caller may see (account pages, permission sets, reports): everything with
   * read-all, every principal on the accounts they own in the catalog, else their own rows and their readable
   * teams. Ownership is read from the catalog; when that read fails the caller gets the reduced view.
   */
  async principalView(
    caller: Caller,
    index: AccessIndex,
  ): Promise<PrincipalView> {
    if (await this.access.readsEverything(caller))
      return PrincipalView.everything;
    const self = await this.callerPerson(caller, index);
    const [readablePerson, ownedAccounts] = await Promise.all([
      this.access.readablePeople(caller, index, self),
      this.#ownedAccounts(caller),
    ]);
    return PrincipalView.reduced({
      index,
      self,
      ownedAccounts,
      readablePerson,
    });
  }

  async #ownedAccounts(caller: Caller): Promise<Set<string>> {
    if (!caller.userEntityRef) return new Set();
    return this.options.catalogDirectory
      .accountsOwnedBy(caller.userEntityRef, caller.ownershipEntityRefs)
      .catch(error => {
        this.options.logger.warn(
          `Could not read account ownership from the catalog; ${caller.userEntityRef} sees their own rows only: ${error}`,
        );
        return new Set<string>();
      });
  }
}
