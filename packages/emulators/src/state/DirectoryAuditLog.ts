import { guidFrom } from '../ids';

/** A Graph `directoryAudit` record. */
export interface DirectoryAudit {
  id: string;
  category: 'UserManagement' | 'GroupManagement' | 'ApplicationManagement';
  correlationId: string;
  result: 'success';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: 'Core Directory';
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign';
  initiatedBy: {
    app: null;
    user: {
      id: string;
      displayName: null;
      userPrincipalName: string;
      ipAddress: string;
      userType: null;
    };
  };
  targetResources: AuditTarget[];
  additionalDetails: { key: string; value: string }[];
}

export interface AuditTarget {
  id: string;
  displayName: string | null;
  type: 'User' | 'Group' | 'ServicePrincipal';
  userPrincipalName: string | null;
  groupType?: 'unifiedGroups' | 'azureAD';
  modifiedProperties: {
    displayName: string;
    oldValue: string | null;
    newValue: string | null;
  }[];
}

/**
 * Entra's directory audit log (`/auditLogs/directoryAudits`): user and membership changes with their times, so
 * the product can tell how long a change has waited for provisioning.
 */
export class DirectoryAuditLog {
  readonly #entries: DirectoryAudit[] = [];
  readonly #admin: { id: string; upn: string };
  #sorted: DirectoryAudit[] | undefined;

  static create(options: {
    tenantId: string;
    domain: string;
  }): DirectoryAuditLog {
    return new DirectoryAuditLog(options);
  }

  private constructor(options: { tenantId: string; domain: string }) {
    // Changes are made "by" a tenant administrator; scenario files do not name one.
    this.#admin = {
      id: guidFrom(options.tenantId, 'admin'),
      upn: `admin@${options.domain}`,
    };
  }

  add(entry: {
    activity: string;
    category: DirectoryAudit['category'];
    operationType: DirectoryAudit['operationType'];
    timeMs: number;
    targets: AuditTarget[];
  }): DirectoryAudit {
    const seq = this.#entries.length;
    const record: DirectoryAudit = {
      id: `Directory_${guidFrom(
        'audit',
        entry.activity,
        String(seq),
        String(entry.timeMs),
      )}`,
      category: entry.category,
      correlationId: guidFrom(
        'audit-correlation',
        String(seq),
        String(entry.timeMs),
      ),
      result: 'success',
      resultReason: '',
      activityDisplayName: entry.activity,
      activityDateTime: new Date(entry.timeMs).toISOString(),
      loggedByService: 'Core Directory',
      operationType: entry.operationType,
      initiatedBy: {
        app: null,
        user: {
          id: this.#admin.id,
          displayName: null,
          userPrincipalName: this.#admin.upn,
          ipAddress: '',
          userType: null,
        },
      },
      targetResources: entry.targets,
      additionalDetails: [],
    };
    this.#entries.push(record);
    this.#sorted = undefined;
    return record;
  }

  /** Newest first, as Graph lists them. */
  list(): readonly DirectoryAudit[] {
    if (!this.#sorted) {
      this.#sorted = [...this.#entries].sort((a, b) =>
        b.activityDateTime.localeCompare(a.activityDateTime),
      );
    }
    return this.#sorted;
  }
}

export function userTarget(
  user: { id: string; upn: string; displayName: string },
  modifiedProperties: AuditTarget['modifiedProperties'] = [],
): AuditTarget {
  return {
    id: user.id,
    displayName: user.displayName,
    type: 'User',
    userPrincipalName: user.upn,
    modifiedProperties,
  };
}

export function groupTarget(
  group: { id: string; name: string },
  modifiedProperties: AuditTarget['modifiedProperties'] = [],
): AuditTarget {
  return {
    id: group.id,
    displayName: group.name,
    type: 'Group',
    userPrincipalName: null,
    groupType: 'azureAD',
    modifiedProperties,
  };
}

/** The member side's modified properties of "Add member to group" / "Remove member from group". */
export function membershipProperties(
  group: { id: string; name: string },
  removed: boolean,
): AuditTarget['modifiedProperties'] {
  const change = (value: string) => ({
    oldValue: removed ? JSON.stringify(value) : null,
    newValue: removed ? null : JSON.stringify(value),
  });
  return [
    { displayName: 'Group.ObjectID', ...change(group.id) },
    { displayName: 'Group.DisplayName', ...change(group.name) },
  ];
}
