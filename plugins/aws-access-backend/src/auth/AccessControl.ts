import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { AWS_ACCESS_GROUP_RESOURCE_TYPE } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessAllReadPermission,
  awsAccessGroupReadPermission,
} from '@aws-access/plugin-aws-access-common';
import { awsAccessGroupResourceRef } from '@aws-access/plugin-aws-access-node';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import { RecentDecisions } from './RecentDecisions';

/** Who is calling: a signed-in user (with their groups from the token) or another plugin / external service. */
export interface Caller {
  credentials: BackstageCredentials;
  /** Set for users. */
  userEntityRef?: string;
  /** The user and their direct groups, as resolved at sign-in. */
  ownershipEntityRefs: string[];
  isService: boolean;
  /**
   * Names the caller's token (its hash) for reusing permission decisions a few seconds (RecentDecisions); absent
   * when the request carried no bearer token.
   */
  decisionKey?: string;
}

/** A bearer token's hash: decisions are kept under it, never under the token itself. */
function decisionKeyOf(req: Request): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return token && createHash('sha256').update(token).digest('base64url');
}

/** The options AccessControl takes; `permissionDecisionTtlMs` 0 asks the permission framework every time. */
export interface AccessControlOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  permissionDecisionTtlMs: number;
}

/**
 * Permission checks of the aws-access API. Users always see their own access; a group's access is a conditional
 * permission (members by default); everything else is a basic permission the policy decides. Service callers
 * (other plugins, configured external access) go through the permissions service too, so an operator's
 * `accessRestrictions` hold: a service reaches a route only with the route's service permission (read-all unless
 * the route names another), and sees every person where it does (a service has no team of its own).
 */
export class AccessControl {
  readonly #httpAuth: HttpAuthService;
  readonly #userInfo: UserInfoService;
  readonly #permissions: PermissionsService;
  readonly #decisions: RecentDecisions;
  readonly #groupAuthorizer: ReturnType<
    typeof createConditionAuthorizer<{ entityRef: string }, unknown>
  >;

  static create(options: AccessControlOptions) {
    return new AccessControl(options);
  }

  private constructor(options: AccessControlOptions) {
    this.#httpAuth = options.httpAuth;
    this.#userInfo = options.userInfo;
    this.#permissions = options.permissions;
    this.#decisions = new RecentDecisions({
      ttlMs: options.permissionDecisionTtlMs,
    });
    this.#groupAuthorizer = createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(
        awsAccessGroupResourceRef,
      ),
    ) as any;
  }

  async caller(
    req: Request,
    options: { userOnly?: boolean; servicePermission?: BasicPermission } = {},
  ): Promise<Caller> {
    const credentials = await this.#httpAuth.credentials(req, {
      allow: options.userOnly ? ['user'] : ['user', 'service'],
    });
    const decisionKey = decisionKeyOf(req);
    if (credentials.principal.type === 'user') {
      const info = await this.#userInfo.getUserInfo(credentials);
      return {
        credentials,
        userEntityRef: info.userEntityRef,
        ownershipEntityRefs: info.ownershipEntityRefs,
        isService: false,
        decisionKey,
      };
    }
    const service: Caller = {
      credentials,
      ownershipEntityRefs: [],
      isService: true,
      decisionKey,
    };
    await this.require(
      service,
      options.servicePermission ?? awsAccessAllReadPermission,
      'call this route as a service',
    );
    return service;
  }

  /** The permission framework's answer to `question`, or the one it gave this caller's token a moment ago. */
  #decide<T>(
    caller: Caller,
    question: string,
    ask: () => Promise<T>,
  ): Promise<T> {
    return this.#decisions.decide(
      caller.decisionKey && `${question} ${caller.decisionKey}`,
      ask,
    );
  }

  /** A basic permission, as the permission policy (users) or the service's access restrictions decide. */
  async can(caller: Caller, permission: BasicPermission): Promise<boolean> {
    const [decision] = await this.#decide(
      caller,
      `authorize ${permission.name}`,
      () =>
        this.#permissions.authorize([{ permission }], {
          credentials: caller.credentials,
        }),
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async require(
    caller: Caller,
    permission: BasicPermission,
    what: string,
  ): Promise<void> {
    if (!(await this.can(caller, permission))) {
      throw new NotAllowedError(
        `You may not ${what} (missing permission ${permission.name})`,
      );
    }
  }

  /** Whether the caller may read these groups' access, decided once per request for all of them. */
  async groupReader(caller: Caller): Promise<(groupRef: string) => boolean> {
    return this.groupDecider(caller, awsAccessGroupReadPermission);
  }

  /**
   * A permission on the group resource (read, request, approve), decided once per request for every group:
   * allowed, denied, or the policy's conditions applied to each group.
   */
  async groupDecider(
    caller: Caller,
    permission: ResourcePermission<typeof AWS_ACCESS_GROUP_RESOURCE_TYPE>,
  ): Promise<(groupRef: string) => boolean> {
    const [decision] = await this.#decide(
      caller,
      `authorizeConditional ${permission.name}`,
      () =>
        this.#permissions.authorizeConditional([{ permission }], {
          credentials: caller.credentials,
        }),
    );
    if (decision.result === AuthorizeResult.ALLOW) return () => true;
    if (decision.result === AuthorizeResult.DENY) return () => false;
    return groupRef => this.#groupAuthorizer(decision, { entityRef: groupRef });
  }

  /** Whether the caller sees everyone: read-all, or a service that passed its route's permission. */
  async readsEverything(caller: Caller): Promise<boolean> {
    return caller.isService || this.can(caller, awsAccessAllReadPermission);
  }

  /**
   * The people a caller without read-all may see in lists (account pages, reports): themselves and the members
   * of the groups they may read among their own groups.
   */
  async readablePeople(
    caller: Caller,
    index: AccessIndex,
    self?: Person,
  ): Promise<(person: Person) => boolean> {
    const readable = await this.groupReader(caller);
    const visible = new Set<string>(self ? [self.key] : []);
    for (const ref of caller.ownershipEntityRefs) {
      if (!ref.startsWith('group:') || !readable(ref)) continue;
      const group = index.identityGroupsByRef.get(ref);
      if (group)
        for (const userId of index.transitiveUserIds(group))
          visible.add(userId);
    }
    return person => visible.has(person.key);
  }
}
